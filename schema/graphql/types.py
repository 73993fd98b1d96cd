"""GraphQL object types of SCHEMA.graphql, built from records by plain constructors.

Every field here is a plain attribute: the hub loads each section once per request and hands
finished objects to Strawberry, so leaf fields resolve synchronously (DESIGN.md, performance).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import strawberry

from schema import enums
from schema.graphql.agency import Agency as AgencyEnum
from schema.missions import mission_info
from schema.records import (
    CaseRecord,
    ClaimRecord,
    ContributionRecord,
    MissionRecord,
)
from schema.records import (
    Provenance as ProvenanceRecord,
)

Agency = strawberry.enum(AgencyEnum, name="Agency")
Sex = strawberry.enum(enums.Sex)
LicenseStatus = strawberry.enum(enums.LicenseStatus)
PlacementStatus = strawberry.enum(enums.PlacementStatus)
PlacementScheme = strawberry.enum(enums.PlacementScheme)
Sector = strawberry.enum(enums.Sector)
Program = strawberry.enum(enums.Program)
ClaimStatus = strawberry.enum(enums.ClaimStatus)
CaseKind = strawberry.enum(enums.CaseKind)
CaseStatus = strawberry.enum(enums.CaseStatus)
Severity = strawberry.enum(enums.Severity)
ProtectionPhase = strawberry.enum(enums.ProtectionPhase)
ProtectionLevel = strawberry.enum(enums.ProtectionLevel)
MatchMethod = strawberry.enum(enums.MatchMethod)
SourceState = strawberry.enum(enums.SourceState)


@strawberry.enum
class Lang(StrEnum):
    ID = "ID"
    EN = "EN"


@strawberry.type(description="Where a fact came from and how fresh it is.")
class Provenance:
    agency: Agency  # type: ignore[valid-type]
    system: str
    record_id: str
    fetched_at: dt.datetime
    stale: bool

    @classmethod
    def of(cls, p: ProvenanceRecord) -> Provenance:
        return cls(
            agency=AgencyEnum(p.agency),
            system=p.system,
            record_id=p.record_id,
            fetched_at=p.fetched_at,
            stale=p.stale,
        )


@strawberry.type
class SourceLink:
    agency: Agency  # type: ignore[valid-type]
    local_id: str
    match_method: MatchMethod  # type: ignore[valid-type]
    confidence: float


@strawberry.type
class Passport:
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None


@strawberry.type
class Identity:
    nik: str
    full_name: str
    other_names: list[str]
    birth_date: dt.date | None
    sex: Sex | None  # type: ignore[valid-type]
    origin_province: str | None
    origin_regency: str | None
    passports: list[Passport]
    phone: str | None
    next_of_kin: Contact | None
    links: list[SourceLink]

    @strawberry.field(
        description="The last four characters of the newest passport: enough to tell two "
        "people of the same name apart in a list, without the whole number."
    )
    def passport_last4(self) -> str | None:
        if not self.passports:
            return None
        newest = max(self.passports, key=lambda p: p.expires_on or dt.date.min)
        return newest.number[-4:]


@strawberry.type
class Contact:
    name: str
    relation: str | None
    phone: str | None
    address: str | None


@strawberry.type
class PlacementAgency:
    name: str
    license_number: str
    license_status: LicenseStatus  # type: ignore[valid-type]
    phone: str | None


@strawberry.type
class Employer:
    name: str
    country: str
    city: str | None
    phone: str | None


@strawberry.type
class Placement:
    placement_id: str
    pmi_id: str
    card_number: str | None
    status: PlacementStatus  # type: ignore[valid-type]
    scheme: PlacementScheme  # type: ignore[valid-type]
    destination_country: str
    occupation: str
    sector: Sector  # type: ignore[valid-type]
    employer: Employer | None
    agency: PlacementAgency | None
    contract_start: dt.date | None
    contract_end: dt.date | None
    contract_endorsed: bool | None
    orientation_completed: bool | None
    departed_on: dt.date | None
    returned_on: dt.date | None
    provenance: list[Provenance]


@strawberry.type
class ProgramCoverage:
    program: Program  # type: ignore[valid-type]
    phase: ProtectionPhase  # type: ignore[valid-type]
    start: dt.date
    end: dt.date
    active: bool


@strawberry.type
class Contribution:
    period: str
    amount: int
    paid_on: dt.date | None

    @classmethod
    def of(cls, r: ContributionRecord) -> Contribution:
        return cls(period=r.period, amount=r.amount, paid_on=r.paid_on)


@strawberry.type
class Claim:
    program: Program  # type: ignore[valid-type]
    status: ClaimStatus  # type: ignore[valid-type]
    submitted_on: dt.date
    amount: int | None
    paid_on: dt.date | None = strawberry.field(
        default=None, description="The day a PAID claim was paid, when BPJS records it."
    )

    @classmethod
    def of(cls, r: ClaimRecord) -> Claim:
        return cls(
            program=r.program,
            status=r.status,
            submitted_on=r.submitted_on,
            amount=r.amount,
            paid_on=r.paid_on,
        )


@strawberry.type
class SocialSecurity:
    kpj: str
    coverages: list[ProgramCoverage]
    contributions: list[Contribution]
    claims: list[Claim]
    provenance: list[Provenance]


@strawberry.type(description="An Indonesian embassy or consulate: public reference data.")
class Mission:
    code: str
    name: str
    city: str
    country: str
    phone: str | None = strawberry.field(
        default=None, description="The mission's public switchboard (schema/missions.py)."
    )

    @classmethod
    def of(cls, m: MissionRecord | None) -> Mission | None:
        if m is None:
            return None
        info = mission_info(m.code)
        phone = info.phone if info is not None else None
        return cls(code=m.code, name=m.name, city=m.city, country=m.country, phone=phone)


@strawberry.type
class ConsularRecord:
    reported: bool
    mission: Mission | None
    reported_on: dt.date | None
    address_abroad: str | None
    last_contact_on: dt.date | None
    provenance: list[Provenance]


@strawberry.type(description="One change of a hub case: who, when, and why.")
class CaseHistoryEntry:
    event: str
    at: dt.datetime
    status: CaseStatus  # type: ignore[valid-type]
    previous_status: CaseStatus | None  # type: ignore[valid-type]
    note: str | None
    agency: Agency | None  # type: ignore[valid-type]


@strawberry.type
class Case:
    id: strawberry.ID
    kind: CaseKind  # type: ignore[valid-type]
    status: CaseStatus  # type: ignore[valid-type]
    severity: Severity  # type: ignore[valid-type]
    opened_at: dt.datetime
    mission: Mission | None
    summary: str
    agencies: list[Agency]  # type: ignore[valid-type]
    provenance: list[Provenance]
    # Beyond the contract: which worker, and for the hub's own cases their register entry.
    worker_id: strawberry.ID | None = None
    source: str = strawberry.field(
        default="AGENCY", description="HUB for cases opened through the hub, else AGENCY."
    )
    updated_at: dt.datetime | None = None
    history: list[CaseHistoryEntry] = strawberry.field(default_factory=list)
    accompanied_by: str | None = strawberry.field(
        default=None,
        description="The partner organisation accompanying the case (pendamping), by code.",
    )

    @classmethod
    def of(cls, r: CaseRecord) -> Case:
        return cls(
            id=strawberry.ID(r.id),
            kind=r.kind,
            status=r.status,
            severity=r.severity,
            opened_at=r.opened_at,
            mission=Mission.of(r.mission),
            summary=r.summary,
            agencies=[AgencyEnum(a) for a in (r.agencies or (r.provenance.agency,))],
            provenance=[Provenance.of(r.provenance)],
        )


@strawberry.type
class SourceStatus:
    agency: Agency  # type: ignore[valid-type]
    state: SourceState  # type: ignore[valid-type]
    fetched_at: dt.datetime | None
    message: str | None


@strawberry.type
class SourceHealth:
    agency: Agency  # type: ignore[valid-type]
    state: SourceState  # type: ignore[valid-type]
    breaker_open: bool
    latency_ms_p50: float | None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
