"""connectors.kit.auth.hmac: the four signature headers, a fresh timestamp per request."""

from __future__ import annotations

import httpx
import pytest

from connectors.kit.auth.hmac import (
    ConsumerSignatureAuth,
    request_timestamp,
    signature,
    signature_valid,
)

# openssl dgst -sha256 -hmac s3cr3t -binary <<< "12345&1795500000" (no newline) | base64
KNOWN_SIGNATURE = "xNXifh9RKBLZ/qchYjrx5IrLkXGipUWZdCjg30T75Dw="


def test_signature_known_vector() -> None:
    assert signature("12345", "s3cr3t", "1795500000") == KNOWN_SIGNATURE


@pytest.mark.parametrize(
    "given",
    [KNOWN_SIGNATURE[:-2] + "x=", "", "ünïcödé", KNOWN_SIGNATURE + " "],
)
def test_signature_check_refuses_anything_else(given: str) -> None:
    assert signature_valid("12345", "s3cr3t", "1795500000", KNOWN_SIGNATURE)
    assert not signature_valid("12345", "s3cr3t", "1795500000", given)


class Ticking:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.7
        return self.now


@pytest.mark.anyio
async def test_each_request_is_signed_with_a_fresh_timestamp() -> None:
    # given an auth with a clock that moves between requests
    seen: list[httpx.Request] = []

    def agency(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    auth = ConsumerSignatureAuth("12345", "s3cr3t", "uk-1", clock=Ticking(1_795_500_000))
    async with httpx.AsyncClient(transport=httpx.MockTransport(agency), auth=auth) as client:
        # when two requests are sent
        first = await client.get("https://bpjs.test/a")
        second = await client.get("https://bpjs.test/b")

    # then each carries the four headers, signed for its own whole-second timestamp
    stamps = [request_timestamp(r.request) for r in (first, second)]
    assert stamps == ["1795500001", "1795500003"]
    for request, stamp in zip(seen, stamps, strict=True):
        assert request.headers["X-cons-id"] == "12345"
        assert request.headers["X-timestamp"] == stamp
        assert request.headers["X-signature"] == signature("12345", "s3cr3t", stamp)
        assert request.headers["user_key"] == "uk-1"


def test_repr_hides_the_secrets() -> None:
    auth = ConsumerSignatureAuth("12345", "s3cr3t", "uk-1")
    assert "s3cr3t" not in repr(auth)
    assert "uk-1" not in repr(auth)


def test_request_timestamp_of_an_unsigned_request_is_none() -> None:
    assert request_timestamp(httpx.Request("GET", "https://bpjs.test/")) is None
