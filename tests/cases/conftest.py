"""Case fixtures: a migrated hub database (SQLite and PostgreSQL) holding two workers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.crosswalk.tables import WorkerRow
from schema.scenario import Scenario
from tests.databases import migrated_engine
from tests.e2e.stack import Stack, running_stack

WORKERS = ("wk_case_0001", "wk_case_0002")


def _seed(engine: Engine) -> Engine:
    with Session(engine) as session:
        for worker in WORKERS:
            session.add(WorkerRow(id=worker, created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        session.commit()
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated hub database with two workers, on SQLite and on PostgreSQL."""
    with migrated_engine(request.param, tmp_path) as engine:
        yield _seed(engine)


FAST_WEBHOOKS = {
    "HUB_WEBHOOK_RETRY_SECONDS": "0.2",
    "HUB_WEBHOOK_RETRY_MAX_SECONDS": "0.4",
    "HUB_WEBHOOK_POLL_SECONDS": "0.1",
    "HUB_WEBHOOK_TIMEOUT": "3",
    "HUB_WEBHOOK_ALLOW_LOOPBACK": "true",  # the receivers listen on 127.0.0.1
}


@pytest.fixture(scope="module")
def stack(small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The sandboxes and a hub on loopback (SQLite), webhooks retried within a second."""
    with running_stack(small_scenario, tmp_path_factory.mktemp("cases"), FAST_WEBHOOKS) as s:
        yield s
