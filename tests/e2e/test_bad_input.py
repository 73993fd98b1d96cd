"""Bad input of every kind gets a typed error, reaches no agency, and never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.queries import BY_NIK
from tests.e2e.stack import AGENCIES, Stack

pytestmark = pytest.mark.e2e


def upstream_calls(stack: Stack) -> dict[str, int]:
    out = {}
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            out[agency] = client.get("/_sandbox/stats").json()["total"]
    return out


def codes(response: httpx.Response) -> list[str]:
    assert response.status_code < 500
    return [e["extensions"]["code"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (BY_NIK, {"nik": "12345"}),
        (BY_NIK, {"nik": "3506124513900003"}),  # month 13
        ('{ workerBy(passport: "12") { id } }', None),
        ('{ workerBy(kpj: "1234") { id } }', None),
        ('{ workerBy(pmiId: "<script>") { id } }', None),
        ("{ workerBy { id } }", None),
        ('{ workerBy(nik: "3506124508900003", kpj: "24001234567") { id } }', None),
        ('{ worker(id: "3506124508900003") { id } }', None),
        ('{ workersByNik(niks: ["3506124508900003", "x"]) { id } }', None),
    ],
)
def test_malformed_identifiers_are_refused_before_any_upstream_call(
    stack: Stack, query: str, variables: dict[str, Any] | None
) -> None:
    before = upstream_calls(stack)
    response = stack.graphql(query, variables)
    assert codes(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["message"].count(" / ") == 1  # Indonesian / English
    assert upstream_calls(stack) == before


def test_more_than_a_thousand_ids_is_refused(stack: Stack) -> None:
    ids = [f"wk_{i:020x}" for i in range(1001)]
    response = stack.graphql("query($ids: [ID!]!) { workers(ids: $ids) { id } }", {"ids": ids})
    assert codes(response) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ worker(id: "}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ nothingHere }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "{ worker(id: true) { id } }"}, "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_malformed_graphql_gets_a_typed_error(
    stack: Stack, body: dict[str, Any], code: str
) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"}
    response = httpx.post(f"{stack.hub_url}/graphql", json=body, headers=headers, timeout=10)
    assert codes(response) == [code]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", {"content-type": "application/json"}),
        (b"[]", {"content-type": "application/json"}),
        (b"query=1", {"content-type": "text/plain"}),
        (b"", {"content-type": "application/json"}),
    ],
)
def test_broken_http_bodies_get_a_typed_json_error(
    stack: Stack, content: bytes, headers: dict[str, str]
) -> None:
    headers = {**headers, "Authorization": f"Bearer {stack.token()}"}
    response = httpx.post(f"{stack.hub_url}/graphql", content=content, headers=headers)
    assert 400 <= response.status_code < 500
    assert codes(response) == ["BAD_REQUEST"]


def test_no_token_or_a_broken_one_reads_nothing(stack: Stack) -> None:
    before = upstream_calls(stack)
    body = {"query": BY_NIK, "variables": {"nik": "3506124508900003"}}
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic eDp5"}):
        response = httpx.post(f"{stack.hub_url}/graphql", json=body, headers=headers)
        assert response.status_code == 401
        assert "data" not in response.json() or response.json()["data"] is None
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert upstream_calls(stack) == before


def test_a_query_by_get_is_refused(stack: Stack) -> None:
    response = httpx.get(
        f"{stack.hub_url}/graphql",
        params={"query": 'mutation { breakGlass(workerId: "x", reason: "y") { id } }'},
        headers={"Authorization": f"Bearer {stack.token()}"},
    )
    assert response.status_code == 405 and codes(response) == ["METHOD_NOT_ALLOWED"]


@pytest.fixture
def bpjs_garbage(stack: Stack) -> Iterator[None]:
    with stack.sandbox("bpjs") as client:
        client.post("/_sandbox/faults", json={"garbage": True}).raise_for_status()
    try:
        yield
    finally:
        with stack.sandbox("bpjs") as client:
            client.post("/_sandbox/faults", json={"garbage": False}).raise_for_status()


def test_an_agency_answering_garbage_nulls_only_its_section(
    stack: Stack, bpjs_garbage: None
) -> None:
    response = stack.graphql(BY_NIK, {"nik": "3506124508900003"})
    body = response.json()
    assert response.status_code == 200
    worker = body["data"]["workerBy"]
    assert worker["socialSecurity"] is None
    assert worker["placements"] and worker["consular"]["reported"] is True
    errors = {tuple(e["path"]): e["extensions"] for e in body["errors"]}
    assert errors[("workerBy", "socialSecurity")] == {
        **errors[("workerBy", "socialSecurity")],
        "code": "SOURCE_BAD_RESPONSE",
        "agency": "BPJS_KETENAGAKERJAAN",
    }
    bpjs = next(s for s in worker["sources"] if s["agency"] == "BPJS_KETENAGAKERJAAN")
    assert bpjs["state"] == "UNAVAILABLE"
    protection = worker["protection"]
    assert protection["complete"] is False and protection["level"] != "PROTECTED"
    assert "SOURCE_UNAVAILABLE" in {f["code"] for f in protection["findings"]}
