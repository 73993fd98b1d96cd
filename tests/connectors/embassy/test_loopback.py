"""Peduli WNI over real HTTPS on loopback: mutual TLS decides who gets in."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from connectors.embassy import EmbassyConnector, connect
from connectors.embassy.dialect import PATH
from connectors.embassy.sandbox import create_app, server_ssl
from connectors.kit.auth.mtls import CertPaths, client_ssl_context, generate_certificates
from connectors.kit.errors import AgencyTimeout, AgencyUnavailable
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from connectors.sandbox.serve import LoopbackServer
from schema.scenario import Scenario

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

SITI = "HKG-WNI-2024-000987"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embassy-certs")


@pytest.fixture(scope="module")
def server(small_scenario: Scenario, certs: Path) -> Iterator[LoopbackServer]:
    config = SandboxConfig(certs_dir=certs)
    app = create_app(SandboxData(small_scenario), config)
    with LoopbackServer(app, ssl=server_ssl(config)) as running:
        yield running


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> CertPaths:
    """A complete certificate set from another CA."""
    return generate_certificates(tmp_path_factory.mktemp("stranger-certs"))


def credentials(ca: Path, client: CertPaths) -> dict[str, str]:
    return {
        "ca_cert": str(ca),
        "client_cert": str(client.client_cert),
        "client_key": str(client.client_key),
    }


async def test_the_connector_works_with_our_client_certificate(
    server: LoopbackServer, certs: Path
) -> None:
    paths = CertPaths(certs)
    connector = connect(server.url, credentials(paths.ca_cert, paths))
    try:
        found = await connector.fetch([SITI])
        health = await connector.health()
    finally:
        await connector.aclose()
    assert found[SITI].person.name == "SITI AMINAH BT SAHRONI"
    assert health.ok


async def test_a_caller_without_a_client_certificate_is_refused(
    server: LoopbackServer, certs: Path
) -> None:
    # given a client that trusts the server but presents no certificate
    context = ssl.create_default_context(cafile=str(CertPaths(certs).ca_cert))
    async with httpx.AsyncClient(base_url=server.url, verify=context) as http:
        # then the TLS layer refuses it before any HTTP is spoken
        with pytest.raises(httpx.TransportError):
            await http.get(PATH, params={"wsdl": ""})
    connector = EmbassyConnector(httpx.AsyncClient(base_url=server.url, verify=context))
    with pytest.raises(AgencyUnavailable):
        await connector.fetch([SITI])
    await connector.aclose()


async def test_a_client_certificate_from_another_ca_is_refused(
    server: LoopbackServer, certs: Path, stranger: CertPaths
) -> None:
    connector = connect(server.url, credentials(CertPaths(certs).ca_cert, stranger))
    with pytest.raises(AgencyUnavailable):
        await connector.fetch([SITI])
    health = await connector.health()
    await connector.aclose()
    assert (health.ok, health.message) == (False, "SOURCE_UNAVAILABLE")


async def test_a_server_we_do_not_trust_is_refused(
    server: LoopbackServer, certs: Path, stranger: CertPaths
) -> None:
    connector = connect(server.url, credentials(stranger.ca_cert, CertPaths(certs)))
    with pytest.raises(AgencyUnavailable, match="server certificate is not trusted"):
        await connector.fetch([SITI])
    await connector.aclose()


async def test_a_slow_answer_times_out(server: LoopbackServer, certs: Path) -> None:
    paths = CertPaths(certs)
    verify = client_ssl_context(paths.ca_cert, paths.client_cert, paths.client_key)
    async with httpx.AsyncClient(base_url=server.url, verify=verify) as admin:
        await admin.post("/_sandbox/faults", json={"latencyMs": 500})
        connector = connect(server.url, credentials(paths.ca_cert, paths), timeout=0.1)
        try:
            with pytest.raises(AgencyTimeout):
                await connector.fetch([SITI])
        finally:
            await connector.aclose()
            await admin.post("/_sandbox/faults", json={"latencyMs": 0})
