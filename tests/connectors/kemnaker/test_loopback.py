"""The Kemnaker connector and its OAuth auth over real HTTP on loopback (uvicorn)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kemnaker import connect
from connectors.kit.base import LookupKey
from connectors.kit.errors import AgencyRejected, AgencyTimeout, AgencyUnavailable
from connectors.sandbox.serve import LoopbackServer, free_port

pytestmark = pytest.mark.e2e
CREDENTIALS = {"client_id": "pmihub-test", "client_secret": "test-only-secret-kemnaker"}


@pytest.fixture
def server(make_app: Callable[..., Starlette]) -> Iterator[LoopbackServer]:
    with LoopbackServer(make_app()) as running:
        yield running


@pytest.mark.anyio
async def test_connector_over_real_http_fetches_one_token(server: LoopbackServer) -> None:
    # given
    connector = connect(server.url, CREDENTIALS, timeout=5.0)
    try:
        # when
        found = await connector.fetch(["AK1-2024-000123", "AK1-2021-004455"])
        by_nik = await connector.find(LookupKey.NIK, ["3174055011000004"])
        licences = await connector.licenses(["KEP.045/2021"])
        page = await connector.changes(None, limit=10)
        healthy = await connector.health()
    finally:
        await connector.aclose()
    # then
    assert set(found) == {"AK1-2024-000123", "AK1-2021-004455"}
    assert by_nik == {"3174055011000004": ["AK1-2026-010101"]}
    assert set(licences) == {"KEP.045/2021"}
    assert len(page.records) == 4 and not page.has_more
    assert healthy.ok
    async with httpx.AsyncClient(base_url=server.url) as raw:
        calls = (await raw.get("/_sandbox/stats")).json()["calls"]
    assert calls["POST /oauth/token"] == 1
    assert sum(calls.values()) == 6


@pytest.mark.anyio
async def test_wrong_secret_over_real_http_is_rejected(server: LoopbackServer) -> None:
    connector = connect(server.url, {**CREDENTIALS, "client_secret": "wrong"})
    try:
        with pytest.raises(AgencyRejected):
            await connector.fetch(["AK1-2024-000123"])
    finally:
        await connector.aclose()


@pytest.mark.anyio
async def test_slow_agency_times_out(server: LoopbackServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as raw:
        await raw.post("/_sandbox/faults", json={"latencyMs": 500})
    connector = connect(server.url, CREDENTIALS, timeout=0.1)
    try:
        with pytest.raises(AgencyTimeout):
            await connector.fetch(["AK1-2024-000123"])
    finally:
        await connector.aclose()


@pytest.mark.anyio
async def test_nobody_listening_is_unavailable() -> None:
    connector = connect(f"http://127.0.0.1:{free_port()}", CREDENTIALS, timeout=2.0)
    try:
        with pytest.raises(AgencyUnavailable):
            await connector.fetch(["AK1-2024-000123"])
        assert not (await connector.health()).ok
    finally:
        await connector.aclose()
