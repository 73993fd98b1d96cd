"""Enumerations shared by the scenario format, the records and the GraphQL contract.

Names are exactly those of SCHEMA.graphql so that a value can pass from a scenario file to a
sandbox, through a connector, to the API without renaming.
"""

from __future__ import annotations

from enum import StrEnum


class Agency(StrEnum):
    KEMNAKER = "KEMNAKER"
    P2MI = "P2MI"
    BPJS_KETENAGAKERJAAN = "BPJS_KETENAGAKERJAAN"
    EMBASSY = "EMBASSY"


class Sex(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"


class LicenseStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    UNKNOWN = "UNKNOWN"


class PlacementStatus(StrEnum):
    REGISTERED = "REGISTERED"
    READY = "READY"
    DEPARTED = "DEPARTED"
    WORKING = "WORKING"
    RETURNED = "RETURNED"
    CANCELLED = "CANCELLED"


class PlacementScheme(StrEnum):
    PRIVATE_AGENCY = "PRIVATE_AGENCY"
    G_TO_G = "G_TO_G"
    EMPLOYER_DIRECT = "EMPLOYER_DIRECT"
    INDEPENDENT = "INDEPENDENT"
    UNKNOWN = "UNKNOWN"


class Sector(StrEnum):
    DOMESTIC = "DOMESTIC"
    CARE = "CARE"
    MANUFACTURING = "MANUFACTURING"
    PLANTATION = "PLANTATION"
    CONSTRUCTION = "CONSTRUCTION"
    FISHERIES_SEA = "FISHERIES_SEA"
    HOSPITALITY = "HOSPITALITY"
    OTHER = "OTHER"


class Program(StrEnum):
    JKK = "JKK"
    JKM = "JKM"
    JHT = "JHT"


class ProtectionPhase(StrEnum):
    PRE_PLACEMENT = "PRE_PLACEMENT"
    PLACEMENT = "PLACEMENT"
    POST_PLACEMENT = "POST_PLACEMENT"
    UNKNOWN = "UNKNOWN"


class ClaimStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    VERIFIED = "VERIFIED"
    PAID = "PAID"
    REJECTED = "REJECTED"


class CaseKind(StrEnum):
    DETENTION = "DETENTION"
    DEATH = "DEATH"
    ILLNESS = "ILLNESS"
    ACCIDENT = "ACCIDENT"
    ABUSE = "ABUSE"
    WAGE_DISPUTE = "WAGE_DISPUTE"
    TRAFFICKING = "TRAFFICKING"
    UNDOCUMENTED = "UNDOCUMENTED"
    REPATRIATION = "REPATRIATION"
    MISSING = "MISSING"
    OTHER = "OTHER"
    # Added for the law's remedies (domain-2026 C12); WAGE_DISPUTE is the unpaid-wages kind.
    DEATH_PENALTY = "DEATH_PENALTY"
    SEXUAL_VIOLENCE = "SEXUAL_VIOLENCE"
    DOCUMENT_WITHHELD = "DOCUMENT_WITHHELD"
    FAILED_DEPARTURE = "FAILED_DEPARTURE"


class EmployerKind(StrEnum):
    """Kepmenaker 260/2015 bans placement by employer type: a household (pengguna
    perseorangan) or a company (badan hukum)."""

    HOUSEHOLD = "HOUSEHOLD"
    COMPANY = "COMPANY"


class StayPurpose(StrEnum):
    """Why a citizen abroad made a lapor diri (the visa or residence permit type)."""

    WORK = "WORK"
    STUDY = "STUDY"
    FAMILY = "FAMILY"
    OTHER = "OTHER"


class Benefit(StrEnum):
    """BPJS Ketenagakerjaan benefits for migrant workers (Permenaker 4/2023 Art. 27, 34)."""

    DEATH = "DEATH"  # JKM, with the children's scholarship
    WORK_ACCIDENT = "WORK_ACCIDENT"  # JKK: treatment, home care, disability
    FAILED_DEPARTURE = "FAILED_DEPARTURE"
    PROBLEM_RETURN = "PROBLEM_RETURN"  # transport home of a worker in trouble
    NOT_PER_CONTRACT = "NOT_PER_CONTRACT"
    DISMISSAL = "DISMISSAL"
    SEXUAL_VIOLENCE = "SEXUAL_VIOLENCE"
    OLD_AGE = "OLD_AGE"  # JHT payout


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    CLOSED = "CLOSED"


class Severity(StrEnum):
    INFO = "INFO"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class ProtectionLevel(StrEnum):
    PROTECTED = "PROTECTED"
    AT_RISK = "AT_RISK"
    UNPROTECTED = "UNPROTECTED"
    EMERGENCY = "EMERGENCY"
    UNKNOWN = "UNKNOWN"


class MatchMethod(StrEnum):
    NIK = "NIK"
    PASSPORT = "PASSPORT"
    AGENCY_ID = "AGENCY_ID"
    PROBABILISTIC = "PROBABILISTIC"
    MANUAL = "MANUAL"


class SourceState(StrEnum):
    OK = "OK"
    STALE = "STALE"
    UNAVAILABLE = "UNAVAILABLE"
    DENIED = "DENIED"
    NOT_FOUND = "NOT_FOUND"
