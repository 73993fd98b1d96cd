"""The linkage benchmark's arithmetic: ground truth from a scenario, and pairwise precision and
recall counted from cluster sizes, checked against pairs enumerated by hand."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from pathlib import Path

from bench.linkage import ground_truth, pairs_by, quality

FIXTURES = Path(__file__).parent.parent / "fixtures"

TRUTH = {
    ("KEMNAKER", "AK1"): "p1",
    ("P2MI", "PMI1"): "p1",
    ("BPJS_KETENAGAKERJAAN", "K1"): "p1",
    ("EMBASSY", "E1"): "p1",
    ("KEMNAKER", "AK2"): "p2",
    ("BPJS_KETENAGAKERJAAN", "K2"): "p2",
    ("EMBASSY", "E3"): "p3",
}
# the hub split p1's embassy record off, and merged it with p3's record; p2 is right
LINKS = [
    ("wk_a", "KEMNAKER", "AK1", "NIK"),
    ("wk_a", "P2MI", "PMI1", "NIK"),
    ("wk_a", "BPJS_KETENAGAKERJAAN", "K1", "NIK"),
    ("wk_b", "EMBASSY", "E1", "PASSPORT"),
    ("wk_b", "EMBASSY", "E3", "PROBABILISTIC"),
    ("wk_c", "KEMNAKER", "AK2", "NIK"),
    ("wk_c", "BPJS_KETENAGAKERJAAN", "K2", "NIK"),
    ("wk_d", "EMBASSY", "E9", "AGENCY_ID"),  # a record the scenario does not hold
]


def enumerated(groups: dict[tuple[str, str], str]) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((a, b)) for a, b in combinations(groups, 2) if groups[a] == groups[b]}


def test_precision_and_recall_match_the_pairs_enumerated_by_hand() -> None:
    q = quality(TRUTH, LINKS)
    hub = {
        (agency, local): worker for worker, agency, local, _ in LINKS if (agency, local) in TRUTH
    }
    true, predicted = enumerated(TRUTH), enumerated(hub)
    assert (q.true_pairs, q.predicted_pairs, q.correct_pairs) == (7, 5, 4)
    assert (q.true_pairs, q.predicted_pairs) == (len(true), len(predicted))
    assert q.correct_pairs == len(true & predicted)
    assert q.precision == 4 / 5 and q.recall == 4 / 7
    assert q.records == 7 and q.unknown == 1 and q.unlinked == 0


def test_errors_are_broken_down_by_agency_pair_and_method_pair() -> None:
    q = quality(TRUTH, LINKS)
    assert q.false_merges == Counter({("EMBASSY", "EMBASSY"): 1})
    assert q.false_by_method == Counter({("PASSPORT", "PROBABILISTIC"): 1})
    assert q.missed == Counter(
        {
            ("EMBASSY", "KEMNAKER"): 1,
            ("EMBASSY", "P2MI"): 1,
            ("BPJS_KETENAGAKERJAAN", "EMBASSY"): 1,
        }
    )
    assert q.methods == Counter({"NIK": 5, "PASSPORT": 1, "PROBABILISTIC": 1})


def test_a_perfect_clustering_scores_one_and_records_missing_from_the_hub_are_reported() -> None:
    links = [(f"wk_{person}", agency, local, "NIK") for (agency, local), person in TRUTH.items()]
    q = quality(TRUTH, links[1:])  # the hub never saw the first record
    assert q.precision == 1.0 and q.recall == 1.0
    assert q.unlinked == 1 and not q.false_merges and not q.missed


def test_pairs_are_counted_from_group_sizes() -> None:
    members = [("g1", "A")] * 3 + [("g1", "B")] * 2 + [("g2", "A")] + [("g3", "B")] * 2
    assert pairs_by(members) == Counter({("A", "A"): 3, ("A", "B"): 6, ("B", "B"): 2})


def test_ground_truth_takes_every_agency_record_of_each_person() -> None:
    scenario = json.loads((FIXTURES / "small_scenario.json").read_text())
    truth = ground_truth(scenario)
    # every agency record of every person, with the key SCENARIO.md names, and lists expanded
    expected = {}
    for person in scenario["people"]:
        for block, field in (
            ("kemnaker", "jobSeekerId"),
            ("p2mi", "pmiId"),
            ("bpjs", "kpj"),
            ("embassy", "recordId"),
        ):
            held = person.get(block) or []
            for record in held if isinstance(held, list) else [held]:
                expected[record[field]] = person["key"]
    assert {local: person for (_, local), person in truth.items()} == expected
    assert len(truth) == len(expected)
    # the fixture has a person with two KPJ numbers and two embassy records
    per_person = Counter(truth.values())
    assert max(per_person.values()) >= 5
    assert {agency for agency, _ in truth} == {
        "KEMNAKER",
        "P2MI",
        "BPJS_KETENAGAKERJAAN",
        "EMBASSY",
    }


def test_ground_truth_of_a_tiny_scenario() -> None:
    scenario = {
        "people": [
            {
                "key": "a",
                "kemnaker": {"jobSeekerId": "AK1-1"},
                "bpjs": [{"kpj": "1"}, {"kpj": "2"}],
            },
            {"key": "b", "embassy": [{"recordId": "E-1"}]},
            {"key": "c"},
        ]
    }
    assert ground_truth(scenario) == {
        ("KEMNAKER", "AK1-1"): "a",
        ("BPJS_KETENAGAKERJAAN", "1"): "a",
        ("BPJS_KETENAGAKERJAAN", "2"): "a",
        ("EMBASSY", "E-1"): "b",
    }
