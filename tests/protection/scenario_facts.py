"""Test helper: a scenario person as the connectors would hand it to the engine.

A direct mapping of ``schema.scenario`` to records, mimicking the four connectors (their
agency codes, system names and local ids), so that engine tests read like scenarios: a JSON-ish
person dict in, ``WorkerFacts`` out. An agency marked unavailable or denied contributes no
records, as when its connector fails.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

from hub.protection.facts import BPJS, EMBASSY, KEMNAKER, P2MI, WorkerFacts
from schema.enums import SourceState
from schema.records import (
    CaseRecord,
    ConsularReportRecord,
    CoverageRecord,
    EmployerRecord,
    EndorsementRecord,
    LicenseRecord,
    MembershipRecord,
    MissionRecord,
    PassportRecord,
    PersonRecord,
    PlacementRecord,
    Provenance,
    RecordSet,
)
from schema.scenario import Scenario
from schema.scenario.loader import validate_scenario
from schema.scenario.models import AgencyBlock, Passport, Person

FETCHED = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))
SYSTEMS = {KEMNAKER: "SIAPkerja", P2MI: "SISKOP2MI", BPJS: "BPJSTK-PMI", EMBASSY: "PeduliWNI"}
BLOCKS = {KEMNAKER: "kemnaker", P2MI: "p2mi", BPJS: "bpjs", EMBASSY: "embassy"}

MISSIONS = [
    {"code": "HKG", "name": "KJRI Hong Kong", "city": "Hong Kong", "country": "HK"},
    {"code": "KUL", "name": "KBRI Kuala Lumpur", "city": "Kuala Lumpur", "country": "MY"},
    {"code": "RUH", "name": "KBRI Riyadh", "city": "Riyadh", "country": "SA"},
]
PLACEMENT_AGENCIES = [
    {"licenseNumber": "KEP.045/2021", "name": "PT Mitra Karya Migran", "status": "ACTIVE"},
    {"licenseNumber": "KEP.123/2022", "name": "PT Sinar Jaya Abadi", "status": "REVOKED"},
    {"licenseNumber": "KEP.077/2023", "name": "PT Bunga Harapan", "status": "SUSPENDED"},
    {"licenseNumber": "KEP.010/2015", "name": "PT Lama Sekali", "status": "EXPIRED"},
    {"licenseNumber": "KEP.999/2020", "name": "PT Tanpa Jejak", "status": "UNKNOWN"},
]


def facts_for(
    person: dict[str, Any],
    *,
    unavailable: Iterable[str] = (),
    denied: Iterable[str] = (),
    stale: Iterable[str] = (),
    unregistered: Iterable[str] = (),
) -> WorkerFacts:
    """``person`` in the scenario format (SCENARIO.md), against this module's missions and
    placement agencies; ``unregistered`` licence numbers are missing from Kemnaker's registry."""
    raw = {
        "asOf": "2026-11-24",
        "missions": MISSIONS,
        "placementAgencies": PLACEMENT_AGENCIES,
        "people": [copy.deepcopy(person)],
    }
    scenario = validate_scenario(raw, source="test person")
    return facts_of(
        scenario.people[0],
        scenario,
        unavailable=unavailable,
        denied=denied,
        stale=stale,
        unregistered=unregistered,
    )


def facts_of(
    person: Person,
    scenario: Scenario,
    *,
    unavailable: Iterable[str] = (),
    denied: Iterable[str] = (),
    stale: Iterable[str] = (),
    unregistered: Iterable[str] = (),
) -> WorkerFacts:
    failed = {**dict.fromkeys(unavailable, SourceState.UNAVAILABLE)}
    failed.update(dict.fromkeys(denied, SourceState.DENIED))
    stale = set(stale)
    sources: dict[str, SourceState] = {}
    sets: list[RecordSet] = []
    for agency, block in BLOCKS.items():
        records = getattr(person, block)
        if agency in failed:
            sources[agency] = failed[agency]
            continue
        sources[agency] = (
            SourceState.NOT_FOUND
            if not records
            else SourceState.STALE
            if agency in stale
            else SourceState.OK
        )
        sets += (_record_set(agency, person, r, scenario, agency in stale) for r in records)
    licenses: dict[str, LicenseRecord] = {}
    if KEMNAKER not in failed:
        agencies = {a.licenseNumber: a for a in scenario.placementAgencies}
        wanted = {p.agency_license for s in sets for p in s.placements if p.agency_license}
        for number in sorted(wanted - set(unregistered)):
            a = agencies[number]
            licenses[number] = LicenseRecord(
                number, a.name, a.status, _prov(KEMNAKER, number, KEMNAKER in stale)
            )
    return WorkerFacts.assemble(sets, licenses, sources)


