"""Audit fixtures: a migrated hub database (SQLite and PostgreSQL) holding the audit tables."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hub.audit import AuditTrail
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow, AuditMemberRow
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from tests.audit._support import Clock

POSTGRES_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TABLES = [
    AuditEntryRow.__table__,  # type: ignore[attr-defined]
    AuditHeadRow.__table__,  # type: ignore[attr-defined]
    AuditCheckpointRow.__table__,  # type: ignore[attr-defined]
    AuditMemberRow.__table__,  # type: ignore[attr-defined]
]


def prepare(engine: Engine) -> Engine:
    """Migrate, then add the audit tables if the migrations do not hold them yet."""
    upgrade(engine)
    AuditEntryRow.metadata.create_all(engine, tables=TABLES, checkfirst=True)
    return engine


def postgres_engine() -> Iterator[Engine]:
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"pmihub_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must answer in CI at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__})")
    engine = make_engine(POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", pool_size=20)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Engine]:
    """One throwaway PostgreSQL database for the session, migrated once."""
    for eng in postgres_engine():
        yield prepare(eng)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated hub database with empty audit tables, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = prepare(make_engine(f"sqlite:///{tmp_path / 'hub.db'}"))
        yield eng
        eng.dispose()
    else:
        eng = request.getfixturevalue("postgres")
        AuditEntryRow.metadata.create_all(eng, tables=TABLES, checkfirst=True)  # a test dropped one
        with eng.begin() as connection:
            names = ", ".join(table.name for table in TABLES)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        yield eng


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    eng = prepare(make_engine(f"sqlite:///{tmp_path / 'hub.db'}"))
    yield eng
    eng.dispose()


@pytest.fixture
def signer() -> AuditSigner:
    return AuditSigner(Ed25519PrivateKey.generate())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def trail(engine: Engine, signer: AuditSigner, clock: Clock) -> AuditTrail:
    return AuditTrail(engine, signer, clock)
