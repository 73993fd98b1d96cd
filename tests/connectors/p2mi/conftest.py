"""The P2MI sandbox over the small scenario, reached in-process through ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from connectors.p2mi import P2miConnector, connect
from connectors.p2mi.sandbox import create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

API_KEY = "test-p2mi-key"
BASE_URL = "http://siskop2mi.test"


@pytest.fixture
def p2mi_data(small_scenario: Scenario) -> SandboxData:
    return SandboxData(small_scenario)


@pytest.fixture
def p2mi_config() -> SandboxConfig:
    return SandboxConfig(credentials={"api_key": API_KEY}, max_batch=10, max_page_size=50)


@pytest.fixture
def p2mi_app(p2mi_data: SandboxData, p2mi_config: SandboxConfig) -> Starlette:
    return create_app(p2mi_data, p2mi_config)


@pytest.fixture
async def api(p2mi_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A plain client holding the right key: the sandbox as any caller sees it."""
    transport = httpx.ASGITransport(app=p2mi_app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE_URL, headers={"X-Api-Key": API_KEY}
    ) as client:
        yield client


@pytest.fixture
async def connector(p2mi_app: Starlette) -> AsyncIterator[P2miConnector]:
    transport = httpx.ASGITransport(app=p2mi_app)
    conn = connect(BASE_URL, {"api_key": API_KEY}, transport=transport)
    yield conn
    await conn.aclose()
