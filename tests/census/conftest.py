"""A stack over a generated population, with the hub's census loop running fast."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from auth.demo import CONSOLE_CLIENT, OFFICER_SCOPES
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.users import add_user
from hub.census.run import CENSUS, PENDING
from hub.crosswalk import Pseudonymizer
from hub.runtime import hub_services
from hub.settings import Settings
from hub.storage import make_engine
from hub.sync import sync_all
from schema.population.generator import build_scenario
from schema.scenario import Scenario
from schema.scenario.loader import validate_scenario
from tests.cases.conftest import FAST_WEBHOOKS
from tests.e2e.stack import Stack, running_stack

AS_OF = date(2026, 11, 24)
PEOPLE = 300
SEED = 18
CENSUS_ENV = {**FAST_WEBHOOKS, "HUB_CENSUS_SECONDS": "0.2"}


@pytest.fixture(scope="module")
def population() -> Scenario:
    return validate_scenario(build_scenario(people=PEOPLE, seed=SEED, as_of=AS_OF))


@pytest.fixture(scope="module")
def stack(population: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(population, tmp_path_factory.mktemp("census"), CENSUS_ENV) as running:
        wait_for_census(running)
        yield running


def scalar(stack: Stack, query: Any) -> Any:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.execute(query).scalar()
    finally:
        engine.dispose()


def rows(stack: Stack, query: Any) -> list[Any]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return list(connection.execute(query).all())
    finally:
        engine.dispose()


def census(stack: Stack) -> dict[str, Any]:
    """The census rows by worker id."""
    return {row.worker_id: row for row in rows(stack, select(CENSUS))}


def wait_for_census(stack: Stack, seconds: float = 120.0) -> None:
    """Until the hub's census loop has taken every marked worker."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pending = scalar(stack, select(func.count()).select_from(PENDING))
        stored = scalar(stack, select(func.count()).select_from(CENSUS))
        if pending == 0 and stored:
            return
        time.sleep(0.1)
    raise AssertionError("the census did not take the marked workers in time")


def sync(stack: Stack) -> None:
    """One sync pass, as ``pmihub sync`` runs it beside the hub."""

    async def run() -> None:
        settings = Settings.from_environ(stack.environ)
        async with hub_services(settings) as (engine, connectors):
            report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
            assert report.ok, report

    asyncio.run(run())


def mission_officer(stack: Stack, mission: str) -> str:
    """A token as the hub issues one to an officer of ``mission`` who signed in at the
    console (the user registry keeps the mission; the token carries it as a claim)."""
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    settings = AuthSettings.from_environ(stack.environ)
    subject = f"petugas.{mission.lower()}"
    add_user(
        engine,
        username=subject,
        password=secrets.token_urlsafe(16),
        role="officer",
        mission=mission,
        scopes=OFFICER_SCOPES,
        replace=True,
    )
    issued = HubAuthorizationServer(engine, settings).tokens.issue(
        client_id=CONSOLE_CLIENT, subject=subject, scopes=sorted(OFFICER_SCOPES), mission=mission
    )
    engine.dispose()
    return str(issued.value)
