"""The agencies' HTTP transport: httpx over httpcore's pool, on asyncio streams.

httpcore's pool checks every idle keep-alive connection for a close by the server each time
a request starts or a response is closed (``AsyncConnectionPool._assign_requests_to_connections``).
Its default anyio backend answers that with two system calls per connection (``getpeername``
while building anyio's socket attributes, then ``poll``), each releasing the GIL. With a pool
of 20 connections per agency that is hundreds of calls per hub request, and each one hands
the GIL to the database threads and waits to get it back: a fifth of the event loop's time in
the throughput bench (bench/README.md, "The agencies' connection pool").

Here a connection is an asyncio stream. The event loop already reads a server's close (or any
unexpected byte) into the stream as it arrives, so whether an idle connection is still usable
is a look at the stream's state, with no system call. Everything else is httpcore's pool and
httpx's transport as they are: limits, keep-alive expiry, TLS with the caller's context,
exceptions mapped to httpx's.
"""

# ruff: noqa: ASYNC109 - httpcore's network interface passes each timeout as an argument

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

# Both limits equal: httpcore closes idle connections once the pool holds more than
# ``max_keepalive_connections`` connections of any state, which would reopen (and, to the
# embassy, renegotiate TLS for) a connection per request past that size.
LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=5.0)


@contextlib.contextmanager
def _mapped(timeout: type[Exception], failure: type[Exception]) -> Iterator[None]:
    try:
        yield
    except TimeoutError as exc:
        raise timeout(str(exc) or "timed out") from exc
    except OSError as exc:  # ssl.SSLError and ConnectionError included
        raise failure(str(exc) or type(exc).__name__) from exc


class StreamConnection(httpcore.AsyncNetworkStream):
    """One TCP (or TLS) connection as an asyncio reader and writer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _mapped(httpcore.ReadTimeout, httpcore.ReadError):
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        with _mapped(httpcore.WriteTimeout, httpcore.WriteError):
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()

    async def aclose(self) -> None:
        self._writer.close()  # the loop finishes closing; nothing here waits on the peer

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of idle connections: any byte or EOF means closed
            return self._writer.is_closing() or self._reader.at_eof() or self._has_bytes()
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        return self._writer.get_extra_info(names[info]) if info in names else None

    def _has_bytes(self) -> bool:
        return bool(self._reader._buffer)  # type: ignore[attr-defined]  # asyncio's, no API


class StreamBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on the running asyncio loop (uvloop or the default)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return StreamConnection(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path)
        return StreamConnection(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class AgencyTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP/1.1 transport whose pool runs on ``StreamBackend``; ``verify`` as httpx's
    (an ``ssl.SSLContext`` for mutual TLS)."""

    def __init__(self, verify: ssl.SSLContext | bool = True, limits: httpx.Limits = LIMITS) -> None:
        super().__init__(verify=verify, limits=limits)
        context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify)
        # httpx builds its pool with httpcore's default backend and offers no way to pass one:
        # the same pool, built again with ours (tests/connectors/test_transport.py pins it).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=StreamBackend(),
        )


__all__ = ["LIMITS", "AgencyTransport", "StreamBackend", "StreamConnection"]
