"""Names as officers type them: typos, variants, binti, joined or split, any case; ranked."""

from __future__ import annotations

from datetime import date

import pytest

from tests.search._support import Index, person

K, P, B, E = "KEMNAKER", "P2MI", "BPJS_KETENAGAKERJAAN", "EMBASSY"


@pytest.fixture
def people(index: Index) -> dict[str, str]:
    """Worker ids by key: one person known to three agencies, and namesakes around her."""
    ids = {}
    ids["siti"] = index.add(
        person(K, "AK1-1", "SITI AMINAH", nik="3506124508900003", born=date(1990, 8, 5)),
        person(P, "PMI-1", "Siti Aminah Binti Sahroni", nik="3506124508900003"),
        person(B, "24001234567", "SITI AMINAH", nik="3506124508900003"),
    )[0]
    ids["siti_only"] = index.add(person(K, "AK1-2", "Siti", born=date(1991, 1, 1)))[0]
    ids["siti_w"] = index.add(person(K, "AK1-3", "Siti Aminah Wulandari"))[0]
    ids["siti_rahayu"] = index.add(person(K, "AK1-4", "Siti Rahayu"))[0]
    ids["rizki"] = index.add(
        person(K, "AK1-5", "MUHAMMAD RIZKI", nik="3201011507880007", born=date(1988, 7, 15)),
        person(P, "PMI-5", "Muhamad Rizki Bin Abdullah", nik="3201011507880007"),
    )[0]
    ids["nurhayati"] = index.add(person(K, "AK1-6", "NURHAYATI"))[0]
    ids["nur_hayati"] = index.add(person(E, "JED-1", "Nur Hayati Binti Karno"))[0]
    ids["dewi"] = index.add(person(E, "HKG-1", "DEWI LESTARI"))[0]
    ids["joko"] = index.add(person(K, "AK1-7", "Djoko Santoso"))[0]
    return ids


def test_exact_name_ranks_the_person_first_and_groups_her_records(
    index: Index, people: dict[str, str]
) -> None:
    hits = index.search("Siti Aminah")
    assert hits[0].worker_id == people["siti"] and hits[0].score == 1.0
    # her three agency records are one worker: she appears once
    assert [h.worker_id for h in hits].count(people["siti"]) == 1


def test_ranking_order_follows_how_close_the_name_is(index: Index, people: dict[str, str]) -> None:
    hits = index.search("siti aminah")
    order = [h.worker_id for h in hits]
    assert order.index(people["siti"]) < order.index(people["siti_w"])
    assert order.index(people["siti_w"]) < order.index(people["siti_only"])
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert people["dewi"] not in order and people["rizki"] not in order


def test_a_typo_still_finds_her(index: Index, people: dict[str, str]) -> None:
    for typed in ("Siti Aminha", "Sity Aminah", "Siti Amina", "Sitti Aminah"):
        assert index.ids(typed)[0] == people["siti"], typed


def test_upper_lower_and_mixed_case_are_the_same_query(
    index: Index, people: dict[str, str]
) -> None:
    assert index.search("SITI AMINAH") == index.search("siti aminah") == index.search("sItI aMiNaH")


def test_muhammad_in_any_spelling(index: Index, people: dict[str, str]) -> None:
    for typed in ("Mohammad Rizki", "Moch. Rizky", "M. Rizki", "Muhamad Risky"):
        assert index.ids(typed)[0] == people["rizki"], typed


def test_binti_and_the_fathers_name(index: Index, people: dict[str, str]) -> None:
    # with the father's name, as P2MI and the missions write it
    assert index.ids("Siti Aminah Binti Sahroni")[0] == people["siti"]
    assert index.ids("SITI AMINAH BT SAHRONI")[0] == people["siti"]
    # the father's name alone with her first name finds her through P2MI's record
    assert people["siti"] in index.ids("Aminah Sahroni")


def test_joined_and_split_names(index: Index, people: dict[str, str]) -> None:
    split = index.ids("Nur Hayati")
    joined = index.ids("Nurhayati")
    assert {people["nurhayati"], people["nur_hayati"]} <= set(split)
    assert {people["nurhayati"], people["nur_hayati"]} <= set(joined)


def test_old_spelling(index: Index, people: dict[str, str]) -> None:
    assert index.ids("Joko Santoso")[0] == people["joko"]


def test_a_common_first_name_alone_is_bounded_and_prefers_the_shortest_name(
    index: Index, people: dict[str, str]
) -> None:
    hits = index.search("siti")
    assert hits[0].worker_id == people["siti_only"]
    assert {people["siti"], people["siti_w"], people["siti_rahayu"]} <= {h.worker_id for h in hits}


def test_nobody_by_that_name(index: Index, people: dict[str, str]) -> None:
    assert index.search("Bambang Pamungkas") == []
