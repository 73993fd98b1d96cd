"""What an officer typed, checked and taken apart: one identifier, or a name.

A query with a digit in it is an identifier (NIK, passport, KPJ or ID PMI: a name has no
digits); anything else is a name. Every refusal is a ``SearchInputError`` with its text in
Indonesian and English, raised before the database is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hub.search.terms import NameKeys, name_keys
from schema.identifiers import (
    is_valid_kpj,
    is_valid_nik,
    is_valid_passport,
    is_valid_pmi_id,
    normalize_passport,
)

MIN_LENGTH = 2
MAX_LENGTH = 100
MAX_FIRST = 100
COUNTRY = re.compile(r"[A-Z]{2}")
_SEPARATORS = re.compile(r"[\s.-]")


class SearchInputError(ValueError):
    """Bad search input; ``argument`` names the GraphQL argument at fault."""

    def __init__(self, text_id: str, text_en: str, argument: str) -> None:
        super().__init__(f"{text_id} / {text_en}")
        self.text_id, self.text_en, self.argument = text_id, text_en, argument


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A checked query: ``identifiers`` ((kind, value) pairs: nik, passport, kpj, pmiId, or
    recordId for the other agencies' own record ids) or
    ``name``; the filters apply to names (an identifier names one person already)."""

    text: str
    identifiers: tuple[tuple[str, str], ...] = ()
    name: NameKeys | None = None
    birth_date: date | None = None
    country: str | None = None


def identifier_kinds(text: str) -> tuple[tuple[str, str], ...]:
    """Every identifier kind ``text`` can be, with its normalised value."""
    digits = _SEPARATORS.sub("", text)
    compact = text.replace(" ", "")
    found: list[tuple[str, str]] = []
    if digits.isascii() and is_valid_nik(digits):
        found.append(("nik", digits))
    if digits.isascii() and is_valid_kpj(digits):
        found.append(("kpj", digits))
    if is_valid_passport(compact):
        found.append(("passport", normalize_passport(compact)))
    if is_valid_pmi_id(text):  # the generic shape of an agency's own record id
        for value in dict.fromkeys((text, text.upper())):
            found.extend((("pmiId", value), ("recordId", value)))
    return tuple(found)


def parse_query(
    query: str, birth_date: date | None = None, country: str | None = None, *, today: date
) -> SearchQuery:
    text = " ".join(query.split())
    if len(text) < MIN_LENGTH:
        raise SearchInputError(
            f"Kata pencarian terlalu pendek (paling sedikit {MIN_LENGTH} karakter)",
            f"The search text is too short (at least {MIN_LENGTH} characters)",
            "query",
        )
    if len(text) > MAX_LENGTH:
        raise SearchInputError(
            f"Kata pencarian terlalu panjang (paling banyak {MAX_LENGTH} karakter)",
            f"The search text is too long (at most {MAX_LENGTH} characters)",
            "query",
        )
    if birth_date is not None and not date(1900, 1, 1) <= birth_date <= today:
        raise SearchInputError(
            "Tanggal lahir tidak masuk akal (sebelum 1900 atau di masa depan)",
            "Implausible birth date (before 1900 or in the future)",
            "birthDate",
        )
    if country is not None:
        country = country.strip().upper()
        if not COUNTRY.fullmatch(country):
            raise SearchInputError(
                "Negara harus kode ISO 3166-1 alpha-2, misalnya HK",
                "Country must be an ISO 3166-1 alpha-2 code, e.g. HK",
                "country",
            )
    if any(c.isdigit() for c in text):
        kinds = identifier_kinds(text)
        if not kinds:
            raise SearchInputError(
                "Teks dengan angka harus berupa NIK, nomor paspor, KPJ atau ID PMI yang sah",
                "A text with digits must be a valid NIK, passport number, KPJ or ID PMI",
                "query",
            )
        return SearchQuery(text, identifiers=kinds, birth_date=birth_date, country=country)
    name = name_keys(text)
    if not name.words or not any(len(w) >= MIN_LENGTH for w in name.words):
        raise SearchInputError(
            "Kata pencarian tidak berisi nama yang dapat dicari",
            "The search text holds no searchable name",
            "query",
        )
    return SearchQuery(text, name=name, birth_date=birth_date, country=country)


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise SearchInputError(
            f"first harus antara 1 dan {MAX_FIRST}",
            f"first must be between 1 and {MAX_FIRST}",
            "first",
        )
    return first
