"""Agency answers are bounded: an endless body, a declared huge one and a gzip bomb stop at the
limit with a typed source error; LZ-string output is bounded too. Real HTTP on loopback."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from connectors.bpjs.crypto import DecryptionError, decrypt_text, encrypt_text
from connectors.bpjs.lzstring import (
    LZStringError,
    compress_to_encoded_uri_component,
    decompress_from_encoded_uri_component,
)
from connectors.kit.errors import BadResponse, ResponseTooLarge
from connectors.kit.http import agency_errors
from connectors.kit.limits import DEFAULT_MAX_BYTES, max_response_bytes, response_limits
from connectors.p2mi import connect as connect_p2mi
from connectors.sandbox.serve import LoopbackServer

LIMIT = 64 * 1024
BOMB = gzip.compress(b"\0" * (32 * 2**20))  # 32 MiB of zeros in 32 KiB: under the limit


async def endless(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        while True:
            yield b"[" * 16384
            await asyncio.sleep(0)

    return StreamingResponse(chunks(), media_type="application/json")


def routes() -> Starlette:
    small = gzip.compress(b'{"ok": true}')
    return Starlette(
        routes=[
            Route("/endless", endless),
            Route(
                "/declared",
                lambda r: Response(b"x" * (LIMIT + 1), media_type="application/json"),
            ),
            Route("/bomb", lambda r: Response(BOMB, headers={"content-encoding": "gzip"})),
            Route("/small", lambda r: Response(small, headers={"content-encoding": "gzip"})),
            Route("/brotli", lambda r: Response(b"xx", headers={"content-encoding": "br"})),
            Route("/{rest:path}", endless, methods=["GET", "POST"]),  # whatever a connector asks
        ]
    )


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(routes()) as running:
        yield running


async def get(server: LoopbackServer, path: str) -> httpx.Response:
    limits = response_limits({"max_response_bytes": str(LIMIT)})
    async with httpx.AsyncClient(base_url=server.url, event_hooks=limits) as http:
        with agency_errors("TEST"):
            return await http.get(path)


@pytest.mark.parametrize("path", ["/endless", "/declared", "/bomb"])
def test_an_oversized_answer_stops_at_the_limit_with_a_typed_error(
    server: LoopbackServer, path: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge) as raised:
            asyncio.run(get(server, path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raised.value.code == "SOURCE_BAD_RESPONSE" and raised.value.agency == "TEST"
    assert peak < 8 * 2**20  # the bomb's 32 MiB were never held


def test_a_small_compressed_answer_is_decoded(server: LoopbackServer) -> None:
    assert asyncio.run(get(server, "/small")).json() == {"ok": True}


def test_an_encoding_without_a_bound_is_refused(server: LoopbackServer) -> None:
    with pytest.raises(BadResponse):
        asyncio.run(get(server, "/brotli"))


def test_a_connector_built_by_the_hub_carries_the_limit(server: LoopbackServer) -> None:
    connector = connect_p2mi(server.url, {"api_key": "k", "max_response_bytes": str(LIMIT)})

    async def fetch() -> None:
        try:
            await connector.fetch(["PMI-3506-2024-0001234"])
        finally:
            await connector.aclose()

    with pytest.raises(ResponseTooLarge):
        asyncio.run(fetch())


def test_the_limit_setting() -> None:
    assert max_response_bytes({}) == DEFAULT_MAX_BYTES
    assert max_response_bytes({"max_response_bytes": "2048"}) == 2048
    for bad in ("lots", "-1", "10"):
        with pytest.raises(ValueError, match="MAX_RESPONSE_BYTES"):
            max_response_bytes({"max_response_bytes": bad})


def test_lz_string_output_is_bounded() -> None:
    text = "a" * 200_000  # LZW turns a run into codes whose output grows quadratically
    packed = compress_to_encoded_uri_component(text)
    assert decompress_from_encoded_uri_component(packed) == text
    with pytest.raises(LZStringError, match="code units"):
        decompress_from_encoded_uri_component(packed, max_units=100_000)
    sealed = encrypt_text(text, "1", "s", "t")
    assert decrypt_text(sealed, "1", "s", "t") == text
    assert len(packed) < 2000  # a tiny answer asks for a large output


def test_a_bpjs_answer_past_the_bound_is_a_decryption_error() -> None:
    sealed = encrypt_text("b" * 5000, "1", "s", "t")
    with pytest.raises(DecryptionError):
        decrypt_text(sealed, "1", "s", "t", max_units=1000)
