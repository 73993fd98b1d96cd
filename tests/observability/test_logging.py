"""Structured logs: JSON lines with the request id, and no NIK, phone number or token."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.observability.logging import (
    RequestIdMiddleware,
    configure_logging,
    redact,
    request_id,
)
from hub.settings import SettingsError

NIK = "3506124508900003"


@pytest.mark.parametrize(
    "text",
    [
        f"lookup for nik {NIK} failed",
        "call +6281234567890 now",
        "call +62 812-3456-7890 now",
        "call 081234567890 now",
        "call 6281234567890 now",
        "employer +85291234567",
        "office 021-555-0101",
        "Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig-nature_x",
        "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
        "header bearer abc123def456==",
    ],
)
def test_personal_data_and_tokens_are_redacted(text: str) -> None:
    clean = redact(text)
    assert "[REDACTED" in clean
    for secret in (NIK, "81234567890", "8123456", "91234567", "555-0101", "eyJ", "abc123"):
        assert secret not in clean, clean


@pytest.mark.parametrize(
    "text",
    [
        "P2MI fetch failed (SOURCE_TIMEOUT) after 1234.5 ms",
        "worker wk_0123456789abcdef0123 has 3 placements",
        "PMI-3506-2024-0001234 on 2026-11-24T08:30:00+07:00",
        "KPJ 24001234567 batch of 100",
        "licence KEP.045/2021",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = configure_logging({"HUB_LOG_LEVEL": "DEBUG"}, stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_the_request_id_and_no_personal_data(captured: io.StringIO) -> None:
    log = logging.getLogger("pmihub.test")
    token = request_id.set("req-42")
    try:
        log.warning("no record for %s at %s", NIK, "+6281234567890", extra={"agency": "P2MI"})
    finally:
        request_id.reset(token)
    try:
        raise ValueError(f"bad nik {NIK}")
    except ValueError:
        log.exception("lookup crashed")
    first, second = lines(captured)
    assert first["level"] == "WARNING" and first["logger"] == "pmihub.test"
    assert first["request_id"] == "req-42" and first["agency"] == "P2MI"
    assert first["msg"] == "no record for [REDACTED-NIK] at [REDACTED-PHONE]"
    assert "request_id" not in second
    assert "ValueError" in str(second["exc"]) and NIK not in captured.getvalue()


def test_configuring_twice_keeps_one_handler() -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    first = configure_logging({}, io.StringIO())
    second = configure_logging({"HUB_LOG_FORMAT": "text"}, io.StringIO())
    try:
        assert len(root.handlers) == before + 1 and first not in root.handlers
    finally:
        root.removeHandler(second)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(SettingsError, match="HUB_LOG_FORMAT"):
        configure_logging({"HUB_LOG_FORMAT": "xml"})
    with pytest.raises(SettingsError, match="HUB_LOG_LEVEL"):
        configure_logging({"HUB_LOG_LEVEL": "LOUD"})


def test_text_format_is_redacted_too() -> None:
    stream = io.StringIO()
    handler = configure_logging({"HUB_LOG_FORMAT": "text"}, stream)
    try:
        logging.getLogger("pmihub.test").warning("nik %s", NIK)
    finally:
        logging.getLogger().removeHandler(handler)
    assert "[REDACTED-NIK]" in stream.getvalue() and NIK not in stream.getvalue()


@pytest.mark.anyio
async def test_middleware_sets_echoes_and_logs_the_request_id(captured: io.StringIO) -> None:
    async def echo(request: Request) -> JSONResponse:
        logging.getLogger("pmihub.test").info("inside")
        return JSONResponse({"rid": request_id.get()})

    app = RequestIdMiddleware(Starlette(routes=[Route("/graphql", echo)]))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub.test"
    ) as client:
        given = await client.get("/graphql", headers={"X-Request-Id": "abc-123"})
        made = await client.get("/graphql")
        forged = await client.get("/graphql", headers={"X-Request-Id": 'x"\n{evil}'})
    # the hub's own id, always: a caller cannot choose the id the audit trail records
    for response in (given, made, forged):
        rid = response.headers["x-request-id"]
        assert len(rid) == 32 == len(response.json()["rid"]) and rid == response.json()["rid"]
    assert given.headers["x-request-id"] != "abc-123"
    assert request_id.get() is None
    # the caller's id stays in the log lines, beside the hub's, for correlation
    entries = [e for e in lines(captured) if e.get("client_request_id") == "abc-123"]
    assert [e["logger"] for e in entries] == ["pmihub.test", "pmihub.access"]
    assert {e["request_id"] for e in entries} == {given.headers["x-request-id"]}
    assert entries[1]["msg"].startswith("GET /graphql 200 ")  # type: ignore[union-attr]
    assert not any(e.get("client_request_id", "").startswith("x") for e in lines(captured))
