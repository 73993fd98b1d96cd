"""When BPJS cover is owed (Permenaker 4/2023 Art. 18-19): after the placement agreement, and
for independent workers as one payment before departure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hub.protection.facts import BPJS
from hub.protection.law import PERMENAKER_4_2023, Law, in_force
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.contract import add_months
from hub.protection.situation import Stage
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import PlacementScheme, PlacementStatus, ProtectionPhase, Severity
from schema.records import Provenance

ENROLMENT = Law(
    "UU 18/2017 Art. 5(d) (a social-security number is a requirement for placement); "
    "Permenaker 4/2023 Art. 19(1)(a) (paid after the placement agreement is signed)",
    ("[S2]", "[S5]", "[S42]"),
    since=PERMENAKER_4_2023,
)
ENROL_WORKER = Action(
    Party.WORKER,
    Text(
        "Daftar dan bayar iuran BPJS Ketenagakerjaan sebelum berangkat (melalui P3MI, LTSA, "
        "atau aplikasi JMO); tanpa itu Anda tidak terlindungi bila terjadi kecelakaan atau "
        "meninggal dunia.",
        "Join BPJS Ketenagakerjaan and pay before you leave (through the placement company, "
        "the LTSA or the JMO app); without it you are not covered for accidents or death.",
    ),
)


def obliged(ctx: Context) -> Severity | None:
    """Whether BPJS cover is owed in the current stage, and how gravely its absence weighs:
    None for a REGISTERED job seeker with no placement agreement (not yet obliged), MEDIUM
    before departure with the agreement signed, HIGH when READY, near departure or later."""
    p = ctx.placement
    if ctx.situation.stage is not Stage.PRE_PLACEMENT or p is None:
        return Severity.HIGH
    if p.status is PlacementStatus.READY:
        return Severity.HIGH
    if p.agreement_signed_on is None:
        return None
    start = p.departed_on or p.contract_start
    if start is not None and (start - ctx.today).days <= ctx.config.departure_near_days:
        return Severity.HIGH
    return Severity.MEDIUM


def independent_before_departure(ctx: Context) -> bool:
    p = ctx.placement
    return (
        ctx.situation.stage is Stage.PRE_PLACEMENT
        and p is not None
        and p.scheme is PlacementScheme.INDEPENDENT
    )


def independent_payment(ctx: Context) -> date | None:
    """The day an independent worker paid for this stay: the earliest placement-phase cover
    start or contribution since the stay began (None: no payment on record)."""
    start = ctx.situation.cycle_start
    days = [
        c.start
        for m in ctx.facts.memberships
        for c in m.coverages
        if c.phase is ProtectionPhase.PLACEMENT and (start is None or c.end >= start)
    ]
    days += [
        c.paid_on
        for m in ctx.facts.memberships
        for c in m.contributions
        if c.paid_on is not None and (start is None or c.paid_on >= start)
    ]
    return min(days, default=None)


@rule(
    code="BPJS_ENROL_AFTER_AGREEMENT",
    severity=Severity.INFO,
    law=ENROLMENT,
    condition="A REGISTERED job seeker with no placement agreement on record is not a BPJS "
    "member: nothing is owed yet; the contribution falls due once the agreement is signed.",
    message=Text(
        "Tidak ada perjanjian penempatan yang tercatat; iuran BPJS Ketenagakerjaan wajib "
        "dibayar setelah perjanjian ditandatangani.",
        "No placement agreement on record; the BPJS Ketenagakerjaan contribution falls due "
        "once it is signed.",
    ),
    action=Text(
        "Ingatkan calon pekerja untuk mendaftar BPJS Ketenagakerjaan setelah menandatangani "
        "perjanjian penempatan.",
        "Remind the job seeker to enrol with BPJS Ketenagakerjaan after signing the placement "
        "agreement.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Setelah menandatangani perjanjian penempatan, daftar BPJS Ketenagakerjaan.",
                "Once you sign the placement agreement, join BPJS Ketenagakerjaan.",
            ),
        ),
    ),
    needs=(BPJS,),
    stages=(Stage.PRE_PLACEMENT,),
)
def bpjs_enrol_after_agreement(ctx: Context) -> Iterator[Hit]:
    if not ctx.facts.memberships and obliged(ctx) is None:
        yield Hit({}, ctx.placement_evidence)


@rule(
    code="BPJS_INDEPENDENT_COVER_LAPSED",
    severity=Severity.MEDIUM,
    law=Law(
        "Permenaker 4/2023 Art. 18(2) and the BPJS procedure manual (an independent worker's "
        "JKM runs one month from payment until embarkation; after that the risk is the "
        "worker's own)",
        ("[S2]", "[S6]"),
        since=PERMENAKER_4_2023,
    ),
    condition="An independent worker (scheme INDEPENDENT) has paid for placement cover but has "
    "not departed, and more than the month of pre-departure JKM ({c.independent_pre_departure_"
    "months}) has passed since the payment.",
    message=Text(
        "Pekerja mandiri membayar BPJS pada {paid} tetapi belum berangkat; perlindungan JKM "
        "sebelum keberangkatan berakhir {lapsed}.",
        "The independent worker paid BPJS on {paid} but has not departed; pre-departure JKM "
        "cover ended on {lapsed}.",
    ),
    action=Text(
        "Pastikan jadwal keberangkatan; bila tertunda, pekerja membayar ulang.",
        "Confirm the departure date; if it is delayed, the worker pays again.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Perlindungan sebelum berangkat sudah habis: berangkatlah sesuai jadwal atau "
                "bayar ulang iuran BPJS Ketenagakerjaan.",
                "Your cover before departure has run out: leave as planned or pay the BPJS "
                "Ketenagakerjaan contribution again.",
            ),
        ),
    ),
    needs=(BPJS,),
    stages=(Stage.PRE_PLACEMENT,),
)
def bpjs_independent_cover_lapsed(ctx: Context) -> Iterator[Hit]:
    if not independent_before_departure(ctx):
        return
    paid = independent_payment(ctx)
    months = in_force(ctx.config.independent_pre_departure_months, ctx.today)
    if paid is None or months is None:
        return
    lapsed = add_months(paid, months)
    if lapsed < ctx.today:
        yield Hit({"paid": paid, "lapsed": lapsed}, _evidence(ctx))


def _evidence(ctx: Context) -> tuple[Provenance, ...]:
    return (*(m.provenance for m in ctx.facts.memberships), *ctx.placement_evidence)


RULES = (bpjs_enrol_after_agreement, bpjs_independent_cover_lapsed)
