"""Reading a generated scenario back: target measures and the situations rules look for.

These read only the scenario (what the sandboxes serve), never the generator's internals, so
they check the generator from the outside.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from schema.population import MORATORIUM_COUNTRIES, TARGETS, GenerationStats
from schema.scenario import Scenario
from schema.scenario.models import Coverage, Person, Placement

AS_OF = date(2026, 11, 24)
SEED = 2026
ABROAD = ("WORKING", "DEPARTED")


@dataclass(frozen=True)
class Population:
    path: Path
    stats: GenerationStats
    scenario: Scenario


def placements(person: Person) -> list[Placement]:
    return [pl for record in person.p2mi for pl in record.placements]


def latest(person: Person) -> Placement | None:
    pls = placements(person)
    return max(pls, key=lambda pl: pl.contractStart or date.min) if pls else None


def _bpjs_abroad(person: Person, pl: Placement) -> str:
    assert pl.departedOn is not None
    covs = [c for record in person.bpjs for c in record.coverages]
    if any(c.phase == "PLACEMENT" and c.start >= pl.departedOn for c in covs):
        return "PLACEMENT"
    window = pl.departedOn - timedelta(days=200)
    if any(c.phase == "PRE_PLACEMENT" and window <= c.start <= pl.departedOn for c in covs):
        return "PRE_PLACEMENT_ONLY"
    return "NOT_ENROLLED"


def measure(name: str, scenario: Scenario) -> Counter[str]:
    """Counts for the categories of ``TARGETS[name]``."""
    counts: Counter[str] = Counter()
    known = set(TARGETS[name].shares)
    if name == "licenceStatus":
        counts.update(a.status.value for a in scenario.placementAgencies)
        return counts
    for person in scenario.people:
        pls, last = placements(person), latest(person)
        if name == "province":
            counts[person.nik[:2]] += 1
        elif name == "lifecycle":
            if last is not None:
                counts[last.status.value] += 1
            else:
                counts["EMBASSY_ONLY" if person.embassy else "KEMNAKER_ONLY"] += 1
        elif name == "bpjsAbroad":
            if last is not None and last.status in ABROAD:
                counts[_bpjs_abroad(person, last)] += 1
        else:
            for pl in pls:
                value = {
                    "destination": pl.country,
                    "sector": pl.sector.value,
                    "scheme": pl.scheme.value,
                }[name]
                if name == "sector" and value in ("DOMESTIC", "CARE"):
                    value = "HOUSEHOLD_AND_CARE"
                rest = "OTHER" if name == "destination" else "OTHER_SECTORS"
                counts[value if value in known else rest] += 1
    return counts


def _abroad(person: Person) -> Placement | None:
    last = latest(person)
    return last if last is not None and last.status in ABROAD else None


def _coverages(person: Person) -> list[Coverage]:
    return [c for record in person.bpjs for c in record.coverages]


def _placement_cover_end(person: Person, pl: Placement) -> date | None:
    ends = [
        c.end
        for c in _coverages(person)
        if c.phase == "PLACEMENT" and pl.departedOn and c.start >= pl.departedOn
    ]
    return max(ends) if ends else None


def _licence(scenario: Scenario, status: str) -> Callable[[Person], bool]:
    statuses = {a.licenseNumber: a.status.value for a in scenario.placementAgencies}

    def check(person: Person) -> bool:
        pl = _abroad(person)
        return pl is not None and statuses.get(pl.agencyLicense or "") == status

    return check


def _moratorium(person: Person) -> bool:
    pl = _abroad(person)
    return (
        pl is not None
        and pl.country in MORATORIUM_COUNTRIES
        and pl.sector == "DOMESTIC"
        and pl.employer is not None
        and not pl.employer.name.startswith("Syarikah")
        and pl.contractStart is not None
        and pl.contractStart >= date(2015, 7, 1)
    )


def _passport_days_left(person: Person) -> int | None:
    pl = _abroad(person)
    if pl is None or not person.passports:
        return None
    current = max(person.passports, key=lambda p: p.issuedOn or date.min)
    return (current.expiresOn - AS_OF).days if current.expiresOn else None


def _ends_soon(person: Person) -> bool:
    pl = _abroad(person)
    end = _placement_cover_end(person, pl) if pl else None
    return end is not None and AS_OF <= end <= AS_OF + timedelta(days=30)


def _covered_now(person: Person, phase: str) -> bool:
    return any(c.phase == phase and c.start <= AS_OF <= c.end for c in _coverages(person))


def _swapped(person: Person) -> bool:
    born = person.birthDate
    return any(
        record.birthDateAs == date(born.year, born.day, born.month)
        for block in (person.kemnaker, person.p2mi, person.bpjs, person.embassy)
        for record in block
        if record.birthDateAs and born.day <= 12 and born.day != born.month
    )


def situations(scenario: Scenario) -> dict[str, Callable[[Person], bool]]:
    """Each situation the protection rules and identity resolution must meet, as a test."""
    abroad = _abroad
    return {
        "PLACEMENT_AGENCY_LICENSE_REVOKED": _licence(scenario, "REVOKED"),
        "PLACEMENT_AGENCY_LICENSE_SUSPENDED": _licence(scenario, "SUSPENDED"),
        "MORATORIUM_DESTINATION": _moratorium,
        "ORIENTATION_MISSING": lambda p: (
            (pl := abroad(p)) is not None and pl.orientationCompleted is not True
        ),
        "CONTRACT_NOT_ENDORSED": lambda p: (
            (pl := abroad(p)) is not None
            and pl.placementId not in {c for r in p.embassy for c in r.endorsedContracts}
        ),
        "CONTRACT_EXPIRED_STILL_ABROAD": lambda p: (
            (pl := abroad(p)) is not None
            and pl.status == "WORKING"
            and pl.contractEnd is not None
            and pl.contractEnd < AS_OF
        ),
        "BPJS_NOT_ENROLLED": lambda p: abroad(p) is not None and not p.bpjs,
        "BPJS_COVERAGE_EXPIRED": lambda p: (
            (pl := abroad(p)) is not None
            and (end := _placement_cover_end(p, pl)) is not None
            and end < AS_OF
        ),
        "BPJS_COVERAGE_ENDS_SOON": _ends_soon,
        "BPJS_PHASE_NOT_COVERED": lambda p: (
            abroad(p) is not None
            and bool(p.bpjs)
            and all(c.phase == "PRE_PLACEMENT" for c in _coverages(p))
        ),
        "JHT_ENROLLED": lambda p: any(c.program == "JHT" for c in _coverages(p)),
        "NOT_REPORTED_TO_MISSION": lambda p: abroad(p) is not None and not p.embassy,
        "PASSPORT_EXPIRED": lambda p: (d := _passport_days_left(p)) is not None and d < 0,
        "PASSPORT_EXPIRES_SOON": lambda p: (
            (d := _passport_days_left(p)) is not None and 0 <= d <= 183
        ),
        "NOT_IN_SISKOP2MI": lambda p: bool(p.embassy) and not p.p2mi,
        "OPEN_CASE": lambda p: any(c.status != "CLOSED" for r in p.embassy for c in r.cases),
        "CRITICAL_CASE": lambda p: any(
            c.severity == "CRITICAL" for r in p.embassy for c in r.cases
        ),
        "P2MI_COMPLAINT": lambda p: any(r.complaints for r in p.p2mi),
        "RETURNED": lambda p: (pl := latest(p)) is not None and pl.status == "RETURNED",
        "RETURNED_POST_PLACEMENT_COVERED": lambda p: (
            (pl := latest(p)) is not None
            and pl.status == "RETURNED"
            and _covered_now(p, "POST_PLACEMENT")
        ),
        "PRE_DEPARTURE_COVERED": lambda p: (
            (pl := latest(p)) is not None
            and pl.status in ("REGISTERED", "READY")
            and _covered_now(p, "PRE_PLACEMENT")
        ),
        "SEVERAL_PLACEMENTS": lambda p: len(placements(p)) >= 2,
        "EMBASSY_NO_NIK_WITH_PASSPORT": lambda p: any(
            not r.nikKnown and r.passportKnown for r in p.embassy
        ),
        "EMBASSY_NAME_AND_BIRTH_DATE_ONLY": lambda p: any(
            not r.nikKnown and not r.passportKnown for r in p.embassy
        ),
        "TWO_KPJ_NUMBERS": lambda p: len(p.bpjs) >= 2,
        "TWO_EMBASSY_RECORDS_OLD_AND_NEW_PASSPORT": lambda p: (
            len(p.embassy) >= 2
            and len({r.passportKnown for r in p.embassy if r.passportKnown}) >= 2
        ),
        "TWO_P2MI_RECORDS": lambda p: len(p.p2mi) >= 2,
        "BIRTH_DATE_DAY_MONTH_SWAPPED": _swapped,
        "NAME_SPELLED_THREE_WAYS": lambda p: (
            len(
                {
                    r.nameAs or p.name
                    for block in (p.kemnaker, p.p2mi, p.bpjs, p.embassy)
                    for r in block
                }
                | {p.name}
            )
            >= 3
        ),
        "KEMNAKER_ONLY": lambda p: bool(p.kemnaker) and not (p.p2mi or p.bpjs or p.embassy),
    }


def situation_names() -> list[str]:
    return sorted(situations(Scenario(asOf=AS_OF)))
