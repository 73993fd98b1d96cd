"""A search index on SQLite and on PostgreSQL, filled through the real linker and indexer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from hub.storage import make_engine
from hub.storage.migrate import upgrade
from tests.databases import throwaway_postgres
from tests.search._support import Index


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
        upgrade(eng)
        yield eng
        eng.dispose()
    else:
        with throwaway_postgres("pmihub_search") as url:
            eng = make_engine(url)
            upgrade(eng)
            yield eng
            eng.dispose()


@pytest.fixture
def index(engine: Engine) -> Index:
    return Index(engine)
