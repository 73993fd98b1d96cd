"""The linker's pages: linking page by page or all at once gives the same workers, and a record
that appears twice in one page is linked once, as its later occurrence says. On SQLite and on
PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.linker import Feed, read_feeds
from hub.crosswalk import CrosswalkReader, Linker, LinkOutcome, RecordKeyRow
from hub.crosswalk.export import linked_records
from hub.identity.policy import MatchPolicy
from hub.identity.tables import MatchCandidateRow
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from schema.population import build_scenario
from schema.records import PersonRecord
from schema.scenario.loader import validate_scenario
from tests.databases import throwaway_postgres
from tests.identity.conftest import PSEUDO, person

NIK_A = "3506124508900003"
NIK_B = "3301014508900001"
Partition = set[frozenset[tuple[str, str]]]


@pytest.fixture(scope="module")
def feeds() -> Feed:
    """A generated population's records, as each agency's changes feed serves them."""
    raw = build_scenario(people=1500, seed=11, as_of=date(2026, 11, 24))
    return asyncio.run(read_feeds(validate_scenario(raw), page=250))


def link(engine: Engine, records: Sequence[PersonRecord]) -> list[LinkOutcome]:
    with Session(engine) as session:
        outcomes = Linker(session, PSEUDO, MatchPolicy()).link_many(records)
        session.commit()
    return outcomes


def linkage(engine: Engine) -> tuple[Partition, dict[tuple[str, str], tuple[str, float]]]:
    """The workers as sets of records (ids are random), and each record's method."""
    clusters: dict[str, set[tuple[str, str]]] = defaultdict(set)
    methods = {}
    for worker, agency, local_id, method, confidence in linked_records(engine):
        clusters[worker].add((agency, local_id))
        methods[(agency, local_id)] = (method, confidence)
    return {frozenset(c) for c in clusters.values()}, methods


def queue(engine: Engine) -> list[tuple[str, str, float, bool]]:
    table = MatchCandidateRow.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.agency, table.c.local_id, table.c.confidence, table.c.ambiguous)
        ).all()
    return sorted((a, b, c, d) for a, b, c, d in rows)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_engines(request: pytest.FixtureRequest, tmp_path) -> list[Engine]:  # type: ignore[no-untyped-def]
    """Two empty migrated databases of one kind."""
    engines: list[Engine] = []
    if request.param == "sqlite":
        for name in ("a", "b"):
            engines.append(make_engine(f"sqlite:///{tmp_path / f'{name}.db'}"))
    else:
        stack = [throwaway_postgres(), throwaway_postgres()]
        engines = [make_engine(cm.__enter__()) for cm in stack]
        request.addfinalizer(lambda: [cm.__exit__(None, None, None) for cm in stack])
    for engine in engines:
        upgrade(engine)
        request.addfinalizer(engine.dispose)
    return engines


def test_page_by_page_links_the_same_workers_as_all_at_once(
    feeds: Feed, two_engines: list[Engine]
) -> None:
    records = [r for _, agency_records in feeds for r in agency_records]
    paged, whole = two_engines
    for start in range(0, len(records), 97):  # pages cutting across agencies, too
        link(paged, records[start : start + 97])
    link(whole, records)
    (clusters, methods), (clusters_whole, methods_whole) = linkage(paged), linkage(whole)
    assert len(methods) == len(records) > 4000
    assert clusters == clusters_whole
    assert methods == methods_whole
    assert queue(paged) == queue(whole)
    # the population exercises every way of linking, so the comparison means something
    assert {m for m, _ in methods.values()} >= {"NIK", "PASSPORT", "AGENCY_ID", "PROBABILISTIC"}
    assert len(clusters) < 1500 * 1.01


def test_an_unchanged_resync_changes_nothing_and_answers_the_same_workers(
    feeds: Feed, two_engines: list[Engine]
) -> None:
    engine = two_engines[0]
    pages = [rs[i : i + 300] for _, rs in feeds for i in range(0, len(rs), 300)]
    first = [o.worker_id for page in pages for o in link(engine, page)]
    before = linkage(engine)
    again = [o for page in pages for o in link(engine, page)]
    assert not any(o.changed for o in again)
    canonical = CrosswalkReader(engine, PSEUDO).canonical(first)
    assert [o.worker_id for o in again] == [canonical[w] for w in first]
    assert linkage(engine) == before


def test_a_record_twice_in_one_page_is_linked_once_as_its_later_occurrence(
    engine: Engine,
) -> None:
    siti = person("KEMNAKER", "AK1-1", "SITI AMINAH", "1990-08-05", nik=NIK_A)
    first = person("P2MI", "PMI-1", "SITI AMINAH", "1990-08-05", nik=NIK_A, passports=("C1",))
    corrected = person("P2MI", "PMI-1", "DEWI LESTARI", "1985-02-11", nik=NIK_B)
    outcomes = link(engine, [siti, first, corrected])
    assert outcomes[1] == outcomes[2]
    assert outcomes[2].worker_id != outcomes[0].worker_id
    reader = CrosswalkReader(engine, PSEUDO)
    assert reader.find("NIK", [NIK_A, NIK_B]) == {
        NIK_A: outcomes[0].worker_id,
        NIK_B: outcomes[2].worker_id,
    }
    assert reader.find("PASSPORT", ["C1"]) == {}  # only the later version's keys are held
    with engine.connect() as connection:
        keys = connection.execute(
            select(func.count())
            .select_from(RecordKeyRow)
            .where(RecordKeyRow.agency == "P2MI", RecordKeyRow.local_id == "PMI-1")  # type: ignore[arg-type]
        ).scalar()
    assert keys == 2  # its own id and NIK_B


def test_an_identical_record_twice_in_one_page_and_again_later(engine: Engine) -> None:
    record = person("EMBASSY", "HKG-1", "SITI AMINAH", "1990-08-05", passports=("C9",))
    twice = link(engine, [record, record])
    assert twice[0] == twice[1] and twice[0].changed
    # stored now; a later page holds an old and a new version of it
    renamed = person("EMBASSY", "HKG-1", "SITI AMINAH BT SAHRONI", "1990-08-05", passports=("C9",))
    again = link(engine, [record, renamed, person("P2MI", "PMI-9", "X", None, passports=("C9",))])
    assert again[0] == again[1] and again[0].changed
    assert again[2].worker_id == again[0].worker_id
    assert [o.changed for o in link(engine, [renamed, renamed])] == [False, False]
