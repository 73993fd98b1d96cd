"""The connector and the sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kit.base import LookupKey
from connectors.kit.errors import AgencyTimeout, AgencyUnavailable
from connectors.p2mi import connect
from connectors.sandbox.serve import LoopbackServer, free_port

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

API_KEY = "test-p2mi-key"
SITI = "PMI-3506-2024-0001234"


@pytest.fixture
def server(p2mi_app: Starlette) -> Iterator[LoopbackServer]:
    with LoopbackServer(p2mi_app) as running:
        yield running


async def test_fetch_and_find_over_loopback_http(server: LoopbackServer) -> None:
    conn = connect(server.url, {"api_key": API_KEY})
    try:
        found = await conn.fetch([SITI])
        matches = await conn.find(LookupKey.PASSPORT, ["C1234567"])
        health = await conn.health()
    finally:
        await conn.aclose()
    assert found[SITI].person.name == "Siti Aminah Binti Sahroni"
    assert matches == {"C1234567": [SITI]}
    assert health.ok


async def test_a_slow_agency_is_a_timeout(server: LoopbackServer) -> None:
    # given
    async with httpx.AsyncClient(base_url=server.url) as admin:
        await admin.post("/_sandbox/faults", json={"latencyMs": 500})
    conn = connect(server.url, {"api_key": API_KEY}, timeout=0.1)
    # when / then
    with pytest.raises(AgencyTimeout):
        await conn.fetch([SITI])
    await conn.aclose()


async def test_an_agency_nobody_answers_for_is_unavailable() -> None:
    conn = connect(f"http://127.0.0.1:{free_port()}", {"api_key": API_KEY}, timeout=2)
    with pytest.raises(AgencyUnavailable) as caught:
        await conn.fetch([SITI])
    await conn.aclose()
    assert type(caught.value) is AgencyUnavailable
