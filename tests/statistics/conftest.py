"""One generated population on a real stack, and one statistics run over it, per session."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Engine

from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.statistics.run import RunReport, StatisticsRun
from hub.storage import make_engine
from schema.population.generator import build_scenario
from schema.scenario.loader import validate_scenario
from tests.e2e.stack import Stack, running_stack

AS_OF = date(2026, 11, 24)
PEOPLE = 800


@dataclass
class Released:
    stack: Stack
    raw: dict[str, Any]  # the scenario: the ground truth
    path: Path
    report: RunReport
    before: dict[str, int]  # rows per table before the run
    after: dict[str, int]

    def engine(self) -> Engine:
        return make_engine(self.stack.environ["HUB_DATABASE_URL"])


def rows_per_table(engine: Engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
            for t in metadata.sorted_tables
        }


async def run_release(environ: dict[str, str], batch: int = 200) -> RunReport:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        try:
            return await StatisticsRun(hub, batch=batch).run(AS_OF)
        finally:
            await hub.cases.aclose()


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Released]:
    import json

    raw = build_scenario(people=PEOPLE, seed=2026, as_of=AS_OF)
    directory = tmp_path_factory.mktemp("statistics")
    path = directory / "scenario.json"
    path.write_text(json.dumps(raw))
    env = {"HUB_TODAY": AS_OF.isoformat()}
    # a loaded CI machine must not turn the run's batch reads into timeouts
    env |= {f"HUB_AGENCY_{a}_TIMEOUT": "60" for a in ("KEMNAKER", "P2MI", "BPJS", "EMBASSY")}
    with running_stack(validate_scenario(raw), directory, extra_env=env) as stack:
        engine = make_engine(stack.environ["HUB_DATABASE_URL"])
        before = rows_per_table(engine)
        report = asyncio.run(run_release(stack.environ))
        after = rows_per_table(engine)
        engine.dispose()
        yield Released(stack, raw, path, report, before, after)
