"""Validation of the identifiers of this field (DOMAIN.md §1 "Identifiers").

NIK: 16 digits, ``PP KK CC DDMMYY NNNN``; for women 40 is added to the day of birth.
KPJ: BPJS Ketenagakerjaan membership number, 11 digits.
Passport: Indonesian passports are one or two letters and seven digits (memory, unverified);
we accept 1-2 letters and 6-8 digits so that older and foreign-issued formats still pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schema.enums import Sex

# ASCII digits only and whole-string matches: ``\d`` would admit other scripts' digits and
# ``$`` a trailing newline.
NIK_RE = re.compile(r"[0-9]{16}")
KPJ_RE = re.compile(r"[0-9]{11}")
PASSPORT_RE = re.compile(r"[A-Z]{1,2}[0-9]{6,8}")
PMI_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{2,63}")


@dataclass(frozen=True, slots=True)
class NikParts:
    province: str
    regency: str
    district: str
    birth_day: int
    birth_month: int
    birth_year_2: int
    sex: Sex
    serial: str


def parse_nik(nik: str) -> NikParts | None:
    """Split a NIK into its parts, or None when it cannot be a NIK."""
    if not NIK_RE.fullmatch(nik):
        return None
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if day > 40:
        day -= 40
        sex = Sex.FEMALE
    if not (1 <= month <= 12 and 1 <= day <= 31) or nik[12:] == "0000" or nik[:2] == "00":
        return None
    return NikParts(nik[:2], nik[2:4], nik[4:6], day, month, year2, sex, nik[12:])


def is_valid_nik(nik: str) -> bool:
    return parse_nik(nik) is not None


def nik_matches(nik: str, birth_date: date | None, sex: Sex | None) -> bool:
    """Whether the NIK's embedded birth date and sex agree with the given ones."""
    parts = parse_nik(nik)
    if parts is None:
        return False
    if sex is not None and parts.sex != sex:
        return False
    if birth_date is not None:
        return (parts.birth_day, parts.birth_month, parts.birth_year_2) == (
            birth_date.day,
            birth_date.month,
            birth_date.year % 100,
        )
    return True


def nik_for(region6: str, birth_date: date, sex: Sex, serial: int) -> str:
    """Compose a NIK from a six-digit region code, birth date, sex and serial."""
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{region6}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def mask_nik(nik: str) -> str:
    """``3201********0007``: province and regency kept, district and birth date hidden.

    SCHEMA.graphql's example shows ten stars, which would make 18 characters; the mask keeps
    the NIK's 16.
    """
    return nik[:4] + "*" * 8 + nik[-4:] if len(nik) == 16 else "*" * len(nik)


def is_valid_kpj(kpj: str) -> bool:
    return bool(KPJ_RE.fullmatch(kpj))


def normalize_passport(number: str) -> str:
    return number.strip().upper().replace(" ", "")


def is_valid_passport(number: str) -> bool:
    return bool(PASSPORT_RE.fullmatch(normalize_passport(number)))


def is_valid_pmi_id(pmi_id: str) -> bool:
    return bool(PMI_ID_RE.fullmatch(pmi_id))
