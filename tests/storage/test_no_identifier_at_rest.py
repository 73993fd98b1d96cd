"""Nothing the hub stores gives an identifier back (UU 27/2022 pseudonymisation).

A demo-like run (the four sandboxes on loopback serving a generated population, a full sync,
the hub answering reads by NIK, passport and id, a case opened and a webhook registered), then
every column of every table is searched for the population's NIKs, passports, KPJ and phone
numbers, plain or as an unkeyed digest (tests/storage/scan.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from hub.crosswalk.tables import WorkerRow
from hub.storage import make_engine
from schema.population import generate
from schema.scenario import load_scenario
from tests.databases import throwaway_postgres
from tests.e2e.queries import BY_ID, BY_NIK, BY_PASSPORT
from tests.e2e.stack import Stack, running_stack
from tests.storage.scan import Identifiers, scan_database, tables

PEOPLE = 40
OPEN_CASE = """
mutation($w: ID!) { openCase(input: {workerId: $w, kind: WAGE_DISPUTE, severity: MEDIUM,
  summary: "Gaji tidak dibayar / unpaid wages"}) { id } }
"""
REGISTER = """
mutation { registerWebhook(url: "http://127.0.0.1:9/hook") { webhook { id } secret } }
"""


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("population") / "scenario.json"
    generate(path, people=PEOPLE, seed=14, as_of=date(2026, 11, 24))
    return path


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def synced(
    request: pytest.FixtureRequest, population: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    with ExitStack() as stack:
        url = None if request.param == "sqlite" else stack.enter_context(throwaway_postgres())
        directory = tmp_path_factory.mktemp(f"at-rest-{request.param}")
        running = stack.enter_context(
            running_stack(load_scenario(population), directory, database_url=url)
        )
        _use(running, json.loads(population.read_text())["people"])
        yield running


def _use(stack: Stack, people: list[dict]) -> None:  # type: ignore[type-arg]
    """Reads by every identifier, a case and a webhook: what a day at the hub stores."""
    for person in people[:6]:
        if person.get("nik"):
            assert stack.graphql(BY_NIK, {"nik": person["nik"]}).status_code == 200
        for passport in person.get("passports", [])[:1]:
            assert stack.graphql(BY_PASSPORT, {"p": passport["number"]}).status_code == 200
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with engine.connect() as connection:
        workers = connection.execute(select(WorkerRow.id).limit(3)).scalars().all()  # type: ignore[call-overload]
    engine.dispose()
    for worker in workers:
        assert stack.graphql(BY_ID, {"id": worker}).status_code == 200
    stack.graphql(OPEN_CASE, {"w": workers[0]})
    stack.graphql(REGISTER)


def test_no_table_holds_an_identifier_plain_or_as_an_unkeyed_digest(
    synced: Stack, population: Path
) -> None:
    engine = make_engine(synced.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:  # the run did store what the scan looks at
            assert connection.execute(text("SELECT count(*) FROM agency_record")).scalar()
            assert connection.execute(text("SELECT count(*) FROM audit_entry")).scalar()
        assert {"agency_record", "record_key", "audit_entry", "hub_webhook"} <= set(tables(engine))
        findings = scan_database(engine, Identifiers.of_scenario(population))
    finally:
        engine.dispose()
    assert findings == [], "\n".join(map(str, findings))
