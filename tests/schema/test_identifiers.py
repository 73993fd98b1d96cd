from __future__ import annotations

from datetime import date

import pytest

from schema.enums import Sex
from schema.identifiers import (
    is_valid_kpj,
    is_valid_nik,
    is_valid_passport,
    is_valid_pmi_id,
    mask_nik,
    nik_for,
    nik_matches,
    parse_nik,
)


def test_nik_of_a_woman_carries_the_day_plus_forty() -> None:
    nik = nik_for("350612", date(1990, 8, 5), Sex.FEMALE, 3)
    assert nik == "3506124508900003"
    parts = parse_nik(nik)
    assert parts is not None and parts.sex is Sex.FEMALE and parts.birth_day == 5
    assert nik_matches(nik, date(1990, 8, 5), Sex.FEMALE)
    assert not nik_matches(nik, date(1990, 8, 5), Sex.MALE)


@pytest.mark.parametrize(
    "nik",
    [
        "350612450890000",
        "35061245089000031",
        "3506124513900003",
        "3506127208900003",
        "3506124508900000",
        "0006124508900003",
        "3506124508900003\n",
        "٣٥٠٦١٢٤٥٠٨٩٠٠٠٠٣",
        "35061245O8900003",
        "",
    ],
)
def test_malformed_niks_are_refused(nik: str) -> None:
    assert not is_valid_nik(nik)


def test_other_identifiers() -> None:
    assert (
        is_valid_kpj("24001234567")
        and not is_valid_kpj("2400123456")
        and not is_valid_kpj("24001234567\n")
    )
    assert is_valid_passport("C1234567") and is_valid_passport(" c1234567 ")
    assert not is_valid_passport("1234567") and not is_valid_passport("ABC1234567")
    assert is_valid_pmi_id("PMI-3506-2024-0001234") and not is_valid_pmi_id("<script>")


def test_mask_keeps_sixteen_characters_and_hides_the_birth_date() -> None:
    assert mask_nik("3506124508900003") == "3506********0003"
