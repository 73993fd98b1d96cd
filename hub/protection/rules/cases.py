"""Open cases at the missions and complaints at P2MI, in every phase.

A case found is a fact whatever else could not be read, so these rules run on every agency
that answered (``partial``); an agency that did not answer still makes the verdict incomplete.
"""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection import labels
from hub.protection.facts import EMBASSY, P2MI
from hub.protection.law import UU_18_2017, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import CaseStatus, Severity
from schema.records import CaseRecord

CONDITION_TAIL = (
    " Cases count in every phase and are read from every agency that answered, even when "
    "another could not be read."
)


def is_critical(case: CaseRecord, ctx: Context) -> bool:
    return case.severity == Severity.CRITICAL or case.kind in ctx.config.critical_case_kinds


def _params(case: CaseRecord) -> dict[str, object]:
    mission = case.mission
    where = Text(mission.name, mission.name) if mission else labels.agency(case.provenance.agency)
    return {
        "kind": labels.CASE_KINDS[case.kind],
        "where": where,
        "opened": case.opened_at.date(),
        "status": labels.CASE_STATUSES[case.status],
    }


@rule(
    code="CRITICAL_CASE",
    severity=Severity.CRITICAL,
    law=Law(
        "UU 18/2017 Art. 21 (consular help, legal aid and repatriation during placement); "
        "Permenaker 4/2023 Art. 27 and 34 (JKM and JKK benefits, including for sexual "
        "violence)",
        ("[S8]", "[S9]", "DOMAIN [95]"),
        since=UU_18_2017,
    ),
    condition="A case at a mission or a complaint at P2MI is OPEN or IN_PROGRESS and either "
    "has severity CRITICAL or is of a kind treated as an emergency ({c.critical_case_kinds})."
    + CONDITION_TAIL,
    message=Text(
        "Kasus darurat ({kind}) di {where} sejak {opened}; status: {status}.",
        "Emergency case ({kind}) at {where} since {opened}; status: {status}.",
    ),
    action=Text(
        "Segera koordinasikan dengan fungsi pelindungan WNI di perwakilan dan hubungi keluarga; "
        "untuk kematian atau kecelakaan kerja, siapkan klaim JKM/JKK BPJS Ketenagakerjaan.",
        "Coordinate at once with the mission's citizen-protection desk and contact the family; "
        "for a death or a work accident, prepare the BPJS Ketenagakerjaan JKM/JKK claim.",
    ),
    needs=(P2MI, EMBASSY),
    partial=True,
)
def critical_case(ctx: Context) -> Iterator[Hit]:
    for case in ctx.facts.cases:
        if case.status != CaseStatus.CLOSED and is_critical(case, ctx):
            yield Hit(_params(case), (case.provenance,))


@rule(
    code="OPEN_CASE",
    severity=Severity.MEDIUM,
    law=Law(
        "UU 18/2017 Art. 21 (consular help and legal aid during placement), Art. 24 (unpaid "
        "rights after return) and Art. 52 (the company resolves the problems of workers it "
        "placed); Permen P2MI 31/2025 Art. 23 (drawing the company's deposit)",
        ("[S29]", "[S43]", "[S49]", "[S62]"),
        since=UU_18_2017,
        weak="Art. 52's number is from memory; its content is sourced [S43].",
    ),
    condition="A case at a mission or a complaint at P2MI is OPEN or IN_PROGRESS and is not "
    "critical (see CRITICAL_CASE)." + CONDITION_TAIL,
    message=Text(
        "Kasus terbuka ({kind}) di {where} sejak {opened}; status: {status}.",
        "Open case ({kind}) at {where} since {opened}; status: {status}.",
    ),
    action=Text(
        "Tindak lanjuti kasus bersama {where} sampai selesai. Untuk penempatan melalui P3MI: "
        "perusahaan wajib menyelesaikannya, dan bila tidak, deposito P3MI dapat dicairkan "
        "(Permen P2MI 31/2025).",
        "Follow the case up with {where} until it is resolved. For a placement through a "
        "company: the company must resolve it, and if it does not, its deposit can be drawn "
        "(Permen P2MI 31/2025).",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Selesaikan masalah pekerja yang Anda tempatkan (UU 18/2017).",
                "Resolve the problem of the worker you placed (UU 18/2017).",
            ),
        ),
    ),
    needs=(P2MI, EMBASSY),
    partial=True,
)
def open_case(ctx: Context) -> Iterator[Hit]:
    for case in ctx.facts.cases:
        if case.status != CaseStatus.CLOSED and not is_critical(case, ctx):
            yield Hit(_params(case), (case.provenance,))


RULES = (critical_case, open_case)
