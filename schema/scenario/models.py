"""Typed models of the scenario format (SCENARIO.md).

The models are strict: unknown keys, wrong types, bad enum values and impossible dates are
errors. An agency block may be one record or a list of records (the same person registered
twice by one agency); the loader turns a single block into a one-item list before validation,
so every model below sees lists.

Additions to SCENARIO.md's example, all optional and documented in docs/scenario.md:
``birthDateAs`` on every agency block (the birth date as that agency recorded it, e.g. with
day and month swapped), ``nikKnown``/``passportKnown`` on every agency block, ``address``
on a person, ``registeredOn`` on the Kemnaker block, ``complaints`` items, and
``address``/``phone`` on placement agencies and employers; and, for the law of 2023-2025,
``employer.kind``, ``agreementSignedOn``, ``sip2mi``/``sip2miCountry``, ``cardExpiresOn``,
``extensions``, ``cancelledOn``, a crew's ``seafarerBook`` and ``seaServiceAgreement`` on
placements, ``benefit`` on claims, ``purpose`` on
reports, ``extensions`` on the embassy block and the case kinds DEATH_PENALTY,
SEXUAL_VIOLENCE, DOCUMENT_WITHHELD and FAILED_DEPARTURE.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

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

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def _iso_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("expected an ISO 8601 date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"impossible date {value!r}: {exc}") from None


def _iso_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        if not _DATETIME.fullmatch(value):
            raise ValueError("expected an ISO 8601 date-time, YYYY-MM-DDThh:mm[:ss]±hh:mm")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"impossible date-time {value!r}: {exc}") from None
    else:
        raise ValueError("expected an ISO 8601 date-time with offset")
    if parsed.tzinfo is None:
        raise ValueError("a date-time needs its UTC offset, e.g. +07:00")
    return parsed


def _country(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isupper() or not value.isalpha():
        raise ValueError("expected an ISO 3166-1 alpha-2 country code such as 'HK'")
    return value


def _period(value: str) -> str:
    try:
        year, month = value.split("-")
        if len(year) != 4 or not 1 <= int(month) <= 12 or len(month) != 2:
            raise ValueError
    except ValueError:
        raise ValueError("expected a contribution period YYYY-MM") from None
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
Country = Annotated[StrictStr, AfterValidator(_country)]
Text = Annotated[StrictStr, AfterValidator(_nonblank)]
Period = Annotated[StrictStr, AfterValidator(_period)]
Rupiah = Annotated[StrictInt, Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Mission(Strict):
    code: Text
    name: Text
    city: Text
    country: Country


class PlacementAgency(Strict):
    licenseNumber: Text
    name: Text
    status: LicenseStatus
    phone: StrictStr | None = None
    address: StrictStr | None = None


class Passport(Strict):
    number: Text
    issuedOn: IsoDate | None = None
    expiresOn: IsoDate | None = None


class Contact(Strict):
    name: Text
    relation: StrictStr | None = None
    phone: StrictStr | None = None
    address: StrictStr | None = None


class AgencyBlock(Strict):
    """What every agency block may carry about how that agency recorded the person."""

    nameAs: Text | None = None
    birthDateAs: IsoDate | None = None
    nikKnown: StrictBool = True
    passportKnown: StrictStr | None = None


class KemnakerRecord(AgencyBlock):
    jobSeekerId: Text
    registeredOn: IsoDate | None = None


class Employer(Strict):
    name: Text
    country: Country
    city: StrictStr | None = None
    phone: StrictStr | None = None
    kind: EmployerKind | None = None


class Extension(Strict):
    """A new contract term the company reported to SISKOP2MI."""

    contractEnd: IsoDate
    signedOn: IsoDate | None = None


class SeafarerBook(Strict):
    """A crew's seafarer's book (Buku Pelaut, PP 22/2022): an identity and service record,
    not a travel document."""

    number: Text
    expiresOn: IsoDate | None = None


class SeaServiceAgreement(Strict):
    """A crew's sea-service agreement (Perjanjian Kerja Laut, PKL, PP 22/2022): the day it
    was signed and, once endorsed (disahkan) by the harbour master or a mission, that day."""

    signedOn: IsoDate
    endorsedOn: IsoDate | None = None


class Placement(Strict):
    placementId: Text
    cardNumber: StrictStr | None = None
    status: PlacementStatus
    scheme: PlacementScheme
    country: Country
    occupation: Text
    sector: Sector
    agencyLicense: StrictStr | None = None
    employer: Employer | None = None
    contractStart: IsoDate | None = None
    contractEnd: IsoDate | None = None
    orientationCompleted: StrictBool | None = None
    departedOn: IsoDate | None = None
    returnedOn: IsoDate | None = None
    agreementSignedOn: IsoDate | None = None
    sip2mi: StrictStr | None = None
    sip2miCountry: Country | None = None
    cardExpiresOn: IsoDate | None = None
    extensions: list[Extension] = []
    cancelledOn: IsoDate | None = None
    seafarerBook: SeafarerBook | None = None
    seaServiceAgreement: SeaServiceAgreement | None = None


class Complaint(Strict):
    """A complaint lodged with P2MI (Halo TKI, BP3MI desk); served as a case of that agency."""

    id: Text
    kind: CaseKind
    status: CaseStatus
    severity: Severity = Severity.MEDIUM
    filedOn: IsoDate
    summary: Text


class P2miRecord(AgencyBlock):
    pmiId: Text
    placements: list[Placement] = []
    complaints: list[Complaint] = []


class Coverage(Strict):
    program: Program
    phase: ProtectionPhase
    start: IsoDate
    end: IsoDate


class Contribution(Strict):
    period: Period
    amount: Rupiah
    paidOn: IsoDate | None = None


class Claim(Strict):
    program: Program
    status: ClaimStatus
    submittedOn: IsoDate
    amount: Rupiah | None = None
    benefit: Benefit | None = None
    paidOn: IsoDate | None = None  # a PAID claim's payment day; absent: not recorded


class BpjsRecord(AgencyBlock):
    kpj: Text
    coverages: list[Coverage] = []
    contributions: list[Contribution] = []
    claims: list[Claim] = []


class Report(Strict):
    mission: Text
    reportedOn: IsoDate
    address: StrictStr | None = None
    lastContactOn: IsoDate | None = None
    purpose: StayPurpose | None = None


class ConsularCase(Strict):
    id: Text
    kind: CaseKind
    status: CaseStatus
    severity: Severity
    openedAt: IsoDateTime
    summary: Text


class SignedExtension(Strict):
    """An extension of a placement's contract signed before the mission."""

    placementId: Text
    contractEnd: IsoDate
    signedOn: IsoDate


class EmbassyRecord(AgencyBlock):
    recordId: Text
    reports: list[Report] = []
    endorsedContracts: list[StrictStr] = []
    extensions: list[SignedExtension] = []
    cases: list[ConsularCase] = []


class Person(Strict):
    key: Text
    nik: StrictStr
    name: Text
    birthDate: IsoDate
    sex: Sex
    passports: list[Passport] = []
    phone: StrictStr | None = None
    address: StrictStr | None = None
    nextOfKin: Contact | None = None
    kemnaker: list[KemnakerRecord] = []
    p2mi: list[P2miRecord] = []
    bpjs: list[BpjsRecord] = []
    embassy: list[EmbassyRecord] = []


class Scenario(Strict):
    asOf: IsoDate
    missions: list[Mission] = []
    placementAgencies: list[PlacementAgency] = []
    people: list[Person] = []


AGENCY_BLOCKS = ("kemnaker", "p2mi", "bpjs", "embassy")
