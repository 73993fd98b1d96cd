"""SISKOP2MI's answers as the connector accepts them: validated at the edge, strictly typed.

Unknown fields are ignored (SISKOP2MI may add some); a missing required field, a wrong type,
a date not written ``DD-MM-YYYY`` or a code outside connectors.p2mi.dialect's lists is a
``pydantic.ValidationError``, which the client reports as BadResponse.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic import StrictStr as Str

from connectors.p2mi.dialect import (
    COMPLAINT_KIND,
    COMPLAINT_STATUS,
    EMPLOYER_KIND,
    PLACEMENT_STATUS,
    SCHEME,
    SECTOR,
    SEVERITY,
    SEX,
    parse_date,
)
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


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[Str, AfterValidator(_nonblank)]
Dmy = Annotated[date, BeforeValidator(parse_date)]
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Paspor(Wire):
    nomor: Text
    tanggalTerbit: Dmy | None = None
    tanggalBerakhir: Dmy | None = None


class KontakKeluarga(Wire):
    nama: Text
    hubungan: Str | None = None
    noHp: Str | None = None
    alamat: Str | None = None


class PemberiKerja(Wire):
    nama: Text
    negara: Text
    kota: Str | None = None
    telepon: Str | None = None
    jenis: Annotated[EmployerKind, BeforeValidator(EMPLOYER_KIND.parse)] | None = None


class Sip2mi(Wire):
    nomor: Text
    negara: Text | None = None


class Perpanjangan(Wire):
    tanggalAkhirKontrak: Dmy
    tanggalTandaTangan: Dmy | None = None


class BukuPelaut(Wire):
    """A crew's seafarer's book (PP 22/2022)."""

    nomor: Text
    berlakuSampai: Dmy | None = None


class Pkl(Wire):
    """A crew's sea-service agreement, perjanjian kerja laut (PP 22/2022)."""

    tanggalTandaTangan: Dmy
    tanggalPengesahan: Dmy | None = None


class P3mi(Wire):
    nomorIzin: Text
    nama: Str | None = None


class Penempatan(Wire):
    idPenempatan: Text
    nomorKartu: Str | None = None
    status: Annotated[PlacementStatus, BeforeValidator(PLACEMENT_STATUS.parse)]
    skema: Annotated[PlacementScheme, BeforeValidator(SCHEME.parse)]
    negaraTujuan: Text
    jabatan: Text
    sektor: Annotated[Sector, BeforeValidator(SECTOR.parse)]
    pemberiKerja: PemberiKerja | None = None
    p3mi: P3mi | None = None
    tanggalMulaiKontrak: Dmy | None = None
    tanggalAkhirKontrak: Dmy | None = None
    oppSelesai: StrictBool | None = None
    tanggalBerangkat: Dmy | None = None
    tanggalKembali: Dmy | None = None
    tanggalPerjanjianPenempatan: Dmy | None = None
    sip2mi: Sip2mi | None = None
    kartuBerlakuSampai: Dmy | None = None
    perpanjangan: list[Perpanjangan] = []
    tanggalBatal: Dmy | None = None
    bukuPelaut: BukuPelaut | None = None
    pkl: Pkl | None = None


class Pengaduan(Wire):
    idPengaduan: Text
    jenis: Annotated[CaseKind, BeforeValidator(COMPLAINT_KIND.parse)]
    status: Annotated[CaseStatus, BeforeValidator(COMPLAINT_STATUS.parse)]
    tingkat: Annotated[Severity, BeforeValidator(SEVERITY.parse)]
    tanggalPengaduan: Dmy
    ringkasan: Text


class Pmi(Wire):
    idPmi: Text
    nik: Str | None = None
    nama: Text
    tanggalLahir: Dmy | None = None
    jenisKelamin: Annotated[Sex, BeforeValidator(SEX.parse)] | None = None
    paspor: list[Paspor] = []
    noHp: Str | None = None
    alamat: Str | None = None
    kontakKeluarga: KontakKeluarga | None = None
    idSiapkerja: list[Text] = []
    penempatan: list[Penempatan] = []
    pengaduan: list[Pengaduan] = []


class PmiPage(Wire):
    status: Literal["success"]
    total: Count
    page: Positive
    per_page: Positive
    data: list[Pmi]


class Match(Wire):
    nilai: Str
    idPmi: list[Text]


class Matches(Wire):
    status: Literal["success"]
    data: list[Match]


class Changes(Wire):
    status: Literal["success"]
    data: list[Pmi]
    next_cursor: Text
    has_more: StrictBool


class Status(Wire):
    status: Literal["success"]
