"""A throwaway PostgreSQL database for storage tests, on the server CI provides.

Locally a test that needs PostgreSQL skips with the reason when none answers; with
``CI=true`` it fails instead, so CI can never pass without having run it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hub.storage import make_engine
from hub.storage.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def throwaway_postgres(prefix: str = "pmihub_test") -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must answer in CI at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__})")
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_engine(backend: str, folder: Path, prefix: str = "pmihub_test") -> Iterator[Engine]:
    """A hub database at the newest migration, empty: a file under ``folder`` for
    ``backend == "sqlite"``, a throwaway PostgreSQL database for ``"postgres"``."""
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{folder / 'hub.db'}"
        else:
            url = stack.enter_context(throwaway_postgres(prefix))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        upgrade(engine)
        yield engine
