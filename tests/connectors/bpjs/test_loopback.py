"""The BPJS sandbox and connector over real HTTP on loopback (uvicorn in a thread)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connectors.bpjs import connect
from connectors.bpjs.sandbox import DEV_CREDENTIALS, create_app
from connectors.kit.base import LookupKey
from connectors.kit.errors import AgencyTimeout
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from connectors.sandbox.serve import LoopbackServer
from schema.scenario import Scenario

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


@pytest.fixture
def server(small_scenario: Scenario) -> Iterator[LoopbackServer]:
    app = create_app(SandboxData(small_scenario), SandboxConfig(credentials=DEV_CREDENTIALS))
    with LoopbackServer(app) as running:
        yield running


async def test_connector_over_real_http(server: LoopbackServer) -> None:
    connector = connect(server.url, DEV_CREDENTIALS)
    try:
        # when the connector looks up, fetches and follows the feed over a socket
        found = await connector.find(LookupKey.NIK, ["3525146102930001"])
        records = await connector.fetch(found["3525146102930001"])
        page = await connector.changes(None, limit=500)
        health = await connector.health()
    finally:
        await connector.aclose()

    # then everything arrived signed, encrypted and decrypted
    assert set(records) == {"18000999001", "23000432101"}
    assert records["23000432101"].person.name == "NUR HAYATI"
    assert len(page.records) == 5
    assert page.has_more is False
    assert health.ok


async def test_a_slow_agency_times_out(server: LoopbackServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as admin:
        await admin.post("/_sandbox/faults", json={"latencyMs": 1000})
    connector = connect(server.url, DEV_CREDENTIALS, timeout=0.1)
    try:
        with pytest.raises(AgencyTimeout):
            await connector.fetch(["24001234567"])
    finally:
        await connector.aclose()
