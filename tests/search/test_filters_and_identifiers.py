"""Birth date and country filters; NIK, passport, KPJ and ID PMI found exactly."""

from __future__ import annotations

from datetime import date

import pytest

from tests.search._support import Index, person

K, P, B, E = "KEMNAKER", "P2MI", "BPJS_KETENAGAKERJAAN", "EMBASSY"
NIK = "3506124508900003"


@pytest.fixture
def people(index: Index) -> dict[str, str]:
    ids = {}
    ids["hk"] = index.add(
        person(K, "AK1-1", "SITI AMINAH", nik=NIK, born=date(1990, 8, 5)),
        person(
            P,
            "PMI-3506-2024-0001234",
            "Siti Aminah Binti Sahroni",
            nik=NIK,
            born=date(1990, 8, 5),
            passports=("C1234567",),
            countries=("HK",),
        ),
        person(B, "24001234567", "SITI AMINAH", nik=NIK, born=date(1990, 8, 5)),
    )[0]
    ids["tw"] = index.add(
        person(E, "TPE-1", "Siti Aminah", born=date(1985, 3, 2), countries=("TW",)),
    )[0]
    ids["sa"] = index.add(
        person(P, "PMI-2", "Siti Aminah", born=date(1992, 8, 5), countries=("SA", "HK")),
    )[0]
    return ids


def test_birth_date_keeps_only_that_date(index: Index, people: dict[str, str]) -> None:
    assert index.ids("Siti Aminah", birth_date=date(1990, 8, 5)) == [people["hk"]]
    assert index.ids("Siti Aminah", birth_date=date(1992, 8, 5)) == [people["sa"]]
    assert index.ids("Siti Aminah", birth_date=date(1985, 3, 2)) == [people["tw"]]
    assert index.ids("Siti Aminah", birth_date=date(1999, 1, 1)) == []


def test_a_day_month_swapped_birth_date_still_finds_her_ranked_below_the_exact_date(
    index: Index, people: dict[str, str]
) -> None:
    # 1985-02-03 typed for 1985-03-02
    (hit,) = index.search("Siti Aminah", birth_date=date(1985, 2, 3))
    assert hit.worker_id == people["tw"] and 0.9 < hit.score < 1.0
    exact = index.search("Siti Aminah", birth_date=date(1985, 3, 2))
    assert exact[0].score == 1.0


def test_birth_date_tolerates_a_bad_typo_in_the_name(index: Index, people: dict[str, str]) -> None:
    assert index.ids("Sitti Amminahh", birth_date=date(1985, 3, 2)) == [people["tw"]]


def test_country_filter(index: Index, people: dict[str, str]) -> None:
    assert set(index.ids("Siti Aminah", country="HK")) == {people["hk"], people["sa"]}
    assert index.ids("siti aminah", country="tw") == [people["tw"]]
    assert index.ids("Siti Aminah", country="SA") == [people["sa"]]
    assert index.ids("Siti Aminah", country="JP") == []


def test_country_and_birth_date_together(index: Index, people: dict[str, str]) -> None:
    assert index.ids("Siti Aminah", country="SA", birth_date=date(1992, 8, 5)) == [people["sa"]]
    assert index.ids("Siti Aminah", country="TW", birth_date=date(1992, 8, 5)) == []


@pytest.mark.parametrize(
    "typed",
    [NIK, "3506 1245 0890 0003", "C1234567", "c 1234567", "24001234567", "PMI-3506-2024-0001234"],
)
def test_identifiers_find_exactly_one_worker_with_score_one(
    index: Index, people: dict[str, str], typed: str
) -> None:
    (hit,) = index.search(typed)
    assert hit.worker_id == people["hk"] and hit.score == 1.0


def test_the_kemnaker_and_embassy_record_ids_are_found_too(
    index: Index, people: dict[str, str]
) -> None:
    assert index.ids("AK1-1") == [people["hk"]]
    assert index.ids("tpe-1") == [people["tw"]]


def test_an_unknown_identifier_finds_nobody(index: Index, people: dict[str, str]) -> None:
    assert index.search("3506124508900011") == []
    assert index.search("A9999999") == []
