"""A search index on SQLite and on PostgreSQL, filled through the real linker and indexer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.databases import migrated_engine
from tests.search._support import Index


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    with migrated_engine(request.param, tmp_path, "pmihub_search") as engine:
        yield engine


@pytest.fixture
def index(engine: Engine) -> Index:
    return Index(engine)
