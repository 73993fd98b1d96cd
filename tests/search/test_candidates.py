"""The bounds of a name query: which records are read when more match than a search scores."""

from __future__ import annotations

import pytest

from hub.search import candidates
from tests.search._support import Index, person

K = "KEMNAKER"


def test_the_records_matching_most_of_the_query_are_the_ones_scored(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    # eight people called Siti something, shorter names than hers, and her
    for n, other in enumerate(("Rahayu", "Lestari", "Wulan", "Anah", "Ani", "Ida", "Iis", "Ati")):
        index.add(person(K, f"AK-{n}", f"Siti {other}"))
    (siti,) = index.add(person(K, "AK-9", "Siti Aminah Binti Sahroni"))
    monkeypatch.setattr(candidates, "KEEP", 2)
    hits = index.search("Siti Aminah")
    assert hits[0].worker_id == siti and len(hits) <= 2
    # a one-word query is bounded the same way
    index.add(person(K, "AK-10", "Sity"), person(K, "AK-11", "Siti"))
    assert len(index.search("Siti")) == 2


def test_a_country_read_looks_a_bounded_depth_into_a_common_word(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(6):  # short names first: these six come before hers in the postings
        index.add(person(K, f"AK-{n}", f"Siti {'abcdef'[n]}ani", countries=("MY",)))
    (hers,) = index.add(person("P2MI", "PMI-1", "Siti Aminah Rahayu", countries=("HK",)))
    assert index.ids("Siti", country="HK") == [hers]
    monkeypatch.setattr(candidates, "COUNTRY_DEPTH", 1)
    monkeypatch.setattr("hub.search.engine.ONE_WORD_CAP", 3)
    # the first 3 postings of "siti" are all in MY: bounded, the read does not walk on
    assert index.ids("Siti", country="HK") == []
    assert len(index.ids("Siti", country="MY")) == 3
