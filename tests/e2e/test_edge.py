"""The HTTP edge over real sockets: the body cap (declared, chunked), malformed JSON of every
shape, malformed operations, security headers, the hub's own request id in the audit trail,
a cost refusal audited, and a token store failure as a typed 503."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.audit.tables import AuditEntryRow
from hub.settings import Settings
from hub.storage import make_engine
from tests.e2e.queries import BY_NIK
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
SITI = "3506124508900003"


def headers(stack: Stack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"}


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code and " / " in error["message"]
    assert "Traceback" not in response.text
    return error  # type: ignore[no-any-return]


@pytest.fixture
def small_cap(stack: Stack) -> Iterator[str]:
    env = {**stack.environ, "HUB_MAX_BODY_BYTES": "2000"}
    with LoopbackServer(create_app(Settings.from_environ(env))) as hub:
        yield hub.url


def test_a_declared_body_over_the_cap_is_refused_before_it_is_sent(stack: Stack) -> None:
    host, port = stack.hub_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {stack.token()}\r\n".encode()
            + b"Content-Length: 52428800\r\n\r\n"
        )  # 50 MB announced, not a byte of it sent: the answer cannot wait for it
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    error = json.loads(body)["errors"][0]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["extensions"]["limit"] == 1_048_576


def test_a_json_body_over_the_default_cap_is_refused(stack: Stack) -> None:
    padding = "x" * 1_100_000
    response = httpx.post(
        f"{stack.hub_url}/graphql",
        json={"query": "{ me { clientId } }", "variables": {"pad": padding}},
        headers=headers(stack),
        timeout=30,
    )
    refused(response, 413, "PAYLOAD_TOO_LARGE")


def test_a_chunked_body_without_a_length_is_cut_at_the_cap(stack: Stack, small_cap: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ me { clientId } }", "variables": {"pad": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}}'

    response = httpx.post(
        f"{small_cap}/graphql",
        content=chunks(),
        headers={**headers(stack), "Content-Type": "application/json"},
        timeout=30,
    )
    assert "content-length" not in response.request.headers  # sent chunked
    refused(response, 413, "PAYLOAD_TOO_LARGE")
    small = httpx.post(
        f"{small_cap}/graphql", json={"query": "{ me { clientId } }"}, headers=headers(stack)
    )
    assert small.json()["data"]["me"]["clientId"] == "embassy-system"


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"{" * 50_000,
        b'{"query": {"a": ' * 2000 + b"1" + b"}" * 4000,
        b'"{ me { clientId } }"',
        b"42",
        b"null",
        b"\xff\xfe\x00{",
        b'{"query": "{ me { clientId } }\xed\xa0\x80"}',
        b'{"query": ["{ me { clientId } }"]}',
        b'{"query": "{ me { clientId } }", "variables": [1, 2]}',
        b'{"query": "{ me { clientId } }", "operationName": {"x": 1}}',
        b'[{"query": "{ me { clientId } }"}, {"query": "{ me { clientId } }"}]',
    ],
)
def test_malformed_json_of_any_shape_is_a_typed_400(stack: Stack, content: bytes) -> None:
    response = httpx.post(
        f"{stack.hub_url}/graphql",
        content=content,
        headers={**headers(stack), "Content-Type": "application/json"},
        timeout=30,
    )
    refused(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "payload",
    [
        {"query": "query A { me { clientId } }", "operationName": "Nope"},
        {"query": "   "},
    ],
)
def test_a_malformed_operation_is_a_typed_400(stack: Stack, payload: dict[str, Any]) -> None:
    response = httpx.post(
        f"{stack.hub_url}/graphql", json=payload, headers=headers(stack), timeout=10
    )
    refused(response, 400, "BAD_REQUEST")


def test_graphql_answers_carry_the_security_headers(stack: Stack) -> None:
    plain = stack.graphql("{ me { clientId } }")
    assert plain.headers["cache-control"] == "no-store"
    assert plain.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in plain.headers  # plain HTTP: no HSTS
    # behind the trusted proxy (uvicorn trusts X-Forwarded-Proto from 127.0.0.1)
    tls = stack.graphql("{ me { clientId } }", headers={"X-Forwarded-Proto": "https"})
    assert tls.headers["strict-transport-security"].startswith("max-age=")
    assert tls.headers["cache-control"] == "no-store"
    refusal = httpx.post(f"{stack.hub_url}/graphql", content=b"[]", headers=headers(stack))
    assert refusal.headers["x-content-type-options"] == "nosniff"


def audit_rows(stack: Stack, **where: Any) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        query = select(AuditEntryRow)
        for column, value in where.items():
            query = query.where(getattr(AuditEntryRow, column) == value)
        found = list(session.exec(query))
    engine.dispose()
    return found


def test_the_audit_records_the_hubs_request_id_not_the_callers(stack: Stack) -> None:
    response = stack.graphql(
        BY_NIK.replace("query ByNik", "query ByNikForged"),
        {"nik": SITI},
        headers={"X-Request-Id": "forged-request-id-1"},
    )
    assert response.json()["data"]["workerBy"]["id"]
    assert audit_rows(stack, request_id="forged-request-id-1") == []
    [row] = audit_rows(stack, operation="ByNikForged")
    assert row.request_id == response.headers["x-request-id"] != "forged-request-id-1"


def test_a_cost_refusal_is_audited(stack: Stack) -> None:
    ids = [f"wk_{i:020x}" for i in range(1000)]
    query = """query Costly($i: [ID!]!) { ... on Query { a: workers(ids: $i) { ...F }
      b: workers(ids: $i) { ...F } } }
      fragment F on Worker { identity { nik } placements { status } socialSecurity { kpj }
        consular { reported } cases { id } protection { level } sources { state } }"""
    body = stack.graphql(query, {"i": ids}).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    [row] = audit_rows(stack, operation="Costly")
    assert (row.outcome, row.client_id, row.worker_id) == ("REFUSED", "embassy-system", None)
    cost = body["errors"][0]["extensions"]["cost"]
    assert row.reason == f"QUERY_TOO_COSTLY {cost}>{body['errors'][0]['extensions']['budget']}"


def test_a_token_store_failure_is_a_typed_503(stack: Stack, tmp_path: Path) -> None:
    source = Path(stack.environ["HUB_DATABASE_URL"].removeprefix("sqlite:///"))
    copy = tmp_path / "hub.db"
    shutil.copy(source, copy)
    env = {**stack.environ, "HUB_DATABASE_URL": f"sqlite:///{copy}"}
    with LoopbackServer(create_app(Settings.from_environ(env))) as hub:
        with sqlite3.connect(copy) as db:  # the revocation list is gone: verification cannot run
            db.execute("DROP TABLE auth_revoked_token")
        response = httpx.post(
            f"{hub.url}/graphql", json={"query": "{ me { clientId } }"}, headers=headers(stack)
        )
    refused(response, 503, "AUTH_UNAVAILABLE")
    assert response.headers["retry-after"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("PUT", "/graphql", 405, "METHOD_NOT_ALLOWED"),
        ("DELETE", "/graphql", 405, "METHOD_NOT_ALLOWED"),
        ("GET", "/graphql/../../etc/passwd", 404, "NOT_FOUND"),
        ("POST", "/nothing-here", 404, "NOT_FOUND"),
    ],
)
def test_the_routers_own_refusals_are_typed_json(
    stack: Stack, method: str, path: str, status: int, code: str
) -> None:
    response = httpx.request(method, f"{stack.hub_url}{path}", headers=headers(stack))
    refused(response, status, code)


@pytest.mark.parametrize(
    "variables",
    [{}, {"ids": None}, {"ids": 12.5}, {"ids": [{"a": 1}]}],
)
def test_variables_that_do_not_coerce_are_bad_user_input(
    stack: Stack, variables: dict[str, Any]
) -> None:
    response = stack.graphql("query($ids: [ID!]!) { workers(ids: $ids) { id } }", variables)
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
