"""From one worker's records and verdict to the few facts the statistics count: pure, no I/O.

A ``StatsRow`` holds categories, never identifiers: no worker id, name, NIK, passport or KPJ,
and no date finer than a year. It lives for one batch of the run and is then dropped.
Each gap is ``None`` when the worker is outside that figure's population, and UNKNOWN when the
agency that would tell did not answer (never silently a "no").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hub.protection import Verdict
from schema.enums import (
    ClaimStatus,
    PlacementStatus,
    Program,
    ProtectionPhase,
    SourceState,
    StayPurpose,
)
from schema.records import MembershipRecord, PlacementRecord, RecordSet
from schema.regions import PROVINCES

UNKNOWN = "UNKNOWN"
NONE = "NONE"
ABROAD = (PlacementStatus.DEPARTED, PlacementStatus.WORKING)
ANSWERED = (SourceState.OK, SourceState.STALE, SourceState.NOT_FOUND)
AGE_BANDS = ("UNDER_18", "18_24", "25_34", "35_44", "45_PLUS", UNKNOWN)
LAPOR_DIRI_DAYS = 30
# Days from a claim's submission to its payment (F8), in bands: a median would be one
# person's figure, a band count passes the same disclosure control as any count.
PAYMENT_DAYS = ((7, "0_7"), (14, "8_14"), (30, "15_30"), (60, "31_60"))
DAYS_BANDS = (*(band for _, band in PAYMENT_DAYS), "61_PLUS", UNKNOWN)


@dataclass(frozen=True, slots=True)
class Claim:
    programme: str
    benefit: str
    outcome: str  # PAID, REJECTED, PENDING
    amount: int | None
    year: str
    days: str | None = None  # a PAID claim's days-to-payment band (UNKNOWN: no date); else None


@dataclass(frozen=True, slots=True)
class Money:
    """One worker's payments of one kind in one year (F9): contributions paid to BPJS, or
    benefits BPJS paid out; the sum, never the single payments."""

    year: str
    flow: str  # CONTRIBUTIONS, BENEFITS_PAID
    amount: int


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    status: str
    year: str


@dataclass(frozen=True, slots=True)
class StatsRow:
    country: str
    sector: str
    sex: str
    age_band: str
    phase: str
    level: str
    scheme: str
    employer: str
    province: str
    departure_year: str
    enrolled: str | None  # YES / NO / UNKNOWN over the enrolment population
    placed_not_enrolled: str | None  # NO_MEMBERSHIP / MEMBER / UNKNOWN, abroad with a placement
    cover_lapsed: str | None  # LAPSED / COVERED / UNKNOWN, abroad members with a placement cover
    departed_uncovered: str | None  # NOT_COVERED / COVERED / UNKNOWN, departures
    not_in_siskop2mi: str | None  # NOT_IN_SISKOP2MI / IN_SISKOP2MI / UNKNOWN, working abroad
    no_lapor_diri: str | None  # NOT_REPORTED / REPORTED / UNKNOWN, 30+ days abroad
    jht: str | None  # JHT / NO_JHT, members
    claims: tuple[Claim, ...] = ()
    cases: tuple[Case, ...] = ()
    money: tuple[Money, ...] = ()


def stats_row(
    sets: Sequence[RecordSet], sources: Mapping[str, SourceState], verdict: Verdict, day: date
) -> StatsRow:
    placements = [p for s in sets for p in s.placements if p.status != PlacementStatus.CANCELLED]
    current = _current(placements)
    memberships = [m for s in sets for m in s.memberships]
    coverages = [c for m in memberships for c in m.coverages]
    reports = [r for s in sets for r in s.reports]
    cases = [c for s in sets for c in s.cases]
    bpjs_answered = sources.get("BPJS_KETENAGAKERJAAN", SourceState.NOT_FOUND) in ANSWERED
    embassy_answered = sources.get("EMBASSY", SourceState.NOT_FOUND) in ANSWERED
    p2mi_answered = sources.get("P2MI", SourceState.NOT_FOUND) in ANSWERED
    abroad = current is not None and current.status in ABROAD

    def answer(yes: bool, known: bool, on: str, off: str) -> str:
        return on if yes else (off if known else UNKNOWN)

    active = {c.program for c in coverages if c.active_on(day)}
    in_scope = verdict.phase != ProtectionPhase.UNKNOWN or not verdict.complete
    enrolled = None
    if in_scope:
        both = Program.JKK in active and Program.JKM in active
        enrolled = "YES" if both else ("NO" if bpjs_answered else UNKNOWN)
    placed_not_enrolled = cover_lapsed = departed_uncovered = no_lapor = None
    if abroad:
        placed_not_enrolled = answer(not memberships, bpjs_answered, "NO_MEMBERSHIP", "MEMBER")
        if memberships and not bpjs_answered:
            placed_not_enrolled = "MEMBER"
        placement_cover = [c for c in coverages if c.phase == ProtectionPhase.PLACEMENT]
        if placement_cover:
            lapsed = not any(c.active_on(day) for c in placement_cover)
            cover_lapsed = answer(lapsed, bpjs_answered, "LAPSED", "COVERED")
        departed = current.departed_on if current else None
        if departed is not None and departed <= day - timedelta(days=LAPOR_DIRI_DAYS):
            reported = any(r.reported_on >= departed for r in reports)
            no_lapor = "REPORTED" if reported else ("NOT_REPORTED" if embassy_answered else UNKNOWN)
    if current is not None and current.departed_on is not None:
        before = any(
            c.start <= current.departed_on
            and c.phase in (ProtectionPhase.PRE_PLACEMENT, ProtectionPhase.PLACEMENT)
            for c in coverages
        )
        departed_uncovered = "COVERED" if before else ("NOT_COVERED" if bpjs_answered else UNKNOWN)
    works_abroad = any(r.purpose == StayPurpose.WORK for r in reports)
    not_in_siskop2mi = None
    if works_abroad and not abroad:
        not_in_siskop2mi = (
            "IN_SISKOP2MI" if placements else ("NOT_IN_SISKOP2MI" if p2mi_answered else UNKNOWN)
        )
    elif works_abroad:
        not_in_siskop2mi = "IN_SISKOP2MI"
    jht = None
    if memberships:
        jht = "JHT" if any(c.program == Program.JHT for c in coverages) else "NO_JHT"
    person = next((s.person for s in sets if s.person.sex or s.person.birth_date), None)
    return StatsRow(
        country=_country(current, reports),
        sector=current.sector.value if current else UNKNOWN,
        sex=person.sex.value if person and person.sex else UNKNOWN,
        age_band=_age_band(person.birth_date if person else None, day),
        phase=verdict.phase.value,
        level=verdict.level.value,
        scheme=current.scheme.value if current else UNKNOWN,
        employer=(
            current.employer.kind.value
            if current and current.employer and current.employer.kind
            else UNKNOWN
        ),
        province=_province(sets),
        departure_year=str(current.departed_on.year) if current and current.departed_on else NONE,
        enrolled=enrolled,
        placed_not_enrolled=placed_not_enrolled,
        cover_lapsed=cover_lapsed,
        departed_uncovered=departed_uncovered,
        not_in_siskop2mi=not_in_siskop2mi,
        no_lapor_diri=no_lapor,
        jht=jht,
        claims=tuple(
            Claim(
                programme=c.program.value,
                benefit=c.benefit.value if c.benefit else UNKNOWN,
                outcome=_outcome(c.status),
                amount=c.amount if c.status == ClaimStatus.PAID else None,
                year=str(c.submitted_on.year),
                days=(
                    _days_band(c.submitted_on, c.paid_on) if c.status == ClaimStatus.PAID else None
                ),
            )
            for m in memberships
            for c in m.claims
        ),
        cases=tuple(
            Case(kind=c.kind.value, status=c.status.value, year=str(c.opened_at.year))
            for c in cases
        ),
        money=_money(memberships),
    )


def _money(memberships: Sequence[MembershipRecord]) -> tuple[Money, ...]:
    """Contributions by the year paid (the period's year when no payment day is recorded) and
    paid claims' amounts by the year paid (UNKNOWN when not recorded), summed per year."""
    sums: dict[tuple[str, str], int] = {}
    for m in memberships:
        for c in m.contributions:
            year = str(c.paid_on.year) if c.paid_on else c.period[:4]
            sums[(year, "CONTRIBUTIONS")] = sums.get((year, "CONTRIBUTIONS"), 0) + c.amount
        for claim in m.claims:
            if claim.status == ClaimStatus.PAID and claim.amount:
                year = str(claim.paid_on.year) if claim.paid_on else UNKNOWN
                sums[(year, "BENEFITS_PAID")] = sums.get((year, "BENEFITS_PAID"), 0) + claim.amount
    return tuple(Money(year, flow, amount) for (year, flow), amount in sorted(sums.items()))


def _current(placements: list[PlacementRecord]) -> PlacementRecord | None:
    """The placement that describes the worker now: abroad first, then the latest."""
    if not placements:
        return None

    def key(p: PlacementRecord) -> tuple[int, date]:
        when = p.departed_on or p.contract_start or p.agreement_signed_on or date.min
        return (1 if p.status in ABROAD else 0, when)

    return max(placements, key=key)


def _country(current: PlacementRecord | None, reports: list) -> str:
    if current is not None and current.destination_country:
        return current.destination_country.upper()
    for report in reports:
        if report.mission is not None and report.mission.country:
            return report.mission.country.upper()
    return UNKNOWN


def _age_band(born: date | None, day: date) -> str:
    if born is None:
        return UNKNOWN
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if age < 18:
        return "UNDER_18"
    for upper, band in ((24, "18_24"), (34, "25_34"), (44, "35_44")):
        if age <= upper:
            return band
    return "45_PLUS"


def _province(sets: Sequence[RecordSet]) -> str:
    """The registering office's province, from the ID PMI (PMI-RRRR-YYYY-...), never the NIK."""
    for s in sets:
        for p in s.placements:
            parts = p.pmi_id.split("-")
            if len(parts) >= 2 and parts[1][:2] in PROVINCES:
                return parts[1][:2]
    return UNKNOWN


def _days_band(submitted: date, paid: date | None) -> str:
    if paid is None or paid < submitted:
        return UNKNOWN
    days = (paid - submitted).days
    return next((band for upper, band in PAYMENT_DAYS if days <= upper), "61_PLUS")


def _outcome(status: ClaimStatus) -> str:
    if status == ClaimStatus.PAID:
        return "PAID"
    if status == ClaimStatus.REJECTED:
        return "REJECTED"
    return "PENDING"


__all__ = [
    "AGE_BANDS",
    "DAYS_BANDS",
    "NONE",
    "UNKNOWN",
    "Case",
    "Claim",
    "Money",
    "StatsRow",
    "stats_row",
]
