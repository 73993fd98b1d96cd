"""Portal Peduli WNI's web-service vocabulary: endpoint, operations, identifiers, code lists.

Shared by the sandbox (which speaks it) and the connector (which reads it), so both sides
name things once. Code lists are Kemlu's own (Indonesian); ``CodeList`` maps them to and from
the enumerations of schema.enums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from schema.enums import CaseKind, CaseStatus, Severity, Sex, StayPurpose
from schema.identifiers import NIK_RE, is_valid_passport

SYSTEM = "PeduliWNI"
PATH = "/ws/PeduliWNI"
NS = "urn:kemlu:peduliwni:ws:2018"
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=utf-8"
MAX_BODY_BYTES = 1_048_576


class Operation(StrEnum):
    GET_CITIZEN_RECORDS = "GetCitizenRecords"
    FIND_BY_NIK = "FindByNik"
    FIND_BY_PASSPORT = "FindByPassport"
    LIST_CITIZEN_RECORDS = "ListCitizenRecords"
    GET_CHANGES = "GetChanges"
    PING = "Ping"


def action_uri(operation: str) -> str:
    return f"{NS}#{operation}"


def soap_action(operation: str) -> str:
    """The SOAPAction header value (quoted, as SOAP 1.1 §6.1.1 writes it)."""
    return f'"{action_uri(operation)}"'


def parse_soap_action(value: str | None) -> str | None:
    """The operation a SOAPAction header names, or None when it names none of ours."""
    if value is None:
        return None
    action = value.strip()
    if len(action) >= 2 and action[0] == action[-1] == '"':
        action = action[1:-1]
    prefix = f"{NS}#"
    return action.removeprefix(prefix) if action.startswith(prefix) else None


RECORD_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")  # e.g. HKG-WNI-2024-000987


def is_record_id(value: str) -> bool:
    return bool(RECORD_ID_RE.match(value))


def is_nik(value: str) -> bool:
    """Shape only (16 digits): the mission stores what it was shown."""
    return bool(NIK_RE.match(value))


def is_passport(value: str) -> bool:
    return is_valid_passport(value)


E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class CodeList(Generic[E]):
    """A two-way map between an enumeration and the codes on the wire."""

    enum: type[E]
    codes: dict[E, str]

    def wire(self, value: E) -> str:
        return self.codes[value]

    def parse(self, code: str) -> E | None:
        for value, wire in self.codes.items():
            if wire == code:
                return value
        return None


SEX = CodeList(Sex, {Sex.MALE: "L", Sex.FEMALE: "P"})  # laki-laki / perempuan
CASE_STATUS = CodeList(
    CaseStatus,
    {CaseStatus.OPEN: "BARU", CaseStatus.IN_PROGRESS: "DITANGANI", CaseStatus.CLOSED: "SELESAI"},
)
PRIORITY = CodeList(  # 1 is the most urgent
    Severity,
    {
        Severity.CRITICAL: "1",
        Severity.HIGH: "2",
        Severity.MEDIUM: "3",
        Severity.LOW: "4",
        Severity.INFO: "5",
    },
)
CASE_CATEGORY = CodeList(
    CaseKind,
    {
        CaseKind.DETENTION: "PENAHANAN",
        CaseKind.DEATH: "MENINGGAL_DUNIA",
        CaseKind.ILLNESS: "SAKIT",
        CaseKind.ACCIDENT: "KECELAKAAN",
        CaseKind.ABUSE: "PENGANIAYAAN",
        CaseKind.WAGE_DISPUTE: "GAJI_TIDAK_DIBAYAR",
        CaseKind.TRAFFICKING: "TPPO",
        CaseKind.UNDOCUMENTED: "TIDAK_BERDOKUMEN",
        CaseKind.REPATRIATION: "REPATRIASI",
        CaseKind.MISSING: "HILANG_KONTAK",
        CaseKind.OTHER: "LAINNYA",
        CaseKind.DEATH_PENALTY: "ANCAMAN_HUKUMAN_MATI",
        CaseKind.SEXUAL_VIOLENCE: "KEKERASAN_SEKSUAL",
        CaseKind.DOCUMENT_WITHHELD: "DOKUMEN_DITAHAN",
        CaseKind.FAILED_DEPARTURE: "GAGAL_BERANGKAT",
    },
)
# The stay's purpose, as the visa or residence permit type of a lapor diri reads it.
STAY_PURPOSE = CodeList(
    StayPurpose,
    {
        StayPurpose.WORK: "BEKERJA",
        StayPurpose.STUDY: "BELAJAR",
        StayPurpose.FAMILY: "KELUARGA",
        StayPurpose.OTHER: "LAINNYA",
    },
)
