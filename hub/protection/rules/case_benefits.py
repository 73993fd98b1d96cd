"""Benefits a case opens and nobody has claimed (Permenaker 4/2023 Art. 27, 34): the case kind
to benefit table. Its findings are about cases (hub/graphql/redact.py places them there)."""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection import labels
from hub.protection.facts import BPJS
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.benefits import (
    BENEFITS,
    CASE_BENEFITS,
    CLAIM_WORKER,
    claim_window,
    claimed,
    claims_of,
)
from hub.protection.text import Text
from schema.enums import Benefit, Severity
from schema.records import CaseRecord, Provenance

BENEFIT_NAMES = {
    Benefit.DEATH: Text("santunan kematian (JKM) dan beasiswa anak", "death benefit (JKM) and "
                        "children's scholarship"),
    Benefit.WORK_ACCIDENT: Text("manfaat kecelakaan kerja (JKK)", "work-accident benefit (JKK)"),
    Benefit.FAILED_DEPARTURE: Text("santunan gagal berangkat", "failed-departure benefit"),
    Benefit.PROBLEM_RETURN: Text("biaya pemulangan PMI bermasalah", "return of a worker in "
                                 "trouble"),
    Benefit.SEXUAL_VIOLENCE: Text("santunan korban kekerasan seksual", "benefit for sexual "
                                  "violence"),
}  # fmt: skip


@rule(
    code="BENEFIT_CLAIMABLE",
    severity=Severity.MEDIUM,
    law=BENEFITS,
    condition="A member of BPJS Ketenagakerjaan has a case (open or closed) of a kind that "
    "opens a benefit (death, accident, failed departure, repatriation, sexual violence) within "
    "the claim window (JKK claims: {c.jkk_claim_years} years) and no claim for that benefit, "
    "nor a claim of its programme filed since, that was not rejected. HIGH for a death with no "
    "claim after {c.death_claim_days} days. Cases are read from the agencies that answered.",
    message=Text(
        "Kasus {kind} sejak {opened}: {benefit} belum diklaim.",
        "Case ({kind}) since {opened}: the {benefit} has not been claimed.",
    ),
    action=Text(
        "Bantu pekerja atau ahli waris mengajukan klaim; perwakilan menerbitkan surat yang "
        "diperlukan BPJS.",
        "Help the worker or the heirs file the claim; the mission issues the letters BPJS needs.",
    ),
    actions=(CLAIM_WORKER,),
    needs=(BPJS,),
)
def benefit_claimable(ctx: Context) -> Iterator[Hit]:
    if not ctx.facts.memberships:
        return
    claims = claims_of(ctx)
    seen: set[Benefit] = set()
    for case in sorted(ctx.facts.cases, key=lambda c: c.opened_at):
        found = CASE_BENEFITS.get(case.kind)
        if found is None or found[0] in seen:
            continue
        benefit, program = found
        opened = case.opened_at.date()
        if not claim_window(ctx, opened) or claimed(claims, benefit, program, opened):
            continue
        seen.add(benefit)
        late = benefit is Benefit.DEATH and (ctx.today - opened).days > ctx.config.death_claim_days
        yield Hit(_params(case, benefit), _evidence(ctx, case), Severity.HIGH if late else None)


def _params(case: CaseRecord, benefit: Benefit) -> dict[str, object]:
    return {
        "kind": labels.CASE_KINDS[case.kind],
        "opened": case.opened_at.date(),
        "benefit": BENEFIT_NAMES[benefit],
    }


def _evidence(ctx: Context, case: CaseRecord) -> tuple[Provenance, ...]:
    return (case.provenance, *(m.provenance for m in ctx.facts.memberships))


RULES = (benefit_claimable,)
