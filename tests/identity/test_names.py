"""Name normalisation: every variant issue #7 lists compares equal (or as a typo)."""

from __future__ import annotations

import pytest

from hub.identity.names import parse
from hub.identity.similarity import NameLevel, compare_names


def level(a: str, b: str) -> NameLevel:
    return compare_names(parse(a).given, parse(b).given)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti Aminah", "SITI AMINAH"),  # case
        ("Siti Aminah Binti Sahroni", "SITI AMINAH"),  # patronymic dropped
        ("SITI AMINAH BT SAHRONI", "Siti Aminah"),
        ("Ahmad Hidayat Bin Karno", "AHMAD HIDAYAT BN KARNO"),
        ("Muhammad Rizki", "Muhamad Rizki"),  # Muhammad and its spellings
        ("Muhammad Rizki", "Mohammad Rizki"),
        ("Muhammad Rizki", "Moh. Rizki"),
        ("Muhammad Rizki", "M. Rizki"),
        ("Muhammad Rizki", "MOCH. RIZKI"),
        ("Hj. Siti Aminah", "Siti Aminah"),  # pilgrimage titles
        ("H. Ahmad Hidayat", "Ahmad Hidayat"),
        ("Nurhayati", "Nur Hayati"),  # joined and split
        ("Abdul Rohman", "Abdulrohman"),
        ("Djoko Susanto", "Joko Susanto"),  # old spelling / transliteration
        ("Achmad Fauzi", "Ahmad Fauzi"),
        ("Soekarno", "Sukarno"),
        ("Syaifudin", "Saifudin"),
        ("Fitri Handayani", "Pitri Handayani"),
        ("Mariyam", "Mariam"),
    ],
)
def test_variants_of_one_name_compare_equal(a: str, b: str) -> None:
    assert level(a, b) is NameLevel.EXACT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sulastri", "Sluastri"),  # two letters swapped
        ("Wahyuni Lestari", "Wahyuni Lestri"),  # a letter dropped
        ("Kurniawati", "Kurniawaty Kurniawati"[:10]),
        ("Siti Aminah", "Aminah Siti"),  # the same words reordered
    ],
)
def test_small_typos_are_a_typo_level(a: str, b: str) -> None:
    assert level(a, b) in (NameLevel.TYPO, NameLevel.EXACT)


def test_different_names_and_partial_names() -> None:
    assert level("Siti Aminah", "Dewi Lestari") is NameLevel.DIFFERENT
    assert level("Sumiati", "Sutini") is NameLevel.DIFFERENT
    assert level("Siti Aminah Wahyuni", "Siti Aminah") is NameLevel.PARTIAL
    assert level("Siti", "Siti Aminah") is NameLevel.DIFFERENT  # a common word alone
    assert level("", "Siti") is NameLevel.MISSING


def test_father_name_is_parsed_apart() -> None:
    parsed = parse("SITI AMINAH BT SAHRONI")
    assert parsed.given == ("siti", "aminah")
    assert parsed.father == ("sahroni",)


def test_a_patronymic_marker_without_the_fathers_name_is_dropped() -> None:
    assert parse("Siti Aminah Binti") == parse("SITI AMINAH")
    assert parse("SITI B").given == ("siti", "b")  # "B" alone may be an initial
    assert parse("Bin").given == ("bin",)  # nothing else to be the name
