"""Kemnaker's native payloads, validated at the edge (field names as the API spells them).

The sandbox module docstring shows the dialect with an example; these models accept exactly
what the connector relies on and ignore the rest (``extra="ignore"``), so new upstream
fields do not break us while missing or mistyped ones raise ``ValidationError``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StrictStr

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,63}$")  # AK/1 ids and licence numbers
NIK_RE = re.compile(r"^\d{16}$")

SEX_CODES = {"P": "FEMALE", "L": "MALE"}  # perempuan / laki-laki
LICENSE_STATUS = {  # status_izin -> schema.enums.LicenseStatus
    "AKTIF": "ACTIVE",
    "DIBEKUKAN": "SUSPENDED",
    "DICABUT": "REVOKED",
    "KEDALUWARSA": "EXPIRED",
}


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[StrictStr, AfterValidator(_nonblank)]


class Native(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class JobSeeker(Native):
    """One SIAPkerja job-seeker (AK/1) record."""

    id_pencari_kerja: Text
    nik: StrictStr | None = None
    nama_lengkap: Text
    tanggal_lahir: date | None = None
    jenis_kelamin: Literal["L", "P"] | None = None
    nomor_hp: StrictStr | None = None


class Licence(Native):
    """One P3MI placement company's licence (SIP3MI)."""

    nomor_izin: Text
    nama_perusahaan: Text
    status_izin: StrictStr
    nomor_telepon: StrictStr | None = None
    alamat: StrictStr | None = None


class Paged(Native):
    next_cursor: StrictStr | None = None  # null on the last page


class JobSeekerPage(Paged):
    data: list[JobSeeker]


class LicencePage(Paged):
    data: list[Licence]


class ChangesFeed(Native):
    data: list[JobSeeker]
    next_cursor: Text
    ada_lagi: StrictBool


class Status(Native):
    status: StrictStr


def well_formed_id(value: str) -> bool:
    return bool(ID_RE.match(value))


def well_formed_nik(value: str) -> bool:
    return bool(NIK_RE.match(value))
