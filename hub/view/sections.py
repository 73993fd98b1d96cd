"""Build the Worker sections from agency records: the merge rules live here.

Identity prefers the agencies whose records are tied to the civil registry (Kemnaker's
SIAPkerja, then SISKOP2MI, then BPJS, then the missions); every other spelling of the name is
kept in ``otherNames``. Placements take the licence status from the licence registry
(Kemnaker), never from P2MI, and the endorsement from the missions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import strawberry

from hub.cases.records import SYSTEM, HubCase
from hub.crosswalk import Link
from hub.view.worker_view import AgencyResult
from schema.enums import Agency, LicenseStatus
from schema.graphql import types as t
from schema.identifiers import normalize_passport
from schema.records import (
    LicenseRecord,
    MembershipRecord,
    PersonRecord,
    PlacementRecord,
    RecordSet,
)
from schema.regions import province_of

IDENTITY_ORDER = (Agency.KEMNAKER, Agency.P2MI, Agency.BPJS_KETENAGAKERJAAN, Agency.EMBASSY)


def _rank(agency: str) -> int:
    try:
        return IDENTITY_ORDER.index(Agency(agency))
    except ValueError:
        return len(IDENTITY_ORDER)


def persons(results: Iterable[AgencyResult]) -> list[PersonRecord]:
    found = [s.person for r in results for s in r.sets]
    return sorted(found, key=lambda p: (_rank(p.agency), p.local_id))


def build_identity(
    results: Iterable[AgencyResult], links: list[Link], regencies: Mapping[str, str]
) -> t.Identity | None:
    people = persons(results)
    if not people:
        return None
    first = people[0]
    shown = {(p.agency, p.local_id): p.provenance.record_id for p in people}
    nik = next((p.nik for p in people if p.nik), None)
    names: list[str] = []
    for p in people:
        if p.name not in names:
            names.append(p.name)
    passports: dict[str, t.Passport] = {}
    for p in people:
        for passport in p.passports:
            number = normalize_passport(passport.number)
            known = passports.get(number)
            passports[number] = t.Passport(
                number=number,
                issued_on=passport.issued_on or (known.issued_on if known else None),
                expires_on=passport.expires_on or (known.expires_on if known else None),
            )
    kin = next((p.next_of_kin for p in people if p.next_of_kin), None)
    return t.Identity(
        nik=nik or "",
        full_name=first.name,
        other_names=names[1:],
        birth_date=next((p.birth_date for p in people if p.birth_date), None),
        sex=next((p.sex for p in people if p.sex), None),
        origin_province=province_of(nik),
        origin_regency=regencies.get(nik[:4]) if nik else None,
        passports=sorted(passports.values(), key=lambda p: p.expires_on or date.min, reverse=True),
        phone=next((p.phone for p in people if p.phone), None),
        next_of_kin=t.Contact(
            name=kin.name, relation=kin.relation, phone=kin.phone, address=kin.address
        )
        if kin
        else None,
        links=[
            t.SourceLink(
                agency=t.AgencyEnum(link.agency),
                # a sealed key (BPJS's KPJ, hub/crosswalk/record_ids.py) is shown as the agency
                # answered it; the stored token only while that agency does not answer
                local_id=shown.get((link.agency, link.local_id), link.local_id),
                match_method=link.method,
                confidence=link.confidence,
            )
            for link in links
        ],
    )


def build_placements(
    placement_sets: Iterable[RecordSet],
    licenses: Mapping[str, LicenseRecord | None] | None,
    endorsements: Mapping[str, list[RecordSet]] | None,
) -> list[t.Placement]:
    """``licenses`` None: the registry could not be read (status UNKNOWN); ``endorsements``
    None: the missions could not be read (``contractEndorsed`` null)."""
    endorsed: dict[str, t.Provenance] = {}
    for sets in (endorsements or {}).values():
        for s in sets:
            for e in s.endorsements:
                endorsed[e.placement_id] = t.Provenance.of(e.provenance)
    placements = [p for s in placement_sets for p in s.placements]
    placements.sort(key=lambda p: p.departed_on or p.contract_start or date.min, reverse=True)
    return [_placement(p, licenses, endorsements, endorsed) for p in placements]


def _placement(
    p: PlacementRecord,
    licenses: Mapping[str, LicenseRecord | None] | None,
    endorsements: Mapping[str, list[RecordSet]] | None,
    endorsed: Mapping[str, t.Provenance],
) -> t.Placement:
    provenance = [t.Provenance.of(p.provenance)]
    agency = None
    if p.agency_license:
        licence = licenses.get(p.agency_license) if licenses is not None else None
        status = licence.status if licence else LicenseStatus.UNKNOWN
        if licence:
            provenance.append(t.Provenance.of(licence.provenance))
        agency = t.PlacementAgency(
            name=licence.name if licence else (p.agency_name or p.agency_license),
            license_number=p.agency_license,
            license_status=status,
            phone=licence.phone if licence else None,
        )
    endorsement: bool | None = None
    if endorsements is not None:
        endorsement = p.placement_id in endorsed
        if endorsement:
            provenance.append(endorsed[p.placement_id])
    employer = p.employer
    return t.Placement(
        placement_id=p.placement_id,
        pmi_id=p.pmi_id,
        card_number=p.card_number,
        status=p.status,
        scheme=p.scheme,
        destination_country=p.destination_country,
        occupation=p.occupation,
        sector=p.sector,
        employer=t.Employer(
            name=employer.name,
            country=employer.country,
            city=employer.city,
            phone=employer.phone,
        )
        if employer
        else None,
        agency=agency,
        contract_start=p.contract_start,
        contract_end=p.contract_end,
        contract_endorsed=endorsement,
        orientation_completed=p.orientation_completed,
        departed_on=p.departed_on,
        returned_on=p.returned_on,
        provenance=provenance,
    )


def build_social_security(sets: Iterable[RecordSet], today: date) -> t.SocialSecurity | None:
    memberships: list[MembershipRecord] = [m for s in sets for m in s.memberships]
    if not memberships:
        return None

    def latest(m: MembershipRecord) -> date:
        return max((c.end for c in m.coverages), default=date.min)

    primary = max(memberships, key=latest)
    coverages = sorted(
        (c for m in memberships for c in m.coverages), key=lambda c: (c.start, c.program)
    )
    return t.SocialSecurity(
        kpj=primary.kpj,
        coverages=[
            t.ProgramCoverage(
                program=c.program,
                phase=c.phase,
                start=c.start,
                end=c.end,
                active=c.active_on(today),
            )
            for c in coverages
        ],
        contributions=[
            t.Contribution.of(c)
            for c in sorted(
                (c for m in memberships for c in m.contributions), key=lambda c: c.period
            )
        ],
        claims=[
            t.Claim.of(c)
            for c in sorted(
                (c for m in memberships for c in m.claims), key=lambda c: c.submitted_on
            )
        ],
        provenance=[t.Provenance.of(m.provenance) for m in memberships],
    )


def build_consular(results: Iterable[AgencyResult]) -> t.ConsularRecord:
    reports = [r for res in results for s in res.sets for r in s.reports]
    if not reports:
        return t.ConsularRecord(
            reported=False,
            mission=None,
            reported_on=None,
            address_abroad=None,
            last_contact_on=None,
            provenance=[],
        )
    latest = max(reports, key=lambda r: r.reported_on)
    contacts = [r.last_contact_on for r in reports if r.last_contact_on]
    return t.ConsularRecord(
        reported=True,
        mission=t.Mission.of(latest.mission),
        reported_on=latest.reported_on,
        address_abroad=latest.address,
        last_contact_on=max(contacts) if contacts else None,
        provenance=[t.Provenance.of(r.provenance) for r in reports],
    )


def build_cases(
    results: Iterable[AgencyResult], hub_cases: Iterable[HubCase] = (), worker_id: str | None = None
) -> list[t.Case]:
    """The missions' consular cases and the cases opened through the hub, newest first."""
    cases = [t.Case.of(c) for res in results for s in res.sets for c in s.cases]
    for case in cases:
        case.worker_id = strawberry.ID(worker_id) if worker_id else None
    cases += [hub_case(c) for c in hub_cases]
    cases.sort(key=lambda c: c.opened_at, reverse=True)
    return cases


