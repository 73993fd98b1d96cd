"""BPJS benefits owed: claims waiting, the failed-departure benefit, and the case kind to benefit
table that rules/case_benefits.py reads.

Permenaker 4/2023 pays benefits for events, not only for phases: a death (JKM, with the
children's scholarship), a work accident (JKK), a failed departure, the return of a worker in
trouble, sexual violence (Art. 27, 34). A case of such a kind with no claim for its benefit is
money owed to the worker or the heirs. A claim recorded without a benefit type (older answers
name only the programme) counts for every benefit of its programme filed after the case
opened: absent data never makes a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hub.protection import labels
from hub.protection.facts import BPJS, P2MI
from hub.protection.law import PERMENAKER_4_2023, Law, in_force
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.contract import add_months
from hub.protection.text import Text, count
from hub.protection.verdict import Action, Party
from schema.enums import (
    Benefit,
    CaseKind,
    ClaimStatus,
    PlacementStatus,
    Program,
    ProtectionPhase,
    Severity,
)
from schema.records import ClaimRecord

BENEFITS = Law(
    "Permenaker 4/2023 Art. 27 (pre-work benefits: failure to depart, rape, loss on the journey) "
    "and Art. 34 (during-work benefits: problem return, not per contract, dismissal, rape); "
    "JKK claims within five years",
    ("[S3]", "[S8]", "[S9]", "[S11]", "[S12]", "[S13]", "[S15]"),
    since=PERMENAKER_4_2023,
)

# Case kind -> the benefit it opens, and the programme that pays it (domain-2026 §1.3).
CASE_BENEFITS: dict[CaseKind, tuple[Benefit, Program]] = {
    CaseKind.DEATH: (Benefit.DEATH, Program.JKM),
    CaseKind.ACCIDENT: (Benefit.WORK_ACCIDENT, Program.JKK),
    CaseKind.FAILED_DEPARTURE: (Benefit.FAILED_DEPARTURE, Program.JKK),
    CaseKind.REPATRIATION: (Benefit.PROBLEM_RETURN, Program.JKK),
    CaseKind.SEXUAL_VIOLENCE: (Benefit.SEXUAL_VIOLENCE, Program.JKK),
}
CLAIM_WORKER = Action(
    Party.WORKER,
    Text(
        "Anda (atau ahli waris) berhak atas {benefit} dari BPJS Ketenagakerjaan. Ajukan klaim "
        "melalui aplikasi JMO, kantor BPJS, atau perwakilan RI.",
        "You (or your heirs) may claim the {benefit} from BPJS Ketenagakerjaan. Claim through "
        "the JMO app, a BPJS office or the Indonesian mission.",
    ),
)


def claimed(claims: list[ClaimRecord], benefit: Benefit, program: Program, since: date) -> bool:
    for c in claims:
        if c.status is ClaimStatus.REJECTED:
            continue
        if c.benefit is benefit:
            return True
        if c.benefit is None and c.program is program and c.submitted_on >= since:
            return True
    return False


def claims_of(ctx: Context) -> list[ClaimRecord]:
    return [c for m in ctx.facts.memberships for c in m.claims]


def claim_window(ctx: Context, since: date) -> bool:
    years = in_force(ctx.config.jkk_claim_years, ctx.today)
    # add_months: a window opened on 29 February ends on 28 February in a common year
    return years is not None and ctx.today <= add_months(since, 12 * years)


@rule(
    code="CLAIM_PENDING",
    severity=Severity.MEDIUM,
    law=BENEFITS,
    condition="A BPJS claim has been SUBMITTED or VERIFIED and unpaid for more than "
    "{c.claim_pending_days} days.",
    message=Text(
        "Klaim {program} diajukan {submitted} dan belum dibayar ({waited}).",
        "The {program} claim submitted on {submitted} is unpaid after {waited}.",
    ),
    action=Text(
        "Tanyakan status klaim ke BPJS Ketenagakerjaan dan lengkapi dokumen yang kurang.",
        "Ask BPJS Ketenagakerjaan about the claim and supply any missing document.",
    ),
    actions=(
        Action(
            Party.BPJS,
            Text(
                "Selesaikan verifikasi dan pembayaran klaim, atau sampaikan dokumen yang kurang.",
                "Complete the claim's verification and payment, or say which document is missing.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Klaim Anda belum dibayar: tanyakan statusnya ke BPJS Ketenagakerjaan (telepon "
                "175 atau aplikasi JMO) dan lengkapi dokumen yang diminta.",
                "Your claim is not paid yet: ask BPJS Ketenagakerjaan about it (call 175 or the "
                "JMO app) and send any document they ask for.",
            ),
        ),
    ),
    needs=(BPJS,),
)
def claim_pending(ctx: Context) -> Iterator[Hit]:
    for m in ctx.facts.memberships:
        for c in m.claims:
            waited = (ctx.today - c.submitted_on).days
            pending = c.status in (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)
            if pending and waited > ctx.config.claim_pending_days:
                params = {
                    "program": c.program.value,
                    "submitted": c.submitted_on,
                    "waited": count(waited, "hari", "day"),
                }
                yield Hit(params, (m.provenance,))


@rule(
    code="FAILED_DEPARTURE_BENEFIT",
    severity=Severity.MEDIUM,
    law=Law(
        "Permenaker 4/2023 Art. 27(1)(g) and (3) (cash benefit when a prospective worker fails "
        "to depart through no fault of their own)",
        ("[S8]", "[S11]", "[S15]"),
        since=PERMENAKER_4_2023,
    ),
    condition="A placement was CANCELLED on a recorded day when the worker's pre-placement "
    "cover was in force, within the claim window, and no failed-departure claim (nor a JKK "
    "claim filed since) is on record. The records do not say whose fault the cancellation was: "
    "the message asks.",
    message=Text(
        "Penempatan ke {country} batal pada {cancelled} saat perlindungan prapenempatan "
        "berlaku; santunan gagal berangkat belum diklaim.",
        "The placement to {country} was cancelled on {cancelled} while pre-placement cover was "
        "in force; the failed-departure benefit has not been claimed.",
    ),
    action=Text(
        "Bila pembatalan bukan karena kesalahan calon pekerja, bantu klaim santunan gagal "
        "berangkat ke BPJS Ketenagakerjaan.",
        "If the cancellation was not the worker's fault, help claim the failed-departure "
        "benefit from BPJS Ketenagakerjaan.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Bila keberangkatan Anda batal bukan karena kesalahan Anda, Anda berhak atas "
                "santunan gagal berangkat dari BPJS Ketenagakerjaan.",
                "If your departure was cancelled through no fault of yours, you may claim the "
                "failed-departure benefit from BPJS Ketenagakerjaan.",
            ),
        ),
        Action(
            Party.P3MI,
            Text(
                "Bantu calon pekerja mengurus klaim gagal berangkat.",
                "Help the worker file the failed-departure claim.",
            ),
        ),
    ),
    needs=(P2MI, BPJS),
)
def failed_departure_benefit(ctx: Context) -> Iterator[Hit]:
    claims = claims_of(ctx)
    for p in ctx.facts.placements:
        day = p.cancelled_on
        if p.status is not PlacementStatus.CANCELLED or day is None:
            continue
        covered = any(
            c.phase is ProtectionPhase.PRE_PLACEMENT and c.active_on(day)
            for m in ctx.facts.memberships
            for c in m.coverages
        )
        if not covered or not claim_window(ctx, day):
            continue
        if claimed(claims, Benefit.FAILED_DEPARTURE, Program.JKK, day):
            continue
        params = {"country": labels.country(p.destination_country), "cancelled": day}
        yield Hit(params, (p.provenance, *(m.provenance for m in ctx.facts.memberships)))


RULES = (claim_pending, failed_departure_benefit)
