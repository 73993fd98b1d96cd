"""The statistics run read from the census (set-based) equals the run through the agencies.

One generated population on a real stack; the census evaluates it for the reference date; a
release is made through the agencies and one from the census: every table's exact cells, the
published cells, the answers per agency and the linkage agree. A census that is missing,
from another day or with workers waiting in its queue is refused with the reasons (``census``)
or replaced by the agencies (``auto``); either way the run keeps nothing per person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text, update

from hub.census import Census
from hub.census.run import CENSUS, PENDING
from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.statistics.catalogue import TABLES
from hub.statistics.releases import Releases
from hub.statistics.run import CensusNotCurrent, RunReport, StatisticsRun
from hub.storage import make_engine
from schema.population.generator import build_scenario
from schema.scenario.loader import validate_scenario
from tests.e2e.stack import Stack, running_stack
from tests.statistics.conftest import AS_OF, rows_per_table

pytestmark = pytest.mark.e2e

PEOPLE = 400
TIMEOUTS = {f"HUB_AGENCY_{a}_TIMEOUT": "60" for a in ("KEMNAKER", "P2MI", "BPJS", "EMBASSY")}


async def _with_hub(environ: dict[str, str], work: Any) -> Any:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        try:
            return await work(hub)
        finally:
            await hub.cases.aclose()


def census(stack: Stack, day: date = AS_OF) -> None:
    """``pmihub census`` for ``day``: the sync marked everyone, so everyone is evaluated."""
    report = asyncio.run(_with_hub(stack.environ, lambda hub: Census(hub, today=lambda: day).run()))
    assert report.kept_incomplete == 0


def release(stack: Stack, source: str) -> RunReport:
    return asyncio.run(
        _with_hub(
            stack.environ, lambda hub: StatisticsRun(hub, batch=200).run(AS_OF, source=source)
        )
    )


def sql(stack: Stack, statement: Any) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(statement)
    engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    raw = build_scenario(people=PEOPLE, seed=1919, as_of=AS_OF)
    env = {"HUB_TODAY": AS_OF.isoformat(), **TIMEOUTS}
    directory = tmp_path_factory.mktemp("stats-census")
    with running_stack(validate_scenario(raw), directory, extra_env=env) as running:
        yield running


@pytest.fixture(scope="module")
def both(stack: Stack) -> tuple[RunReport, RunReport]:
    """Before the census: auto falls back to the agencies; then the census, and a release
    from it (nothing else changed in between)."""
    through_agencies = release(stack, "auto")
    census(stack)
    return through_agencies, release(stack, "census")


def test_without_a_census_auto_reads_the_agencies_and_says_why(
    both: tuple[RunReport, RunReport],
) -> None:
    agencies, _ = both
    assert agencies.source == "agencies" and agencies.batches >= 2
    assert any("pmihub census" in p.text_en for p in agencies.why)
    assert agencies.release.meta["input"] == "agencies"
    assert "not from the census" in agencies.line()


def test_the_census_release_equals_the_agencies_release(
    stack: Stack, both: tuple[RunReport, RunReport]
) -> None:
    agencies, from_census = both
    assert from_census.source == "census" and from_census.why == []
    assert from_census.release.meta["input"] == "census"
    assert from_census.workers == agencies.workers > PEOPLE * 0.9
    releases = Releases(make_engine(stack.environ["HUB_DATABASE_URL"]))
    compared = 0
    for table in TABLES:
        one = releases.exact(agencies.release.id, table.name)
        two = releases.exact(from_census.release.id, table.name)
        assert one == two, table.name
        published = releases.table(agencies.release.id, table.name)
        again = releases.table(from_census.release.id, table.name)
        assert published is not None and again is not None
        assert published["cells"] == again["cells"], table.name
        compared += sum(n for _, n in (one or {"counts": []})["counts"])
    assert compared > PEOPLE  # the tables counted something
    a, c = agencies.release.meta, from_census.release.meta
    assert c["linkage"] == a["linkage"]
    assert {k: v["answers"] for k, v in c["freshness"].items()} == {
        k: v["answers"] for k, v in a["freshness"].items()
    }


def test_a_census_run_keeps_only_a_release_and_one_audit_entry(
    stack: Stack, both: tuple[RunReport, RunReport]
) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    before = rows_per_table(engine)
    report = release(stack, "census")
    after = rows_per_table(engine)
    engine.dispose()
    assert report.source == "census"
    grew = {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}
    assert grew.pop("statistics_release") == 1
    assert grew.pop("statistics_table") == len(TABLES)
    assert grew.pop("statistics_exact") == len(TABLES)
    assert grew.pop("audit_entry") == 1
    assert set(grew) <= {t for t in grew if t.startswith("audit")}, grew


def test_a_census_from_another_day_is_refused_or_replaced(
    stack: Stack, both: tuple[RunReport, RunReport]
) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    releases_before = rows_per_table(engine)["statistics_release"]
    sql(stack, update(CENSUS).values(evaluated_on=AS_OF - timedelta(days=1)))
    try:
        with pytest.raises(CensusNotCurrent) as refused:
            release(stack, "census")
        assert f"have no census verdict with statistics for {AS_OF}" in refused.value.message_en
        assert "pmihub census --full" in refused.value.message_en
        assert "Sensus belum mutakhir" in refused.value.message_id
        # refused before anything is read or recorded
        assert rows_per_table(engine)["statistics_release"] == releases_before
    finally:
        sql(stack, update(CENSUS).values(evaluated_on=AS_OF))
        engine.dispose()


def test_workers_waiting_in_the_census_queue_make_it_stale(
    stack: Stack, both: tuple[RunReport, RunReport]
) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with engine.connect() as connection:
        worker = connection.execute(text("SELECT worker_id FROM census_verdict")).scalar()
    sql(stack, insert(PENDING).values(worker_id=worker))
    try:
        with pytest.raises(CensusNotCurrent, match="1 workers changed at the agencies"):
            release(stack, "census")
        fallback = release(stack, "auto")
        assert fallback.source == "agencies" and fallback.why
    finally:
        sql(stack, PENDING.delete())
        engine.dispose()


def test_rows_without_the_statistics_facts_are_stale(
    stack: Stack, both: tuple[RunReport, RunReport]
) -> None:
    """A census stored before it kept the statistics' facts (migration 0021) is not read."""
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with engine.connect() as connection:
        worker, country = connection.execute(
            text("SELECT worker_id, stat_country FROM census_verdict")
        ).first()  # type: ignore[misc]
    sql(stack, update(CENSUS).where(CENSUS.c.worker_id == worker).values(stat_country=None))
    try:
        with pytest.raises(CensusNotCurrent, match=r"1 of .* workers have no census verdict"):
            release(stack, "census")
    finally:
        sql(
            stack,
            update(CENSUS).where(CENSUS.c.worker_id == worker).values(stat_country=country),
        )
        engine.dispose()


def test_pmihub_stats_run_source(
    stack: Stack, both: tuple[RunReport, RunReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from hub.cli import app

    for name, value in stack.environ.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    wrong = runner.invoke(app, ["stats", "run", "--source", "everywhere"])
    assert wrong.exit_code == 2 and "census, agencies" in wrong.output
    done = runner.invoke(app, ["stats", "run", "--source", "census"])
    assert done.exit_code == 0, done.output
    assert "workers from the census" in done.output
    sql(stack, insert(PENDING).values(worker_id="wk_waiting"))
    try:
        refused = runner.invoke(app, ["stats", "run", "--source", "census"])
        assert refused.exit_code == 1
        assert "Sensus belum mutakhir" in refused.output and "run `pmihub census`" in refused.output
    finally:
        sql(stack, PENDING.delete())