def hub_case(c: HubCase) -> t.Case:
    """A case from the hub's own register (``CASE-HUB-…``); its provenance names the agency
    that opened it, in the hub's register (system PMIHUB)."""
    known = {a.value for a in t.AgencyEnum}
    provenance = (
        [
            t.Provenance(
                agency=t.AgencyEnum(c.opened_by_agency),
                system=SYSTEM,
                record_id=c.id,
                fetched_at=c.updated_at,
                stale=False,
            )
        ]
        if c.opened_by_agency in known
        else []
    )
    return t.Case(
        id=strawberry.ID(c.id),
        kind=c.kind,
        status=c.status,
        severity=c.severity,
        opened_at=c.opened_at,
        mission=t.Mission.of(c.mission),
        summary=c.summary,
        agencies=[t.AgencyEnum(a) for a in c.agencies if a in known],
        provenance=provenance,
        worker_id=strawberry.ID(c.worker_id),
        source="HUB",
        updated_at=c.updated_at,
        accompanied_by=c.partner_org,
        history=[
            t.CaseHistoryEntry(
                event=h.event,
                at=h.at,
                status=h.status,
                previous_status=h.previous_status,
                note=h.note,
                agency=t.AgencyEnum(h.agency) if h.agency in known else None,
            )
            for h in c.history
        ],
    )
