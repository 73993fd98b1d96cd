"""BpjsConnector error translation: every failure leaves as a typed ConnectorError."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from connectors.bpjs import BpjsConnector, BpjsCredentials, connect
from connectors.bpjs.crypto import encrypt_text
from connectors.bpjs.sandbox import DEV_CREDENTIALS
from connectors.kit.base import LookupKey
from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyUnavailable,
    BadResponse,
)
from connectors.sandbox.serve import free_port

pytestmark = pytest.mark.anyio


async def set_faults(connector: BpjsConnector, **faults: Any) -> None:
    response = await connector.http.post("/_sandbox/faults", json=faults)
    assert response.status_code == 200, response.text


# -- error translation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "creds",
    [
        {"secret": "wrong"},
        {"user_key": "wrong"},
        {"cons_id": "99999"},
    ],
)
async def test_wrong_credentials_are_rejected(
    make_connector: Callable[..., BpjsConnector], creds: dict[str, str]
) -> None:
    connector = make_connector(**creds)
    try:
        with pytest.raises(AgencyRejected):
            await connector.fetch(["24001234567"])
    finally:
        await connector.aclose()


async def test_a_skewed_clock_is_rejected(
    make_connector: Callable[..., BpjsConnector], clock: Any
) -> None:
    connector = make_connector(clock=lambda: clock() - 3600)
    try:
        with pytest.raises(AgencyRejected):
            await connector.changes(None)
    finally:
        await connector.aclose()


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"garbage": True}, BadResponse),
        ({"down": True}, AgencyUnavailable),
        ({"errorRate": 1.0}, AgencyUnavailable),
    ],
)
async def test_faults_become_typed_errors(
    connector: BpjsConnector, faults: dict[str, Any], error: type[Exception]
) -> None:
    await set_faults(connector, **faults)
    for call in (
        connector.fetch(["24001234567"]),
        connector.find(LookupKey.NIK, ["3506124508900003"]),
        connector.changes(None),
    ):
        with pytest.raises(error):
            await call


async def test_rate_limit_carries_retry_after(connector: BpjsConnector) -> None:
    await set_faults(connector, rateLimitPerSecond=0.5, rateLimitBurst=1)
    await connector.fetch(["24001234567"])
    with pytest.raises(AgencyRateLimited) as caught:
        await connector.fetch(["24001234567"])
    assert caught.value.retry_after is not None
    assert caught.value.retry_after >= 1


async def test_unreachable_agency() -> None:
    connector = connect(f"http://127.0.0.1:{free_port()}", DEV_CREDENTIALS, timeout=2)
    try:
        with pytest.raises(AgencyUnavailable):
            await connector.fetch(["24001234567"])
        health = await connector.health()
        assert health.ok is False
        assert health.message == "SOURCE_UNAVAILABLE"
    finally:
        await connector.aclose()


async def test_health_reports_latency_and_failure(connector: BpjsConnector) -> None:
    healthy = await connector.health()
    assert healthy.ok is True
    assert healthy.latency_ms is not None
    assert healthy.latency_ms >= 0
    await set_faults(connector, down=True)
    down = await connector.health()
    assert (down.ok, down.message) == (False, "SOURCE_UNAVAILABLE")


# -- answers that cannot be trusted (a fake agency) -------------------------------------------


def fake_agency(
    respond: Callable[[httpx.Request, str], httpx.Response],
    clock: Callable[[], float] = time.time,
) -> BpjsConnector:
    """A connector whose agency answers through ``respond(request, timestamp)``."""

    def handler(request: httpx.Request) -> httpx.Response:
        return respond(request, request.headers["X-timestamp"])

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://bpjs.test")
    return BpjsConnector(http, BpjsCredentials.from_mapping(DEV_CREDENTIALS), clock=clock)


def envelope(response: str | None, code: str = "200", status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, json={"metaData": {"code": code, "message": "OK"}, "response": response}
    )


def encrypted(document: Any, timestamp: str) -> str:
    text = document if isinstance(document, str) else orjson.dumps(document).decode()
    creds = DEV_CREDENTIALS
    return encrypt_text(text, creds["cons_id"], creds["secret"], timestamp)


@pytest.mark.parametrize(
    "respond",
    [
        pytest.param(
            lambda r, t: envelope(encrypted({"list": []}, str(int(t) + 1))), id="other-ts"
        ),
        pytest.param(lambda r, t: envelope("bm90IGNpcGhlcnRleHQ="), id="not-ciphertext"),
        pytest.param(lambda r, t: envelope("%%%"), id="not-base64"),
        pytest.param(lambda r, t: envelope(encrypted("{not json", t)), id="not-json"),
        pytest.param(lambda r, t: envelope(encrypted({"lists": []}, t)), id="wrong-schema"),
        pytest.param(
            lambda r, t: envelope(encrypted({"list": [{"noKpj": "123", "nama": "X"}]}, t)),
            id="malformed-kpj",
        ),
        pytest.param(
            lambda r, t: envelope(
                encrypted(
                    {"list": [{"noKpj": "24001234567", "nama": "X", "tglLahir": "05-08-1990"}]}, t
                )
            ),
            id="wrong-date-format",
        ),
        pytest.param(lambda r, t: envelope(None), id="ok-without-response"),
        pytest.param(lambda r, t: envelope(None, code="299"), id="unknown-code"),
        pytest.param(lambda r, t: envelope(None, code="201", status=200), id="not-found-on-feed"),
        pytest.param(lambda r, t: httpx.Response(404, text="<html>"), id="404-not-envelope"),
        pytest.param(lambda r, t: envelope(None, code="404", status=404), id="unknown-path"),
        pytest.param(lambda r, t: httpx.Response(200, json=[1, 2]), id="not-an-envelope"),
        pytest.param(lambda r, t: envelope(None, code="202", status=400), id="refused-400"),
    ],
)
async def test_untrustworthy_answers_are_bad_responses(
    respond: Callable[[httpx.Request, str], httpx.Response],
) -> None:
    connector = fake_agency(respond)
    try:
        with pytest.raises(BadResponse):
            await connector.changes(None)
    finally:
        await connector.aclose()


async def test_decrypts_with_the_timestamp_each_call_was_signed_with() -> None:
    # given an agency that encrypts for each request's own timestamp, and a moving clock
    stamps: list[str] = []
    ticks = iter(range(1_795_500_000, 1_795_500_100, 7))

    def respond(request: httpx.Request, timestamp: str) -> httpx.Response:
        stamps.append(timestamp)
        return envelope(
            encrypted({"list": [], "kursor": f"k{len(stamps)}", "lanjut": True}, timestamp)
        )

    connector = fake_agency(respond, clock=lambda: float(next(ticks)))
    try:
        # when the feed is read twice
        first = await connector.changes(None)
        second = await connector.changes(first.cursor)
    finally:
        await connector.aclose()

    # then each call was signed afresh and each answer read with its own timestamp
    assert stamps == ["1795500000", "1795500007"]
    assert (first.cursor, second.cursor) == ("k1", "k2")


async def test_a_not_found_answer_is_an_empty_batch() -> None:
    connector = fake_agency(lambda r, t: envelope(None, code="201", status=404))
    try:
        assert await connector.fetch(["24001234567"]) == {}
        assert await connector.find(LookupKey.NIK, ["3506124508900003"]) == {}
    finally:
        await connector.aclose()
