"""What SISKOP2MI's API and PMI Hub must agree on: paths, header, dates and code lists.

Both sides of the wire read this module: the sandbox renders with it and the connector parses
with it. Codes are SISKOP2MI's own (Indonesian) names for the values of schema.enums; dates
are ``DD-MM-YYYY`` everywhere and are parsed strictly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Generic, TypeVar

from schema.enums import (
    CaseKind,
    CaseStatus,
    EmployerKind,
    PlacementScheme,
    PlacementStatus,
    Sector,
    Severity,
    Sex,
)
from schema.identifiers import NIK_RE, is_valid_passport, is_valid_pmi_id, normalize_passport

SYSTEM = "SISKOP2MI"
API_KEY_HEADER = "X-Api-Key"

STATUS_PATH = "/api/v1/status"
LIST_PATH = "/api/v1/pmi"
BATCH_PATH = "/api/v1/pmi/batch"
SEARCH_PATH = "/api/v1/pmi/cari"
FEED_PATH = "/api/v1/pmi/perubahan"

_DMY = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})")


def format_date(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def parse_date(value: object) -> date:
    """A strict ``DD-MM-YYYY`` date; anything else (ISO dates included) is a ValueError."""
    if not isinstance(value, str):
        raise ValueError("expected a date as DD-MM-YYYY")
    return _parse_dmy(str(value))


@lru_cache(maxsize=4096)  # a batch's answer repeats its dates (contracts, departures, births)
def _parse_dmy(value: str) -> date:
    match = _DMY.fullmatch(value)
    if match is None:
        raise ValueError("expected a date as DD-MM-YYYY")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("impossible date") from None  # the value may be a birth date: not echoed


E = TypeVar("E", bound=StrEnum)


class CodeTable(Generic[E]):
    """A one-to-one table between one of our enums and SISKOP2MI's codes for it."""

    def __init__(self, name: str, codes: Mapping[E, str]) -> None:
        self.name = name
        self._wire = dict(codes)
        self._ours = {code: value for value, code in codes.items()}
        if len(self._ours) != len(self._wire):
            raise ValueError(f"{name}: codes must be one-to-one")

    def wire(self, value: E) -> str:
        return self._wire[value]

    def parse(self, code: object) -> E:
        """Our value for a wire code; a ValueError for a code SISKOP2MI does not define."""
        if isinstance(code, str) and code in self._ours:
            return self._ours[code]
        raise ValueError(f"unknown {self.name} code")


SEX = CodeTable[Sex]("jenisKelamin", {Sex.MALE: "L", Sex.FEMALE: "P"})

PLACEMENT_STATUS = CodeTable[PlacementStatus](
    "status penempatan",
    {
        PlacementStatus.REGISTERED: "TERDAFTAR",
        PlacementStatus.READY: "SIAP_BERANGKAT",
        PlacementStatus.DEPARTED: "BERANGKAT",
        PlacementStatus.WORKING: "BEKERJA",
        PlacementStatus.RETURNED: "PULANG",
        PlacementStatus.CANCELLED: "BATAL",
    },
)

SCHEME = CodeTable[PlacementScheme](
    "skema",
    {
        PlacementScheme.PRIVATE_AGENCY: "P3MI",
        PlacementScheme.G_TO_G: "G_TO_G",
        PlacementScheme.EMPLOYER_DIRECT: "UKPS",  # untuk kepentingan perusahaan sendiri
        PlacementScheme.INDEPENDENT: "PERSEORANGAN",
        PlacementScheme.UNKNOWN: "TIDAK_DIKETAHUI",
    },
)

SECTOR = CodeTable[Sector](
    "sektor",
    {
        Sector.DOMESTIC: "RUMAH_TANGGA",
        Sector.CARE: "PERAWATAN",
        Sector.MANUFACTURING: "MANUFAKTUR",
        Sector.PLANTATION: "PERKEBUNAN",
        Sector.CONSTRUCTION: "KONSTRUKSI",
        Sector.FISHERIES_SEA: "PERIKANAN_LAUT",
        Sector.HOSPITALITY: "PERHOTELAN",
        Sector.OTHER: "LAINNYA",
    },
)

COMPLAINT_KIND = CodeTable[CaseKind](
    "jenis pengaduan",
    {
        CaseKind.DETENTION: "PENAHANAN",
        CaseKind.DEATH: "MENINGGAL_DUNIA",
        CaseKind.ILLNESS: "SAKIT",
        CaseKind.ACCIDENT: "KECELAKAAN",
        CaseKind.ABUSE: "PENGANIAYAAN",
        CaseKind.WAGE_DISPUTE: "GAJI_TIDAK_DIBAYAR",
        CaseKind.TRAFFICKING: "TPPO",
        CaseKind.UNDOCUMENTED: "NON_PROSEDURAL",
        CaseKind.REPATRIATION: "PEMULANGAN",
        CaseKind.MISSING: "HILANG_KONTAK",
        CaseKind.OTHER: "LAINNYA",
        CaseKind.DEATH_PENALTY: "ANCAMAN_HUKUMAN_MATI",
        CaseKind.SEXUAL_VIOLENCE: "KEKERASAN_SEKSUAL",
        CaseKind.DOCUMENT_WITHHELD: "DOKUMEN_DITAHAN",
        CaseKind.FAILED_DEPARTURE: "GAGAL_BERANGKAT",
    },
)

# Kepmenaker 260/2015's employer types, as KP2MI's statistics name them [S45].
EMPLOYER_KIND = CodeTable[EmployerKind](
    "jenis pemberi kerja",
    {EmployerKind.HOUSEHOLD: "PERSEORANGAN", EmployerKind.COMPANY: "BADAN_HUKUM"},
)

COMPLAINT_STATUS = CodeTable[CaseStatus](
    "status pengaduan",
    {CaseStatus.OPEN: "BARU", CaseStatus.IN_PROGRESS: "DIPROSES", CaseStatus.CLOSED: "SELESAI"},
)

SEVERITY = CodeTable[Severity](
    "tingkat",
    {
        Severity.INFO: "INFO",
        Severity.LOW: "RENDAH",
        Severity.MEDIUM: "SEDANG",
        Severity.HIGH: "TINGGI",
        Severity.CRITICAL: "KRITIS",
    },
)


def _nik(value: str) -> bool:
    return bool(NIK_RE.match(value))


# Body fields of POST /api/v1/pmi/cari, each with the shape a value must have. NIKs and
# passport numbers travel in bodies, never in URLs, so they stay out of access logs.
SEARCH_FIELDS: dict[str, Callable[[str], bool]] = {
    "idPmi": is_valid_pmi_id,
    "nik": _nik,
    "nomorPaspor": is_valid_passport,
    "idPenempatan": is_valid_pmi_id,
}


def normalize_search(field: str, value: str) -> str:
    return normalize_passport(value) if field == "nomorPaspor" else value
