"""Auth fixtures: a database (in-memory SQLite, and PostgreSQL when it answers), a pinned clock,
the authorization server over ASGI, and the demo registrations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

import auth.hashing
import auth.sealing
from auth.demo import register_demo
from auth.models import TABLES
from auth.routes import create_auth_app
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from hub.storage import make_engine
from tests.auth._support import ISSUER, REDIRECT, WORKER_ID, FakeClock
from tests.databases import throwaway_postgres


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """New hashes and sealed keys use a low scrypt cost in tests; the cost is stored with each
    hash, so verification code paths are the production ones."""
    monkeypatch.setattr(auth.hashing, "LOG2_N", 10)
    monkeypatch.setattr(auth.sealing, "LOG2_N", 10)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this session, with the auth tables."""
    with throwaway_postgres("pmihub_auth_test") as url:
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An empty database with the auth tables, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine("sqlite://", poolclass=StaticPool)
        SQLModel.metadata.create_all(eng)
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
        with eng.begin() as connection:
            for table in TABLES:
                connection.execute(table.__table__.delete())
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> AuthSettings:
    return AuthSettings(public_url=ISSUER, demo=True, console_redirect_uri=REDIRECT)


@pytest.fixture
def server(engine: Engine, settings: AuthSettings, clock: FakeClock) -> HubAuthorizationServer:
    hub_server = HubAuthorizationServer(engine, settings, clock=clock)
    hub_server.keys.ensure_key()
    return hub_server


@pytest.fixture
def demo(
    engine: Engine, settings: AuthSettings, server: HubAuthorizationServer, clock: FakeClock
) -> dict[str, Any]:
    """The demo's credentials, and the server's clock (officers' TOTP codes follow it)."""
    return {**register_demo(engine, settings, worker_id=WORKER_ID), "clock": clock}


@pytest.fixture
async def http(server: HubAuthorizationServer) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_auth_app(server))
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
        yield client
