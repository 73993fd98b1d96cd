"""The agencies' transport (connectors/kit/transport.py) over a real loopback server: it keeps
connections alive, notices a server's close of an idle one without a failed request, maps
timeouts and refusals to httpx's errors, and is what every connector gets by default."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpcore
import httpx
import pytest

from connectors.bpjs import connect as connect_bpjs
from connectors.kemnaker.factory import connect as connect_kemnaker
from connectors.kit.errors import AgencyUnavailable
from connectors.kit.transport import AgencyTransport, StreamBackend
from connectors.p2mi import connect as connect_p2mi

pytestmark = pytest.mark.anyio


class Server:
    """A minimal HTTP/1.1 server: answers ``ok`` to every request; ``close_idle`` closes each
    connection right after its first answer; ``stall`` never answers."""

    def __init__(self, *, close_idle: bool = False, stall: bool = False) -> None:
        self.close_idle, self.stall = close_idle, stall
        self.connections = 0
        self.requests = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                self.requests += 1
                if self.stall:
                    await asyncio.sleep(30)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
                if self.close_idle:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"


@pytest.fixture
async def server(request: pytest.FixtureRequest) -> AsyncIterator[Server]:
    made = Server(**getattr(request, "param", {}))
    made.server = await asyncio.start_server(made.handle, "127.0.0.1", 0)
    async with made.server:
        yield made


async def test_requests_reuse_one_kept_alive_connection(server: Server) -> None:
    async with httpx.AsyncClient(transport=AgencyTransport()) as client:
        for _ in range(5):
            response = await client.get(f"{server.url}/x")
            assert response.text == "ok"
    assert (server.requests, server.connections) == (5, 1)


@pytest.mark.parametrize("server", [{"close_idle": True}], indirect=True)
async def test_an_idle_connection_the_server_closed_is_replaced_not_failed(server: Server) -> None:
    async with httpx.AsyncClient(transport=AgencyTransport()) as client:
        for _ in range(3):
            assert (await client.get(f"{server.url}/x")).text == "ok"
            await asyncio.sleep(0.05)  # the close reaches the client's loop before the next call
    assert (server.requests, server.connections) == (3, 3)


@pytest.mark.parametrize("server", [{"stall": True}], indirect=True)
async def test_a_silent_server_is_a_read_timeout(server: Server) -> None:
    async with httpx.AsyncClient(transport=AgencyTransport(), timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(f"{server.url}/x")


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient(transport=AgencyTransport()) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/x")


async def test_every_connector_connects_through_the_stream_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """(The embassy's mutual TLS goes the same way: the e2e stack's sandbox serves it.)"""
    hosts: list[tuple[str, int]] = []

    async def refuse(self: StreamBackend, host: str, port: int, **_: object) -> None:
        hosts.append((host, port))
        raise httpcore.ConnectError("refused by the test")

    monkeypatch.setattr(StreamBackend, "connect_tcp", refuse)
    connectors = [
        connect_kemnaker("http://127.0.0.1:9", {"client_id": "a", "client_secret": "b"}),
        connect_p2mi("http://127.0.0.1:9", {"api_key": "k"}),
        connect_bpjs("http://127.0.0.1:9", {"cons_id": "1", "secret": "s", "user_key": "u"}),
    ]
    for number, connector in enumerate(connectors, start=1):
        with pytest.raises(AgencyUnavailable):
            await connector.changes(None)
        assert len(hosts) == number and hosts[-1] == ("127.0.0.1", 9), connector.agency
        await connector.aclose()
