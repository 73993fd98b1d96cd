"""Nothing the hub stores gives an identifier back (UU 27/2022 pseudonymisation).

A demo-like run (the four sandboxes on loopback serving a generated population, a full sync,
the hub answering reads by NIK, passport and id, a case opened and a webhook registered, the
census run in full, a crisis cohort read and a person of it marked reached), then
every column of every table is searched for the population's NIKs, passports, KPJ and phone
numbers, plain or as an unkeyed digest (tests/storage/scan.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select, text

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.audit.tables import AuditMemberRow
from hub.census import Census
from hub.census.tables import CensusRow, ContactMarkRow
from hub.crosswalk.tables import WorkerRow
from hub.resilience.cache_secrets import CacheSecrets
from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.storage import make_engine
from schema.population import generate
from schema.scenario import load_scenario
from tests.databases import throwaway_postgres
from tests.e2e.queries import BY_ID, BY_NIK, BY_PASSPORT
from tests.e2e.stack import Stack, running_stack
from tests.storage.scan import Identifiers, scan_database, scan_value, tables

PEOPLE = 40
OPEN_CASE = """
mutation($w: ID!) { openCase(input: {workerId: $w, kind: WAGE_DISPUTE, severity: MEDIUM,
  summary: "Gaji tidak dibayar / unpaid wages"}) { id } }
"""
REGISTER = """
mutation { registerWebhook(url: "http://127.0.0.1:9/hook") { webhook { id } secret } }
"""
COHORT = """query($f: CohortFilter!) { cohort(filter: $f, first: 50) {
  edges { node { id identity { fullName nik phone } } } } }"""
MARK = "mutation($w: ID!) { markReached(workerId: $w, reached: true) { markedAt } }"
CRISIS_TABLES = [t.__table__ for t in (CensusRow, ContactMarkRow, AuditMemberRow)]  # type: ignore[attr-defined]
LEVELS = ["EMERGENCY", "UNPROTECTED", "UNKNOWN", "AT_RISK", "PROTECTED"]


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
        _crisis(running)
        yield running


def _use(stack: Stack, people: list[dict], *, writes: bool = True) -> None:  # type: ignore[type-arg]
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
    if not writes:
        return
    stack.graphql(OPEN_CASE, {"w": workers[0]})
    stack.graphql(REGISTER)


def _crisis(stack: Stack) -> None:
    """The census in full (as ``pmihub census --full``), then a cohort of everyone read and
    its first person marked reached: the census, audit member and contact mark tables."""

    async def census() -> None:
        settings = Settings.from_environ(stack.environ)
        async with hub_services(settings) as (engine, connectors):
            hub = Hub(settings=settings, engine=engine, connectors=connectors)
            assert (await Census(hub).run(full=True)).evaluated

    asyncio.run(census())
    body = stack.graphql(COHORT, {"f": {"levels": LEVELS}}).json()
    edges = body["data"]["cohort"]["edges"]
    assert edges, body
    marked = stack.graphql(MARK, {"w": edges[0]["node"]["id"]}).json()
    assert "errors" not in marked, marked


def test_no_table_holds_an_identifier_plain_or_as_an_unkeyed_digest(
    synced: Stack, population: Path
) -> None:
    engine = make_engine(synced.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:  # the run did store what the scan looks at
            assert connection.execute(text("SELECT count(*) FROM agency_record")).scalar()
            assert connection.execute(text("SELECT count(*) FROM audit_entry")).scalar()
            for table in CRISIS_TABLES:  # the census run, the cohort read, the mark
                count = select(func.count()).select_from(table)
                assert connection.execute(count).scalar(), table.name
        scanned = set(tables(engine))
        assert {"agency_record", "record_key", "audit_entry", "hub_webhook"} <= scanned
        assert {"census_verdict", "contact_mark", "audit_member"} <= scanned
        findings = scan_database(engine, Identifiers.of_scenario(population))
    finally:
        engine.dispose()
    assert findings == [], "\n".join(map(str, findings))


# -- the response cache in Redis -------------------------------------------------------------

REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[tuple[redis.Redis, str]]:
    """A Redis namespace of this test's own (a skip without Redis; a failure in CI)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must answer in CI at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")
    prefix = f"pmihub-at-rest-{uuid.uuid4().hex[:8]}:"
    yield client, prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def _stored(client: redis.Redis, key: bytes) -> bytes:
    """What Redis holds under ``key``: a string's bytes, a hash's fields and values."""
    if client.type(key) == b"hash":
        return b"\x00".join(b"%s=%s" % item for item in client.hgetall(key).items())
    return client.get(key) or b""


def test_the_redis_cache_holds_no_identifier_name_or_unkeyed_digest(
    synced: Stack,
    population: Path,
    redis_prefix: tuple[redis.Redis, str],
    request: pytest.FixtureRequest,
) -> None:
    if request.node.callspec.params["synced"] != "sqlite":
        pytest.skip("the cache does not depend on the database: scanned once, with SQLite")
    client, prefix = redis_prefix
    env = {
        **synced.environ,
        "HUB_REDIS_URL": REDIS_URL,
        "HUB_REDIS_PREFIX": prefix,
        "HUB_RESILIENCE_CACHE_TTL": "30",  # the stack turns the cache off; this hub keeps it
        "HUB_RESILIENCE_CACHE_STALE": "60",
    }
    people = json.loads(population.read_text())["people"]
    # a hub on Redis answers reads by NIK, passport and id (each goes to the agencies)
    with LoopbackServer(create_app(Settings.from_environ(env))) as server:
        on_redis = dataclasses.replace(synced, hub_url=server.url)
        _use(on_redis, people, writes=False)
    entries = {key: _stored(client, key) for key in client.scan_iter(match=prefix + "*")}
    cached = {k: v for k, v in entries.items() if client.type(k) == b"string"}
    assert cached, "the reads cached nothing: the scan would prove nothing"
    known = Identifiers.of_scenario(population)
    pattern = known.plain_pattern()
    names = re.compile("|".join(re.escape(n) for p in people if len(n := p["name"]) >= 8))
    findings = set()
    for key, value in entries.items():
        for where, data in (("key", key), ("value", value)):
            findings |= {f"{where} {key!r}: {what}" for what in scan_value(data, known, pattern)}
            if names.search(data.decode("latin-1")):
                findings.add(f"{where} {key!r}: a name")
    assert findings == set(), "\n".join(sorted(findings))
    # and the scan sees personal data once a value is opened with the hub's secret
    secrets = CacheSecrets(Settings.from_environ(env).pseudonym_key)
    opened = [secrets.open(k.decode().removeprefix(prefix), v) for k, v in cached.items()]
    assert any(list(scan_value(plain, known, pattern)) for plain in opened)
