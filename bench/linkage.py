"""Linkage quality against the scenario's ground truth: pairwise precision and recall.

Targets (issue #7): precision at least 0.995 and recall at least 0.98 on 100,000 people.
``python -m bench.linkage [--people N]`` syncs a fixed-seed population through the four
sandboxes (``bench.sync``, whose figures it prints too), exports the crosswalk
(``hub.crosswalk.export``: worker id, agency, local id, method per record) and compares it with
the scenario: two records under one person belong together, records under different people
never do (SCENARIO.md).

A pair is two records. Predicted pairs share a worker, true pairs share a person; precision is
the share of predicted pairs that are true, recall the share of true pairs predicted. Pairs are
counted from cluster sizes (n records make n(n-1)/2 pairs), never enumerated, and broken down by
the agencies of the two records (false merges and missed pairs) and by the methods that linked
them (false merges).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench.sync import DEFAULT_PEOPLE, SyncRun, synced

PRECISION_TARGET = 0.995
RECALL_TARGET = 0.98

# Scenario block -> (agency code the connector reports, field holding the record's local id).
BLOCKS = {
    "kemnaker": ("KEMNAKER", "jobSeekerId"),
    "p2mi": ("P2MI", "pmiId"),
    "bpjs": ("BPJS_KETENAGAKERJAAN", "kpj"),
    "embassy": ("EMBASSY", "recordId"),
}

Record = tuple[str, str]  # (agency, local id)
Pair = tuple[str, str]  # two categories, sorted


def ground_truth(scenario: Mapping[str, object]) -> dict[Record, str]:
    """Each agency record of the scenario and the key of the person it belongs to."""
    truth: dict[Record, str] = {}
    people = scenario.get("people", [])
    assert isinstance(people, list)
    for person in people:
        for block, (agency, id_field) in BLOCKS.items():
            held = person.get(block)
            for record in held if isinstance(held, list) else [held] if held else []:
                truth[(agency, str(record[id_field]))] = str(person["key"])
    return truth


def pairs_by(members: Iterable[tuple[Hashable, str]]) -> Counter[Pair]:
    """Pairs of members in the same group, by the sorted categories of the two members, from
    the groups' sizes per category. ``members`` gives (group, category) per member."""
    groups: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for group, category in members:
        groups[group][category] += 1
    pairs: Counter[Pair] = Counter()
    for sizes in groups.values():
        categories = sorted(sizes)
        for i, a in enumerate(categories):
            pairs[(a, a)] += sizes[a] * (sizes[a] - 1) // 2
            for b in categories[i + 1 :]:
                pairs[(a, b)] += sizes[a] * sizes[b]
    return +pairs  # drop the zero counts


@dataclass
class Quality:
    """Pairwise linkage quality of a clustering against the truth."""

    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    false_merges: Counter[Pair] = field(default_factory=Counter)  # by agency pair
    false_by_method: Counter[Pair] = field(default_factory=Counter)
    missed: Counter[Pair] = field(default_factory=Counter)  # by agency pair
    methods: Counter[str] = field(default_factory=Counter)  # records by link method
    unlinked: int = 0  # records of the scenario the crosswalk does not hold
    unknown: int = 0  # records of the crosswalk the scenario does not hold

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


def quality(truth: Mapping[Record, str], links: Iterable[tuple[str, str, str, str]]) -> Quality:
    """Compare ``links`` (worker id, agency, local id, method) with ``truth`` (record ->
    person); only records both hold are counted, the others are reported."""
    rows = []
    seen: set[Record] = set()
    unknown = 0
    for worker, agency, local_id, method in links:
        record = (agency, local_id)
        if record not in truth:
            unknown += 1
            continue
        seen.add(record)
        rows.append((worker, truth[record], agency, method))

    def tally(group: int | tuple[int, int], category: int) -> Counter[Pair]:
        def key(row: tuple[str, str, str, str]) -> Hashable:
            return row[group] if isinstance(group, int) else (row[group[0]], row[group[1]])

        return pairs_by((key(row), row[category]) for row in rows)

    true, predicted, correct = tally(1, 2), tally(0, 2), tally((0, 1), 2)
    return Quality(
        records=len(rows),
        true_pairs=sum(true.values()),
        predicted_pairs=sum(predicted.values()),
        correct_pairs=sum(correct.values()),
        false_merges=+(predicted - correct),
        false_by_method=+(tally(0, 3) - tally((0, 1), 3)),
        missed=+(true - correct),
        methods=Counter(row[3] for row in rows),
        unlinked=len(truth.keys() - seen),
        unknown=unknown,
    )


def crosswalk_links(environ: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(worker id, agency, local id, method) of every linked record, as the crosswalk export
    (``pmihub crosswalk export``) writes them, with the record keys the hub keeps sealed (the
    BPJS KPJ, hub/crosswalk/record_ids.py) opened under the run's pseudonym key, so they
    compare with the scenario's ground truth."""
    from hub.crosswalk.export import linked_records
    from hub.crosswalk.record_ids import PREFIX, RecordIdCipher
    from hub.settings import pseudonym_key
    from hub.storage import make_engine

    cipher = RecordIdCipher(pseudonym_key(environ))
    engine = make_engine(environ["HUB_DATABASE_URL"])
    try:
        return [
            (w, a, cipher.open(a, local) if local.startswith(PREFIX) else local, m)
            for w, a, local, m, _ in linked_records(engine)
        ]
    finally:
        engine.dispose()


def print_quality(q: Quality, people: int) -> None:
    print(
        f"linkage: precision {q.precision:.5f} (target {PRECISION_TARGET}: ratio "
        f"{q.precision / PRECISION_TARGET:.4f}), recall {q.recall:.5f} (target {RECALL_TARGET}: "
        f"ratio {q.recall / RECALL_TARGET:.4f})"
    )
    print(
        f"   {people:,} people, {q.records:,} records; pairs: true {q.true_pairs:,}, linked "
        f"{q.predicted_pairs:,}, correct {q.correct_pairs:,}"
    )
    print(
        f"   false merges {sum(q.false_merges.values()):,}, missed pairs "
        f"{sum(q.missed.values()):,}; records not in the crosswalk {q.unlinked:,}, "
        f"not in the scenario {q.unknown:,}"
    )
    print("   records by method: " + _counts({(m,): n for m, n in q.methods.items()}))
    print("   false merges by agency pair: " + _counts(q.false_merges))
    print("   false merges by method pair: " + _counts(q.false_by_method))
    print("   missed pairs by agency pair: " + _counts(q.missed))


def _counts(counter: Mapping[tuple[str, ...], int]) -> str:
    if not counter:
        return "none"
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{'+'.join(key)} {count:,}" for key, count in ordered)


def report(run: SyncRun) -> Quality:
    truth = ground_truth(json.loads(Path(run.scenario).read_text()))
    result = quality(truth, crosswalk_links(run.environ))
    print_quality(result, run.people)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.linkage", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    with synced(args.people, args.database) as run:
        report(run)


if __name__ == "__main__":
    main()
