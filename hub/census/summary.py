"""From one worker's records and verdict to the census record: pure, no I/O.

The record keeps what a crisis cohort is chosen by and nothing that names the person: the
destination country and employer city of the current placement, the mission of the latest
lapor diri (else the one serving the place abroad, as a case is routed: hub/cases/missions.py)
and the region the lapor diri gives (the last part of the address, never the street), the last
contact with a mission, and the placement company's licence number and status; and, given the
agencies' answers, the categories the coverage statistics count (hub/statistics/stored.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from hub.census.tables import CensusRow
from hub.protection import Verdict
from hub.statistics.facts import stats_row
from hub.statistics.stored import stat_columns
from schema.enums import PlacementStatus, ProtectionLevel, Severity, SourceState
from schema.records import (
    ConsularReportRecord,
    LicenseRecord,
    MissionRecord,
    PlacementRecord,
    RecordSet,
)

# ``MissionCatalog.serving``: the mission for a country and employer city abroad, if any
Serving = Callable[[str | None, str | None], MissionRecord | None]

# The urgency order of a cohort: gravest first; UNKNOWN (a verdict that could not be made)
# after UNPROTECTED and before AT_RISK.
URGENCY = {
    ProtectionLevel.EMERGENCY: 0,
    ProtectionLevel.UNPROTECTED: 1,
    ProtectionLevel.UNKNOWN: 2,
    ProtectionLevel.AT_RISK: 3,
    ProtectionLevel.PROTECTED: 4,
}
# How bad a known level is; UNKNOWN has none (an outage is not a worsening).
GRAVITY = {
    ProtectionLevel.PROTECTED: 0,
    ProtectionLevel.AT_RISK: 1,
    ProtectionLevel.UNPROTECTED: 2,
    ProtectionLevel.EMERGENCY: 3,
}
GRAVE = frozenset({Severity.HIGH, Severity.CRITICAL})
ABROAD = frozenset({PlacementStatus.DEPARTED, PlacementStatus.WORKING})
MAX_PLACE = 80


def current_placement(placements: Iterable[PlacementRecord]) -> PlacementRecord | None:
    """The placement the worker is in now: one abroad first, else the latest begun."""

    def key(p: PlacementRecord) -> tuple[int, date, str]:
        begun = p.departed_on or p.contract_start or date.min
        return (1 if p.status in ABROAD else 0, begun, p.placement_id)

    return max(placements, key=key, default=None)


def latest_report(reports: Iterable[ConsularReportRecord]) -> ConsularReportRecord | None:
    return max(reports, key=lambda r: (r.reported_on, r.provenance.record_id), default=None)


def region_of(address: str | None) -> str | None:
    """The region of a lapor diri address: its last comma-separated part, lower case, with
    no digits (a street or house number is never kept)."""
    if not address:
        return None
    part = address.rsplit(",", 1)[-1].strip().lower()
    if not part or any(ch.isdigit() for ch in part):
        return None
    return part[:MAX_PLACE]


def place(value: str | None) -> str | None:
    return value.strip().lower()[:MAX_PLACE] if value and value.strip() else None


def codes(findings: Iterable[str]) -> str:
    """Codes stored as ``,A,B,``: a LIKE '%,A,%' finds one exactly."""
    unique = sorted(set(findings))
    return f",{','.join(unique)}," if unique else ""


def split_codes(stored: str) -> list[str]:
    return [c for c in stored.split(",") if c]


def census_row(
    worker_id: str,
    verdict: Verdict,
    sets: Iterable[RecordSet],
    licences: Mapping[str, LicenseRecord],
    today: date,
    sources: Mapping[str, SourceState] | None = None,
    *,
    serving: Serving,
) -> CensusRow:
    """``sources`` (each agency's answer) adds the statistics' facts; without it they stay
    empty and a statistics run will not read this row. The mission is the latest lapor diri's,
    else ``serving`` the place abroad (a worker who never reported is still in her mission's
    cohorts and alerts)."""
    sets = list(sets)
    stats = stat_columns(stats_row(sets, sources, verdict, today), sources) if sources else {}
    placement = current_placement(p for s in sets for p in s.placements)
    reports = [r for s in sets for r in s.reports]
    report = latest_report(reports)
    contacts = [r.last_contact_on for r in reports if r.last_contact_on is not None]
    mission = report.mission if report is not None else None
    country = placement.destination_country if placement is not None else None
    if country is None and mission is not None:
        country = mission.country
    licence = placement.agency_license if placement is not None else None
    known = licences.get(licence) if licence else None
    abroad = placement.status in ABROAD if placement is not None else report is not None
    employer = placement.employer if placement is not None else None
    if mission is None and placement is not None and placement.status in ABROAD:
        city = employer.city if employer is not None else None
        mission = serving(placement.destination_country, city)
    return CensusRow(
        worker_id=worker_id,
        level=verdict.level.value,
        level_rank=URGENCY[verdict.level],
        phase=verdict.phase.value,
        complete=verdict.complete,
        findings=codes(verdict.codes()),
        grave=codes(f.code for f in verdict.findings if f.severity in GRAVE),
        rules_version=verdict.rules_version,
        evaluated_at=verdict.evaluated_at,
        evaluated_on=today,
        country=(country or "").upper()[:2] or None,
        mission_code=mission.code if mission is not None else None,
        city=place(employer.city if employer is not None else None),
        region=region_of(report.address if report is not None else None),
        last_contact_on=max(contacts, default=None),
        licence=licence,
        licence_status=known.status.value if known is not None else None,
        abroad=abroad,
        **stats,
    )


__all__ = [
    "GRAVITY",
    "URGENCY",
    "census_row",
    "codes",
    "current_placement",
    "region_of",
    "split_codes",
]
