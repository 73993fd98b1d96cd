"""Linker throughput: the crosswalk linker alone, without HTTP, on SQLite and PostgreSQL.

Target (issue #7, linker side): 1,000,000 people (about 3.3 million agency records) in under
5 minutes needs about 10,000 records/s. ``python -m bench.linker [--people N]`` builds the
PersonRecords of a fixed-seed population exactly as ``pmihub sync`` receives them (each
sandbox app in this process, read through its own connector's changes feed over
``httpx.ASGITransport``, in configuration order; cached in the temp directory), then times
``Linker.link_many`` page by page, one transaction per page as the sync commits it, into an
empty database (the first sync) and again over the same records (a re-sync of unchanged
data). The search index and HTTP are left out: ``bench.sync`` measures the whole sync.

``--profile`` prints cProfile's top functions of the first sync; ``--export FILE`` writes
the crosswalk export (``pmihub crosswalk export``'s CSV) to compare linkage before and after
a change (``--compare A B`` says whether two exports hold the same partition).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import gc
import importlib
import pickle
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.sync import AS_OF, SEED, database, scenario_file, schema_fingerprint
from hub.crosswalk import Linker, Pseudonymizer
from hub.crosswalk.export import write_csv
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from schema.records import PersonRecord
from schema.scenario import Scenario

TARGET_RECORDS_PER_SECOND = 10_000  # about 3.3 million records in 300 s
DEFAULT_PEOPLE = 20_000
DEFAULT_PAGE = 1000  # what the sync asks of every feed
CONNECTORS = {
    "kemnaker": "connectors.kemnaker",
    "p2mi": "connectors.p2mi",
    "bpjs": "connectors.bpjs",
    "embassy": "connectors.embassy",
}
PSEUDO = Pseudonymizer(b"bench-linker-key")

Feed = list[tuple[str, list[PersonRecord]]]  # (agency, its records in feed order)


async def read_feeds(scenario: Scenario, page: int = DEFAULT_PAGE) -> Feed:
    """Every agency's changes feed over ``scenario``, read through its connector from the
    sandbox app in this process: the records exactly as ``pmihub sync`` receives them."""
    from connectors.sandbox.run import build_sandbox_app, sandbox_credentials

    feeds: Feed = []
    for name, package in CONNECTORS.items():
        credentials = sandbox_credentials(name)
        app, _ = build_sandbox_app(name, scenario, credentials)
        transport = httpx.ASGITransport(app=app)
        connector = importlib.import_module(package).connect(
            f"http://{name}.sandbox", credentials, transport=transport
        )
        records: list[PersonRecord] = []
        cursor = None
        try:
            while True:
                answer = await connector.changes(cursor, page)
                records.extend(answer.records)
                if not answer.has_more:
                    break
                cursor = answer.cursor
        finally:
            await connector.aclose()
        feeds.append((name, records))
    return feeds


def feeds_for(people: int) -> Feed:
    """The population's records as the four feeds serve them, cached next to the scenario."""
    name = f"pmihub-bench-linker-{people}-{SEED}-{AS_OF}-{schema_fingerprint()}.pickle"
    path = Path(tempfile.gettempdir()) / name
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - our own cache file
    from schema.scenario import load_scenario

    feeds = asyncio.run(read_feeds(load_scenario(scenario_file(people))))
    partial = path.with_suffix(".partial")
    with partial.open("wb") as f:
        pickle.dump(feeds, f, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return feeds


Pages = list[tuple[str, Sequence[PersonRecord]]]  # (agency, page)


def pages_of(feeds: Feed, size: int) -> Pages:
    """Pages of ``size`` records, one agency after the other, as the sync links them."""
    return [
        (agency, records[start : start + size])
        for agency, records in feeds
        for start in range(0, len(records), size)
    ]


@dataclass
class Pass:
    label: str
    records: int
    seconds: float
    changed: int
    cpu: float  # this process's CPU seconds (SQLite works in-process; PostgreSQL does not)
    by_agency: dict[str, float] = field(default_factory=dict)  # seconds

    @property
    def rate(self) -> float:
        return self.records / self.seconds


def link_pages(engine: Engine, pages: Pages, label: str) -> Pass:
    """Each page linked and committed in its own transaction, as ``hub.sync.store_page``."""
    changed = 0
    by_agency: dict[str, float] = defaultdict(float)
    started, cpu = time.perf_counter(), time.process_time()
    for agency, page in pages:
        begun = time.perf_counter()
        with Session(engine) as session:
            changed += sum(o.changed for o in Linker(session, PSEUDO).link_many(page))
            session.commit()
        by_agency[agency] += time.perf_counter() - begun
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Pass(label, sum(len(p) for _, p in pages), seconds, changed, cpu, dict(by_agency))


@contextmanager
def empty_engine(kind: str) -> Iterator[Engine]:
    with (
        tempfile.TemporaryDirectory(prefix="pmihub-bench-linker-") as tmp,
        database(kind, Path(tmp)) as url,
    ):
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def print_pass(result: Pass, kind: str) -> None:
    ratio = result.rate / TARGET_RECORDS_PER_SECOND
    print(
        f"linker ({kind}, {result.label}): {result.rate:,.0f} records/s "
        f"(target {TARGET_RECORDS_PER_SECOND:,} records/s: ratio {ratio:.2f})"
    )
    print(
        f"   {result.records:,} records in {result.seconds:.1f} s ({result.cpu:.1f} s CPU in "
        f"this process), {result.changed:,} changed; "
        f"1,000,000 people (~3.3 million records) in "
        f"{3_300_000 / result.rate:,.0f} s"
    )
    print("   " + ", ".join(f"{a} {s:.1f} s" for a, s in result.by_agency.items()))


def profiled(run: Callable[[], Pass], top: int) -> Pass:
    profile = cProfile.Profile()
    result = profile.runcall(run)
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    return result


def measure(
    feeds: Feed, kind: str, page: int, *, profile: int = 0, export: Path | None = None
) -> list[Pass]:
    pages = pages_of(feeds, page)
    with empty_engine(kind) as engine:
        first = lambda: link_pages(engine, pages, f"first sync, pages of {page}")  # noqa: E731
        results = [profiled(first, profile) if profile else first()]
        results.append(link_pages(engine, pages, "re-sync, unchanged"))
        if export is not None:
            with export.open("w") as out:
                write_csv(engine, out)
    for result in results:
        print_pass(result, kind)
    return results


def partition(path: Path) -> tuple[set[frozenset[tuple[str, str]]], dict[tuple[str, str], str]]:
    """The clusters of an export (worker ids differ between runs) and each record's method."""
    clusters: dict[str, set[tuple[str, str]]] = defaultdict(set)
    methods: dict[tuple[str, str], str] = {}
    with path.open() as f:
        for row in csv.DictReader(f):
            record = (row["agency"], row["local_id"])
            clusters[row["worker_id"]].add(record)
            methods[record] = f"{row['method']}:{row['confidence']}"
    return {frozenset(c) for c in clusters.values()}, methods


def compare(first: Path, second: Path) -> bool:
    clusters_a, methods_a = partition(first)
    clusters_b, methods_b = partition(second)
    moved = sum(methods_a.get(r) != m for r, m in methods_b.items()) + len(
        methods_a.keys() - methods_b.keys()
    )
    same = clusters_a == clusters_b
    print(
        f"{len(methods_a):,} / {len(methods_b):,} records, {len(clusters_a):,} / "
        f"{len(clusters_b):,} workers: partition {'identical' if same else 'DIFFERENT'} "
        f"({len(clusters_a ^ clusters_b)} clusters differ), {moved} methods or confidences differ"
    )
    return same and not moved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.linker", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument("--page", type=int, default=DEFAULT_PAGE, help="records per page")
    parser.add_argument(
        "--database", choices=("sqlite", "postgres", "both"), default="both", help="store"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print top N")
    parser.add_argument("--export", type=Path, help="write the crosswalk export (one store)")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"))
    args = parser.parse_args(argv)
    if args.compare:
        sys.exit(0 if compare(*args.compare) else 1)
    if args.people < 1 or args.page < 1:
        parser.error("--people and --page must be at least 1")
    kinds = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    feeds = feeds_for(args.people)
    # The sync holds a few pages at a time; holding the whole population makes every full
    # garbage collection walk it, which would be charged to the linker.
    gc.collect()
    gc.freeze()
    print(f"   {args.people:,} people, {sum(len(r) for _, r in feeds):,} records")
    for kind in kinds:
        measure(feeds, kind, args.page, profile=args.profile, export=args.export)


if __name__ == "__main__":
    main()
