"""The records connectors produce: one shape for every agency, whatever its dialect.

Connectors map each agency's native answer into these frozen dataclasses, each carrying its
provenance; the hub merges them into the GraphQL view and the protection engine reads them.
Raw agency payloads never travel past a connector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from schema.enums import (
    Benefit,
    CaseKind,
    CaseStatus,
    ClaimStatus,
    EmployerKind,
    LicenseStatus,
    PlacementScheme,
    PlacementStatus,
    Program,
    ProtectionPhase,
    Sector,
    Severity,
    Sex,
    StayPurpose,
)


class RecordKind(StrEnum):
    PERSON = "PERSON"
    PLACEMENT = "PLACEMENT"
    LICENSE = "LICENSE"
    MEMBERSHIP = "MEMBERSHIP"
    CONSULAR_REPORT = "CONSULAR_REPORT"
    ENDORSEMENT = "ENDORSEMENT"
    CASE = "CASE"


@dataclass(frozen=True, slots=True)
class Provenance:
    agency: str  # an Agency value, or a further agency's code
    system: str  # e.g. "SISKOP2MI"
    record_id: str  # the agency's own key for the record
    fetched_at: datetime
    stale: bool = False


@dataclass(frozen=True, slots=True)
class CrossRef:
    """An identifier a record holds besides its own key: its secondary keys or another agency's.

    ``CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2024-000123")`` on a P2MI record says SISKOP2MI
    knows this person's AK/1 number; ``CrossRef("P2MI", "PLACEMENT_ID", "PL-...")`` on an
    embassy record says the mission endorsed that placement's contract. Two records holding
    the same (agency, key, value) belong to one person.
    """

    agency: str  # whose identifier it is
    key: str  # a connectors.kit.base.LookupKey value
    value: str


@dataclass(frozen=True, slots=True)
class PassportRecord:
    number: str
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class ContactRecord:
    name: str
    relation: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One agency's record of a person: what identity resolution links."""

    agency: str
    local_id: str
    name: str
    provenance: Provenance
    nik: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    passports: tuple[PassportRecord, ...] = ()
    phone: str | None = None
    address: str | None = None
    next_of_kin: ContactRecord | None = None
    cross_refs: tuple[CrossRef, ...] = ()
    # Where the agency knows the person to be (ISO 3166-1 alpha-2): P2MI's placement
    # destinations, the missions' countries of the embassy's reports. The search filters on it.
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EmployerRecord:
    name: str
    country: str
    city: str | None = None
    phone: str | None = None
    kind: EmployerKind | None = None  # None: not recorded


@dataclass(frozen=True, slots=True)
class ExtensionRecord:
    """A new contract term for a placement: as the company reported it to SISKOP2MI, or as
    signed before a mission (then with the mission's provenance, via ``EndorsementRecord``)."""

    contract_end: date
    signed_on: date | None = None


@dataclass(frozen=True, slots=True)
class SeafarerBookRecord:
    """A crew's seafarer's book (Buku Pelaut, PP 22/2022) as SISKOP2MI records it."""

    number: str
    expires_on: date | None = None  # None: not recorded


@dataclass(frozen=True, slots=True)
class SeaAgreementRecord:
    """A crew's sea-service agreement (PKL, PP 22/2022): signed, and endorsed or not."""

    signed_on: date
    endorsed_on: date | None = None  # None: no endorsement recorded


@dataclass(frozen=True, slots=True)
class PlacementRecord:
    placement_id: str
    pmi_id: str
    status: PlacementStatus
    scheme: PlacementScheme
    destination_country: str
    occupation: str
    sector: Sector
    provenance: Provenance
    card_number: str | None = None
    employer: EmployerRecord | None = None
    agency_license: str | None = None
    agency_name: str | None = None  # as P2MI knows it; the licence status comes from Kemnaker
    contract_start: date | None = None
    contract_end: date | None = None
    orientation_completed: bool | None = None
    departed_on: date | None = None
    returned_on: date | None = None
    # Added for the law of 2023-2025 (docs/scenario.md); None: not recorded.
    agreement_signed_on: date | None = None  # the placement agreement (Permenaker 4/2023 Art. 19)
    recruitment_permit: str | None = None  # SIP2MI number (UU 18/2017 Art. 59)
    recruitment_permit_country: str | None = None  # the destination the SIP2MI names
    card_expires_on: date | None = None  # E-PMI / E-KPMI card (Permen P2MI 34/2025)
    extensions: tuple[ExtensionRecord, ...] = ()  # reported by the company
    cancelled_on: date | None = None
    # A crew's (PP 22/2022); None: not recorded.
    seafarer_book: SeafarerBookRecord | None = None
    sea_agreement: SeaAgreementRecord | None = None


@dataclass(frozen=True, slots=True)
class LicenseRecord:
    """A placement company's licence (SIP3MI) as Kemnaker holds it."""

    license_number: str
    name: str
    status: LicenseStatus
    provenance: Provenance
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class CoverageRecord:
    program: Program
    phase: ProtectionPhase
    start: date
    end: date

    def active_on(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class ContributionRecord:
    period: str
    amount: int
    paid_on: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    program: Program
    status: ClaimStatus
    submitted_on: date
    amount: int | None = None
    benefit: Benefit | None = None  # None: not recorded (older answers name the programme only)
    paid_on: date | None = None  # a PAID claim's payment day; None: not recorded


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    """One BPJS Ketenagakerjaan membership (one KPJ number)."""

    kpj: str
    provenance: Provenance
    coverages: tuple[CoverageRecord, ...] = ()
    contributions: tuple[ContributionRecord, ...] = ()
    claims: tuple[ClaimRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class MissionRecord:
    code: str
    name: str
    city: str
    country: str


@dataclass(frozen=True, slots=True)
class ConsularReportRecord:
    """One lapor diri (self-report) at a mission."""

    reported_on: date
    provenance: Provenance
    mission: MissionRecord | None = None
    address: str | None = None
    last_contact_on: date | None = None
    purpose: StayPurpose | None = None  # None: not recorded


@dataclass(frozen=True, slots=True)
class EndorsementRecord:
    """A placement contract endorsed (verified) by the labour attaché at a mission, or, with
    ``extension``, an extension of it signed before the mission."""

    placement_id: str
    provenance: Provenance
    extension: ExtensionRecord | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: str
    kind: CaseKind
    status: CaseStatus
    severity: Severity
    opened_at: datetime
    summary: str
    provenance: Provenance
    mission: MissionRecord | None = None
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordSet:
    """Everything one agency returned about one of its person records."""

    person: PersonRecord
    placements: tuple[PlacementRecord, ...] = ()
    memberships: tuple[MembershipRecord, ...] = ()
    reports: tuple[ConsularReportRecord, ...] = ()
    endorsements: tuple[EndorsementRecord, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
