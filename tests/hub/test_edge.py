"""The HTTP edge in-process: the body cap while a body streams, JSON to a typed request or a
typed 400, the security headers, and the last resort's typed 500 without the trace."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from hub.edge import BodyLimit, EdgeError, LastResort, SecurityHeaders, parse_graphql_body

pytestmark = pytest.mark.anyio
NIK = "3506124508900003"


async def read_all(request: Request) -> JSONResponse:
    return JSONResponse({"read": len(await request.body())})


async def swallow(request: Request) -> PlainTextResponse:
    try:
        await request.body()
    except Exception:  # an app that hides the failure still cannot answer past the cap
        return PlainTextResponse("fine", status_code=200)
    return PlainTextResponse("fine")


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test")


class Chunks:
    """A streamed body whose chunks are counted as the server pulls them."""

    def __init__(self, count: int, size: int = 1024) -> None:
        self.count, self.size, self.pulled = count, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield b"x" * self.size


@pytest.mark.parametrize("declared", [None, "10", "0"])
@pytest.mark.parametrize("route", [read_all, swallow])
async def test_a_body_past_the_cap_is_refused_while_it_streams(
    declared: str | None, route: Any
) -> None:
    app = BodyLimit(Starlette(routes=[Route("/graphql", route, methods=["POST"])]), 10_240)
    body = Chunks(count=200)  # 200 KiB, with no, a lying or a zero Content-Length
    headers = {"Content-Length": declared} if declared else {}
    async with client(app) as http:
        response = await http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        **response.json()["errors"][0]["extensions"],
        "code": "PAYLOAD_TOO_LARGE",
        "limit": 10_240,
    }
    assert body.pulled <= 12  # stopped at the cap, not read to the end


async def test_a_declared_length_past_the_cap_is_refused_before_reading() -> None:
    app = BodyLimit(Starlette(routes=[Route("/graphql", read_all, methods=["POST"])]), 10_240)
    body = Chunks(count=200)
    async with client(app) as http:
        response = await http.post(
            "/graphql", content=body, headers={"Content-Length": str(200 * 1024)}
        )
    assert response.status_code == 413 and body.pulled <= 1
    assert response.headers["connection"] == "close"


async def test_a_body_within_the_cap_passes_whole() -> None:
    app = BodyLimit(Starlette(routes=[Route("/graphql", read_all, methods=["POST"])]), 10_240)
    async with client(app) as http:
        response = await http.post("/graphql", content=Chunks(count=10))
    assert response.status_code == 200 and response.json() == {"read": 10_240}


@pytest.mark.parametrize(
    ("content_type", "body", "field"),
    [
        ("application/json", b"[" * 100_000 + b"]" * 100_000, None),
        ("application/json", b'{"query": ' + b"[" * 5000 + b"]" * 5000 + b"}", None),
        ("application/json", b"\xff\xfe{}", None),
        ("application/json", b'{"query": "{ me { clientId } }\xc3\x28"}', None),
        ("application/json", b'"{ me { clientId } }"', None),
        ("application/json", b"42", None),
        ("application/json", b"null", None),
        ("application/json", b"true", None),
        ("application/json", b'[{"query": "{ __typename }"}]', None),
        ("application/json", b"{}", "query"),
        ("application/json", b'{"query": ""}', "query"),
        ("application/json", b'{"query": 1}', "query"),
        ("application/json", b'{"query": {"a": 1}}', "query"),
        ("application/json", b'{"query": "{ a }", "variables": []}', "variables"),
        ("application/json", b'{"query": "{ a }", "variables": "x"}', "variables"),
        ("application/json", b'{"query": "{ a }", "operationName": 3}', "operationName"),
        ("application/json", b'{"query": "{ a }", "extensions": 1}', "extensions"),
        ("application/json", b'{"query": "{ a }", "variables": {"n": NaN}}', None),
        ("application/json", b'{"query": "{ a }", "variables": {"n": ' + b"9" * 5000 + b"}}", None),
        ("application/x-www-form-urlencoded", b"query=%7B__typename%7D", None),
        ("text/plain", b'{"query": "{ __typename }"}', None),
        ("", b'{"query": "{ __typename }"}', None),
    ],
)
def test_malformed_bodies_are_a_typed_400(
    content_type: str, body: bytes, field: str | None
) -> None:
    with pytest.raises(EdgeError) as refused:
        parse_graphql_body(content_type, body)
    error = refused.value
    assert (error.status, error.code) == (400, "BAD_REQUEST")
    assert error.extensions.get("field") == field
    body_json = error.response().body
    assert b" / " in body_json and b"Traceback" not in body_json


def test_a_well_formed_body_becomes_a_request() -> None:
    request = parse_graphql_body(
        "application/json; charset=utf-8",
        b'{"query": "query Q { me { clientId } }", "variables": null, "operationName": "Q"}',
    )
    assert (request.query, request.variables, request.operation_name) == (
        "query Q { me { clientId } }",
        None,
        "Q",
    )


async def test_the_last_resort_answers_typed_json_and_logs_no_values() -> None:
    async def broken(request: Request) -> JSONResponse:
        raise ValueError("lookup failed for " + request.query_params["who"])

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("pmihub.edge").addHandler(handler)
    try:
        app = Starlette(routes=[Route("/graphql", broken)], middleware=[Middleware(LastResort)])
        async with client(app) as http:
            response = await http.get("/graphql", params={"who": f"{NIK} Siti Aminah"})
    finally:
        logging.getLogger("pmihub.edge").removeHandler(handler)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert NIK not in response.text and "Traceback" not in response.text
    logged = stream.getvalue()
    assert "unhandled ValueError on GET /graphql" in logged and "broken" in logged
    assert NIK not in logged and "Siti" not in logged


@pytest.mark.parametrize(
    ("scheme", "path", "hsts", "no_store"),
    [
        ("http", "/graphql", False, True),
        ("https", "/graphql", True, True),
        ("https", "/console/app.js", True, False),
    ],
)
async def test_security_headers(scheme: str, path: str, hsts: bool, no_store: bool) -> None:
    async def plain(request: Request) -> PlainTextResponse:
        return PlainTextResponse("x")

    app = SecurityHeaders(Starlette(routes=[Route(path, plain)]))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"{scheme}://hub.test"
    ) as http:
        response = await http.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert ("strict-transport-security" in response.headers) is hsts
    assert (response.headers.get("cache-control") == "no-store") is no_store
