"""Delivery egress: each attempt checks the resolved address, connects to that address (not
to a second lookup), and reads only the start of the receiver's answer."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.kit.auth.mtls import generate_certificates
from connectors.sandbox.serve import LoopbackServer
from hub.cases import CaseService, WebhookStore
from hub.cases.delivery import MAX_ANSWER, Deliverer
from hub.cases.settings import CaseSettings
from hub.cases.tables import DeliveryRow
from tests.cases.test_service import P2MI, open_one

KEY = "egress-test-key-secret-0123"  # seals the webhook secrets (hub/cases/webhook_secrets.py)
NAME = "hooks.pmihub-test.invalid"  # no DNS knows it: only the resolver below does
CHUNK = 64 * 1024
CHUNKS = 20_000  # 1.3 GB if anyone read it all


class HugeReceiver:
    """A raw HTTP/1.1 receiver on loopback: reads a POST, then answers 200 with a body of
    ``CHUNKS`` x 64 KiB, counting the bytes the socket took before the hub hung up."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        self.sent = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> HugeReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the accept()
        self._socket.close()
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self._socket.accept()
                with connection:
                    self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(65536)
        head, _, body = request.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        self.hosts.append(headers.get("host") or headers.get("Host", ""))
        length = int(headers.get("content-length") or headers.get("Content-Length") or 0)
        while len(body) < length:
            body += connection.recv(65536)
        total = CHUNK * CHUNKS
        connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
        with contextlib.suppress(OSError):
            for _ in range(CHUNKS):
                connection.sendall(b"x" * CHUNK)
                self.sent += CHUNK


def resolver(host: str, port: int) -> list[str]:
    """A DNS answer for the test name: loopback (where the receiver listens)."""
    if host == NAME:
        return ["127.0.0.1"]
    raise OSError("unknown name")


def deliveries(engine: Engine) -> list[DeliveryRow]:
    with Session(engine) as session:
        return list(session.exec(select(DeliveryRow)).all())


@pytest.mark.anyio
async def test_delivery_connects_to_the_checked_address_and_reads_little(engine: Engine) -> None:
    # given a webhook at a name only the hub's resolver knows, whose receiver answers hugely
    settings = CaseSettings(key_secret=KEY, allow_http=True, allow_loopback=True, timeout=5)
    with HugeReceiver() as receiver:
        url = f"http://{NAME}:{receiver.port}/hook"
        store = WebhookStore(
            engine, key_secret=KEY, allow_http=True, allow_loopback=True, resolve=resolver
        )
        store.add(P2MI, url, None)
        open_one(CaseService(engine))
        deliverer = Deliverer(engine, settings, resolve=resolver)
        try:
            # when the outbox is delivered
            assert await deliverer.run_once() == 1
        finally:
            await deliverer.aclose()
    # then the POST reached the pinned address, named the host, and most of the answer was
    # never read (the connection was closed after MAX_ANSWER bytes)
    assert receiver.hosts == [f"{NAME}:{receiver.port}"]
    [row] = deliveries(engine)
    assert row.delivered_at is not None and row.last_error is None
    assert MAX_ANSWER < receiver.sent < CHUNK * CHUNKS // 10


@pytest.mark.anyio
async def test_a_name_resolving_to_loopback_is_not_delivered_without_the_allowance(
    engine: Engine,
) -> None:
    # given a webhook registered while the name looked fine (it did not resolve yet)
    with HugeReceiver() as receiver:
        url = f"http://{NAME}:{receiver.port}/hook"
        WebhookStore(engine, key_secret=KEY, allow_http=True, resolve=None).add(P2MI, url, None)
        open_one(CaseService(engine))
        # when the name now resolves to loopback (DNS changed) and delivery runs
        deliverer = Deliverer(
            engine, CaseSettings(key_secret=KEY, allow_http=True), resolve=resolver
        )
        try:
            await deliverer.run_once()
        finally:
            await deliverer.aclose()
    # then nothing was sent
    assert receiver.hosts == []
    [row] = deliveries(engine)
    assert row.delivered_at is None and row.last_error == "EGRESS_REFUSED"


def tls_receiver(directory: Path, hostname: str) -> tuple[LoopbackServer, ssl.SSLContext]:
    """An https receiver on loopback whose certificate names only ``hostname``, and a client
    context that trusts its CA."""
    paths = generate_certificates(directory, hostnames=(hostname,))

    async def hook(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    ssl_options = {"ssl_certfile": str(paths.server_cert), "ssl_keyfile": str(paths.server_key)}
    context = ssl.create_default_context(cafile=str(paths.ca_cert))
    return LoopbackServer(app, ssl=ssl_options), context


@pytest.mark.anyio
@pytest.mark.parametrize(("certificate_for", "delivered"), [(NAME, True), ("other.invalid", False)])
async def test_tls_is_verified_for_the_host_name_while_connecting_to_the_pinned_address(
    engine: Engine, tmp_path: Path, certificate_for: str, delivered: bool
) -> None:
    # given an https receiver on 127.0.0.1 with a certificate for a name (not for the address)
    server, context = tls_receiver(tmp_path, certificate_for)
    settings = CaseSettings(key_secret=KEY, allow_loopback=True, timeout=5)
    with server:
        url = f"https://{NAME}:{server.port}/hook"
        WebhookStore(engine, key_secret=KEY, allow_loopback=True, resolve=resolver).add(
            P2MI, url, None
        )
        open_one(CaseService(engine))
        transport = httpx.AsyncHTTPTransport(verify=context)
        deliverer = Deliverer(engine, settings, transport=transport, resolve=resolver)
        try:
            await deliverer.run_once()
        finally:
            await deliverer.aclose()
    # then the certificate was checked against the name: it passes for NAME, fails for another
    [row] = deliveries(engine)
    assert (row.delivered_at is not None) is delivered
    if not delivered:
        assert row.last_error == "ConnectError"
