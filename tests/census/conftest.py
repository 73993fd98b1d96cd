"""A stack over a generated population, with the hub's census loop running fast."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

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
