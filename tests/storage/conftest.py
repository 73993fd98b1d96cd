"""Database fixtures: every storage test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.databases import migrated_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated, empty hub database on SQLite and on PostgreSQL."""
    with migrated_engine(request.param, tmp_path) as engine:
        yield engine
