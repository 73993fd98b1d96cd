"""Peduli WNI's validated records -> the hub's records."""

from __future__ import annotations

from datetime import datetime

from connectors.embassy.dialect import SYSTEM
from connectors.embassy.models import CitizenRecord, ConsularCase, Mission, SelfReport
from connectors.kit.base import LookupKey
from schema.enums import Agency
from schema.records import (
    CaseRecord,
    ConsularReportRecord,
    CrossRef,
    EndorsementRecord,
    ExtensionRecord,
    MissionRecord,
    PassportRecord,
    PersonRecord,
    Provenance,
    RecordSet,
)

AGENCY = Agency.EMBASSY.value


def _provenance(record_id: str, fetched_at: datetime) -> Provenance:
    return Provenance(AGENCY, SYSTEM, record_id, fetched_at)


def _mission(mission: Mission | None) -> MissionRecord | None:
    if mission is None:
        return None
    return MissionRecord(mission.code, mission.name, mission.city, mission.country)


def latest_report(record: CitizenRecord) -> SelfReport | None:
    """The most recent lapor diri (the later one in the answer on a tie)."""
    if not record.self_reports:
        return None
    ordered = enumerate(record.self_reports)
    return max(ordered, key=lambda item: (item[1].reported_on, item[0]))[1]


def person_record(record: CitizenRecord, fetched_at: datetime) -> PersonRecord:
    latest = latest_report(record)
    return PersonRecord(
        agency=AGENCY,
        local_id=record.record_id,
        name=record.full_name,
        provenance=_provenance(record.record_id, fetched_at),
        nik=record.nik,
        birth_date=record.birth_date,
        sex=record.sex,
        passports=tuple(
            PassportRecord(p.number, p.issue_date, p.expiry_date) for p in record.passports
        ),
        phone=record.phone,
        address=latest.address_abroad if latest else None,
        cross_refs=tuple(
            CrossRef(Agency.P2MI.value, LookupKey.PLACEMENT_ID.value, placement_id)
            for placement_id in record.endorsed_contracts
        ),
        countries=tuple(dict.fromkeys(r.mission.country for r in record.self_reports if r.mission)),
    )


def report_record(record_id: str, report: SelfReport, fetched_at: datetime) -> ConsularReportRecord:
    return ConsularReportRecord(
        reported_on=report.reported_on,
        provenance=_provenance(record_id, fetched_at),
        mission=_mission(report.mission),
        address=report.address_abroad,
        last_contact_on=report.last_contact_on,
        purpose=report.purpose,
    )


def case_record(case: ConsularCase, fetched_at: datetime) -> CaseRecord:
    return CaseRecord(
        id=case.case_number,
        kind=case.category,
        status=case.status,
        severity=case.priority,
        opened_at=case.opened_at,
        summary=case.summary,
        provenance=_provenance(case.case_number, fetched_at),
        mission=_mission(case.mission),
        agencies=(AGENCY,),
    )


def record_set(record: CitizenRecord, fetched_at: datetime) -> RecordSet:
    record_id = record.record_id
    return RecordSet(
        person=person_record(record, fetched_at),
        reports=tuple(report_record(record_id, r, fetched_at) for r in record.self_reports),
        endorsements=(
            *(
                EndorsementRecord(placement_id, _provenance(record_id, fetched_at))
                for placement_id in record.endorsed_contracts
            ),
            *(
                EndorsementRecord(
                    e.placement_id,
                    _provenance(record_id, fetched_at),
                    ExtensionRecord(e.contract_end, e.signed_on),
                )
                for e in record.extensions
            ),
        ),
        cases=tuple(case_record(c, fetched_at) for c in record.consular_cases),
    )
