"""Typed models of the BPJS answers, validated at the edge (sandbox.py documents the fields).

Unknown fields are ignored; missing or mistyped required ones, impossible dates and unknown
codes are validation errors, which the connector reports as BadResponse.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

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

from connectors.bpjs.dialect import BENEFIT_BY_CODE, CLAIM_STATUS_BY_CODE
from schema.enums import Program
from schema.identifiers import KPJ_RE, NIK_RE


def _iso_date(value: object) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("expected a date yyyy-MM-dd")
    return date.fromisoformat(value)


def _matching(name: str, pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"not a well-formed {name}")
        return value

    return AfterValidator(check)


def _period(value: str) -> str:
    """``YYYYMM`` as BPJS sends it -> ``YYYY-MM`` as the records hold it."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValueError("expected a period YYYYMM")
    if not 1 <= int(value[4:]) <= 12:
        raise ValueError("impossible month in period")
    return f"{value[:4]}-{value[4:]}"


Date = Annotated[date, BeforeValidator(_iso_date)]
Kpj = Annotated[StrictStr, _matching("KPJ", KPJ_RE)]
Nik = Annotated[StrictStr, _matching("NIK", NIK_RE)]
Period = Annotated[StrictStr, AfterValidator(_period)]
Rupiah = Annotated[StrictInt, Field(ge=0)]


class Native(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class MetaData(Native):
    code: StrictStr
    message: StrictStr = ""


class Envelope(Native):
    metaData: MetaData
    response: StrictStr | None = None


class Coded(Native):
    kode: StrictStr
    keterangan: StrictStr | None = None


class ProgramCoverage(Native):
    kode: Program
    fase: Coded
    tglAwal: Date
    tglAkhir: Date


class Contribution(Native):
    periode: Period
    nominal: Rupiah
    tglBayar: Date | None = None


def _claim_status(value: Coded) -> Coded:
    if value.kode not in CLAIM_STATUS_BY_CODE:
        raise ValueError("unknown claim status code")
    return value


def _benefit(value: str) -> str:
    if value not in BENEFIT_BY_CODE:
        raise ValueError("unknown benefit code")
    return value


class Claim(Native):
    kodeProgram: Program
    status: Annotated[Coded, AfterValidator(_claim_status)]
    tglPengajuan: Date
    nominal: Rupiah | None = None
    kodeManfaat: Annotated[StrictStr, AfterValidator(_benefit)] | None = None
    tglBayar: Date | None = None  # the payment day of a paid claim, when recorded


class Membership(Native):
    statusPeserta: Coded | None = None
    program: list[ProgramCoverage] = []
    iuran: list[Contribution] = []
    klaim: list[Claim] = []


class Participant(Native):
    noKpj: Kpj
    nama: Annotated[StrictStr, Field(min_length=1)]
    nik: Nik | None = None
    noPaspor: StrictStr | None = None
    tglLahir: Date | None = None
    sex: Literal["L", "P"] | None = None
    idPmi: list[StrictStr] = []
    kepesertaan: Membership = Membership()


class ParticipantList(Native):
    items: list[Participant] = Field(alias="list")


class ChangesAnswer(Native):
    items: list[Participant] = Field(alias="list")
    kursor: Annotated[StrictStr, Field(min_length=1)]
    lanjut: StrictBool


class StatusAnswer(Native):
    layanan: StrictStr
    status: StrictStr
