"""Fixtures for the Kemnaker tests: the sandbox app, a settable clock, and clients over it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kemnaker import KemnakerConnector, build_auth
from connectors.kemnaker.sandbox import create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

BASE = "http://kemnaker.test"
CREDENTIALS = {"client_id": "pmihub-test", "client_secret": "test-only-secret-kemnaker"}


@dataclass
class FakeClock:
    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_app(small_scenario: Scenario, clock: FakeClock) -> Callable[..., Starlette]:
    """A fresh sandbox on the small scenario; keyword arguments go to SandboxConfig."""

    def make(credentials: dict[str, str] | None = None, **config: Any) -> Starlette:
        settings = SandboxConfig(credentials=credentials or CREDENTIALS, **config)
        return create_app(SandboxData(small_scenario), settings, clock=clock)

    return make


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app()


@pytest.fixture
async def raw(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A plain client on the sandbox: no auth, for speaking the dialect by hand."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@pytest.fixture
async def make_connector(clock: FakeClock) -> AsyncIterator[Callable[..., KemnakerConnector]]:
    """Connectors on an app whose token caches read the same clock as the sandbox."""
    made: list[KemnakerConnector] = []

    def make(
        app: Starlette, credentials: dict[str, str] | None = None, batch_size: int = 100
    ) -> KemnakerConnector:
        auth = build_auth(BASE, credentials or CREDENTIALS, clock=clock)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE, auth=auth)
        made.append(KemnakerConnector(http, batch_size=batch_size))
        return made[-1]

    yield make
    for connector in made:
        await connector.aclose()


@dataclass
class SandboxHelper:
    """Speaks to the sandbox by hand: tokens, call counts, faults, people."""

    raw: httpx.AsyncClient

    async def token(self, **form: str) -> str:
        auth = (CREDENTIALS["client_id"], CREDENTIALS["client_secret"])
        data = {"grant_type": "client_credentials", **form}
        answer = await self.raw.post("/oauth/token", data=data, auth=auth)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    async def calls(self) -> dict[str, int]:
        return dict((await self.raw.get("/_sandbox/stats")).json()["calls"])

    async def reset_calls(self) -> None:
        await self.raw.delete("/_sandbox/stats")

    async def faults(self, **settings: Any) -> None:
        answer = await self.raw.post("/_sandbox/faults", json=settings)
        assert answer.status_code == 200, answer.text

    async def upsert(self, *people: dict[str, Any]) -> None:
        answer = await self.raw.post("/_sandbox/people", json=list(people))
        assert answer.status_code == 200, answer.text


@pytest.fixture
def sandbox(raw: httpx.AsyncClient) -> SandboxHelper:
    return SandboxHelper(raw)


TWICE_REGISTERED = {
    "key": "twice",
    "nik": "3302024107850005",
    "name": "Sri Wahyuni",
    "birthDate": "1985-07-01",
    "sex": "FEMALE",
    "phone": "+6281255550000",
    "kemnaker": [
        {"jobSeekerId": "AK1-2019-777001", "nameAs": "SRI WAHYUNI", "birthDateAs": "1985-01-07"},
        {"jobSeekerId": "AK1-2025-777002", "nikKnown": False},
    ],
}


@pytest.fixture
def twice_registered() -> dict[str, Any]:
    """One person with two AK/1 records: one with its own spelling and a swapped birth date,
    one without NIK."""
    return dict(TWICE_REGISTERED)