def _prov(agency: str, record_id: str, stale: bool) -> Provenance:
    return Provenance(agency, SYSTEMS[agency], record_id, FETCHED, stale)


def _held(person: Person, block: AgencyBlock) -> tuple[PassportRecord, ...]:
    passports: list[Passport] = list(person.passports)
    if block.passportKnown is not None:
        same = [p for p in passports if p.number == block.passportKnown]
        passports = same or [Passport(number=block.passportKnown)]
    return tuple(PassportRecord(p.number, p.issuedOn, p.expiresOn) for p in passports)


def _record_set(
    agency: str, person: Person, block: Any, scenario: Scenario, stale: bool
) -> RecordSet:
    local_id = {
        KEMNAKER: "jobSeekerId",
        P2MI: "pmiId",
        BPJS: "kpj",
        EMBASSY: "recordId",
    }[agency]
    key = getattr(block, local_id)
    prov = _prov(agency, key, stale)
    record = PersonRecord(
        agency=agency,
        local_id=key,
        name=block.nameAs or person.name,
        provenance=prov,
        nik=person.nik if block.nikKnown else None,
        birth_date=block.birthDateAs or person.birthDate,
        sex=person.sex,
        passports=_held(person, block) if agency in (P2MI, EMBASSY) else (),
    )
    if agency == P2MI:
        return _p2mi(record, block, scenario, stale)
    if agency == BPJS:
        membership = MembershipRecord(
            key,
            prov,
            coverages=tuple(
                CoverageRecord(c.program, c.phase, c.start, c.end) for c in block.coverages
            ),
        )
        return RecordSet(record, memberships=(membership,))
    if agency == EMBASSY:
        return _embassy(record, block, scenario, stale)
    return RecordSet(record)


def _p2mi(record: PersonRecord, block: Any, scenario: Scenario, stale: bool) -> RecordSet:
    names = {a.licenseNumber: a.name for a in scenario.placementAgencies}
    placements = tuple(
        PlacementRecord(
            placement_id=p.placementId,
            pmi_id=block.pmiId,
            status=p.status,
            scheme=p.scheme,
            destination_country=p.country,
            occupation=p.occupation,
            sector=p.sector,
            provenance=_prov(P2MI, p.placementId, stale),
            employer=EmployerRecord(p.employer.name, p.employer.country) if p.employer else None,
            agency_license=p.agencyLicense,
            agency_name=names.get(p.agencyLicense or ""),
            contract_start=p.contractStart,
            contract_end=p.contractEnd,
            orientation_completed=p.orientationCompleted,
            departed_on=p.departedOn,
            returned_on=p.returnedOn,
        )
        for p in block.placements
    )
    cases = tuple(
        _case(P2MI, c, datetime.combine(c.filedOn, time(0), WIB), None, stale)
        for c in block.complaints
    )
    return RecordSet(record, placements=placements, cases=cases)


def _embassy(record: PersonRecord, block: Any, scenario: Scenario, stale: bool) -> RecordSet:
    missions = {m.code: MissionRecord(m.code, m.name, m.city, m.country) for m in scenario.missions}
    prov = record.provenance
    reports = tuple(
        ConsularReportRecord(
            r.reportedOn, prov, missions.get(r.mission), r.address, r.lastContactOn
        )
        for r in block.reports
    )
    latest = max(block.reports, key=lambda r: r.reportedOn, default=None)
    handling = missions.get(latest.mission) if latest else None  # as the embassy sandbox does
    cases = tuple(_case(EMBASSY, c, c.openedAt, handling, stale) for c in block.cases)
    endorsements = tuple(
        EndorsementRecord(pid, _prov(EMBASSY, pid, stale)) for pid in block.endorsedContracts
    )
    return RecordSet(record, reports=reports, endorsements=endorsements, cases=cases)


def _case(
    agency: str, case: Any, opened_at: datetime, mission: MissionRecord | None, stale: bool
) -> CaseRecord:
    """A P2MI complaint or a consular case (they share kind, status, severity and summary)."""
    return CaseRecord(
        id=case.id,
        kind=case.kind,
        status=case.status,
        severity=case.severity,
        opened_at=opened_at,
        summary=case.summary,
        provenance=_prov(agency, case.id, stale),
        mission=mission,
        agencies=(agency,),
    )
