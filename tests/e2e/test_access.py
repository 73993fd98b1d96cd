"""Scopes on every section, the masked NIK, purpose, self tokens, break-glass and query limits,
end to end through the hub's own OAuth server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.queries import BY_ID, BY_NIK
from tests.e2e.stack import AGENCIES, Stack

pytestmark = pytest.mark.e2e
SITI = "3506124508900003"


def upstream_calls(stack: Stack) -> int:
    total = 0
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            total += client.get("/_sandbox/stats").json()["total"]
    return total


def errors_by_path(body: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(e.get("path") or ()): e["extensions"] for e in body.get("errors", [])}


def worker_id(stack: Stack, nik: str) -> str:
    body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": nik}).json()
    return body["data"]["workerBy"]["id"]


def test_a_section_without_its_scope_is_null_with_forbidden_and_the_rest_stands(
    stack: Stack,
) -> None:
    body = stack.graphql(
        BY_NIK, {"nik": SITI}, client="bpjs-system", purpose="CLAIM_PROCESSING"
    ).json()
    worker = body["data"]["workerBy"]
    assert worker["socialSecurity"]["kpj"] == "24001234567"
    assert worker["placements"]
    errors = errors_by_path(body)
    for section, scope in [
        ("consular", "consular:read"),
        ("cases", "case:read"),
        ("protection", "protection:read"),
    ]:
        assert worker[section] is None
        assert errors[("workerBy", section)]["code"] == "FORBIDDEN"
        assert scope in str(errors[("workerBy", section)])
    assert worker["identity"]["nextOfKin"] is None
    assert errors[("workerBy", "identity", "nextOfKin")]["code"] == "FORBIDDEN"


def test_a_batch_asks_each_agency_only_for_the_sections_the_token_reads(stack: Stack) -> None:
    # given two workers and a token that finds them and reads their consular section only
    ids = [worker_id(stack, SITI), worker_id(stack, "3201011507880007")]
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            client.delete("/_sandbox/stats")
    # when it asks the batch for two sections (the hub fetches a batch's records up front)
    batch = """query($ids: [ID!]!) { workers(ids: $ids) {
      id socialSecurity { kpj } consular { reported } } }"""
    scope = "worker.identity:read consular:read"
    body = stack.graphql(batch, {"ids": ids}, scope=scope, purpose="CASE_HANDLING").json()
    # then the consular section answers and social security is refused
    workers = body["data"]["workers"]
    assert [w["consular"] is not None for w in workers] == [True, True]
    assert all(w["socialSecurity"] is None for w in workers)
    assert {e["code"] for e in errors_by_path(body).values()} == {"FORBIDDEN"}
    # and only the missions were asked: nothing was read for a section the token cannot see
    calls = {}
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            calls[agency] = client.get("/_sandbox/stats").json()["total"]
    assert calls.pop("embassy") >= 1
    assert calls == {agency: 0 for agency in calls}, calls


def test_the_nik_is_masked_without_its_scope(stack: Stack) -> None:
    narrow = "worker.identity:read placement:read"
    body = stack.graphql(BY_NIK, {"nik": SITI}, scope=narrow, purpose="CASE_HANDLING").json()
    assert body["data"]["workerBy"]["identity"]["nik"] == "3506********0003"
    full = stack.graphql(BY_NIK, {"nik": SITI}).json()
    assert full["data"]["workerBy"]["identity"]["nik"] == SITI


def test_no_purpose_is_refused_before_any_data_is_read(stack: Stack) -> None:
    before = upstream_calls(stack)
    body = stack.graphql(BY_NIK, {"nik": SITI}, purpose=None).json()
    assert body["data"] is None or body["data"]["workerBy"] is None
    assert body["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"
    unknown = stack.graphql(BY_NIK, {"nik": SITI}, purpose="CURIOSITY")
    assert unknown.status_code in (400, 403) or unknown.json()["errors"]
    assert upstream_calls(stack) == before


def test_a_self_token_reads_only_its_own_record(stack: Stack) -> None:
    mine = worker_id(stack, SITI)
    other = worker_id(stack, "3201011507880007")
    token = stack.mint_token(mine, ["self"], "SELF_SERVICE")
    own = stack.graphql(BY_ID, {"id": mine}, token=token, purpose="SELF_SERVICE").json()
    assert own["data"]["worker"]["identity"]["nik"] == SITI
    assert own["data"]["worker"]["socialSecurity"]["kpj"] == "24001234567"
    theirs = stack.graphql(BY_ID, {"id": other}, token=token, purpose="SELF_SERVICE").json()
    nobody = stack.graphql(BY_ID, {"id": "wk_" + "f" * 20}, token=token, purpose="SELF_SERVICE")
    assert theirs == nobody.json() == {"data": {"worker": None}}
    by_nik = stack.graphql(BY_NIK, {"nik": "3201011507880007"}, token=token, purpose="SELF_SERVICE")
    refused = by_nik.json()  # a self token looks nobody up by identifier, itself included
    assert refused["data"] == {"workerBy": None}
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_break_glass_lifts_field_scopes_for_one_worker_and_needs_a_real_reason(
    stack: Stack,
) -> None:
    # an officer signed in (break-glass is never a machine client's: issue #13)
    officer = stack.mint_token("petugas.darurat", ["worker.identity:read", "emergency"])
    target = worker_id(stack, SITI)
    before = stack.graphql(BY_ID, {"id": target}, token=officer).json()
    assert before["data"]["worker"]["socialSecurity"] is None
    mutation = """mutation($id: ID!, $r: String!) {
      breakGlass(workerId: $id, reason: $r) { id workerId expiresAt reason } }"""
    short = stack.graphql(mutation, {"id": target, "r": "urgent"}, token=officer).json()
    assert short["data"] is None and short["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    reason = "Pekerja dirawat di RS Queen Mary setelah kecelakaan kerja, keluarga perlu dihubungi"
    grant = stack.graphql(mutation, {"id": target, "r": reason}, token=officer).json()
    assert grant["data"]["breakGlass"]["workerId"] == target
    after = stack.graphql(BY_ID, {"id": target}, token=officer).json()
    assert after["data"]["worker"]["socialSecurity"]["kpj"] == "24001234567"
    other = stack.graphql(BY_NIK, {"nik": "3201011507880007"}, token=officer).json()
    assert other["data"]["workerBy"]["socialSecurity"] is None  # only that one worker
    refused = stack.graphql(
        mutation, {"id": target, "r": reason}, client="bpjs-system", purpose="CLAIM_PROCESSING"
    ).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_me_describes_the_token(stack: Stack) -> None:
    body = stack.graphql("{ me { clientId subject scopes purpose } }").json()
    assert body["data"]["me"]["clientId"] == "embassy-system"
    assert body["data"]["me"]["purpose"] == "EMERGENCY"
    assert "emergency" in body["data"]["me"]["scopes"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ me { " + " ".join(f"a{i}: clientId" for i in range(40)) + " } }", "TOO_MANY_ALIASES"),
        ("{ me { clientId " + "__typename " * 5000 + "} }", "TOO_MANY_TOKENS"),
        ("{ me { clientId " + "@skip(if: false) " * 200 + "} }", "TOO_MANY_DIRECTIVES"),
        (
            "{ "
            + " ".join(f"... @include(if: true) {{ t{i}: __typename }}" for i in range(31))
            + " }",
            "TOO_MANY_DIRECTIVES",
        ),
        ("{ me { " + "clientId " * 200 + "} }", "FIELD_REPEATED"),
        ("{ " + "... on Query { " * 400 + "me { clientId }" + " }" * 401, "QUERY_TOO_DEEP"),
    ],
)
def test_queries_over_the_limits_are_refused_by_their_limiter(
    stack: Stack, query: str, code: str
) -> None:
    response = stack.graphql(query)
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


DEEP = """{ searchWorkers(query: "Siti Aminah") { edges { node {
  identity { nextOfKin { name } } } } } }"""


def test_the_depth_limiter_refuses_a_deep_query_that_validates(stack: Stack) -> None:
    import httpx

    from connectors.sandbox.serve import LoopbackServer
    from hub.app import create_app
    from hub.settings import Settings

    answered = stack.graphql(DEEP).json()  # valid, and within the default depth
    assert answered["data"]["searchWorkers"]["edges"], answered
    env = {**stack.environ, "HUB_MAX_QUERY_DEPTH": "4"}
    with LoopbackServer(create_app(Settings.from_environ(env))) as shallow:
        refused = httpx.post(
            f"{shallow.url}/graphql",
            json={"query": DEEP},
            headers={"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"},
            timeout=30,
        ).json()
    assert refused.get("data") is None
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["QUERY_TOO_DEEP"]


IDS = [f"wk_{i:020x}" for i in range(1000)]
SECTIONS = "identity { nik } placements { status } socialSecurity { kpj } consular { reported }"
SECTIONS += " cases { id } protection { level } sources { state } "
FRAGMENT = f"fragment F on Worker {{ {SECTIONS} }}"
REPRESENTATIONS = [{"__typename": "Worker", "id": i} for i in IDS]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            f"query($ids: [ID!]!) {{ workers(ids: $ids) {{ {SECTIONS} }} "
            f"a: workers(ids: $ids) {{ {SECTIONS} }} }}",
            {"ids": IDS},
        ),
        (
            "query($ids: [ID!]!) { workers(ids: $ids) { ...F } a: workers(ids: $ids) { ...F } } "
            + FRAGMENT,
            {"ids": IDS},
        ),
        (
            "query($ids: [ID!]!) { ... on Query { a: workers(ids: $ids) { ...F } "
            "b: workers(ids: $ids) { ...F } } } " + FRAGMENT,
            {"ids": IDS},
        ),
        (
            "query($ids: [ID!]!, $niks: [String!]!) { ...Q } "
            "fragment Q on Query { a: workers(ids: $ids) { ...G } b: workersByNik(niks: $niks) "
            "{ ...G } } fragment G on Worker { ... on Worker { ...F } } " + FRAGMENT,
            {"ids": IDS, "niks": ["3506124508900003"] * 1000},
        ),
        (
            "query($r: [_Any!]!) { a: _entities(representations: $r) { ... on Worker { "
            f"{SECTIONS} }} }} b: _entities(representations: $r) {{ ...F }} }} " + FRAGMENT,
            {"r": REPRESENTATIONS},
        ),
    ],
)
def test_a_query_over_the_cost_budget_is_refused_however_it_is_written(
    stack: Stack, query: str, variables: dict[str, Any]
) -> None:
    before = upstream_calls(stack)
    body = stack.graphql(query, variables).json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == 14_000
    assert upstream_calls(stack) == before


def test_entities_obey_the_batch_cap_of_workers(stack: Stack) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id } } }"
    over = [{"__typename": "Worker", "id": f"wk_{i:020x}"} for i in range(1001)]
    body = stack.graphql(query, {"r": over}).json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["argument"] == "representations"
    odd = stack.graphql(query, {"r": [{"__typename": "Worker", "id": 1}]}).json()
    assert odd["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_introspection_and_suggestions_are_off_outside_dev(stack: Stack) -> None:
    body = stack.graphql("{ __schema { types { name } } }").json()
    assert body["errors"] and not body.get("data")
    typo = stack.graphql("{ mee { clientId } }").json()
    assert "Did you mean" not in typo["errors"][0]["message"]


def test_a_client_over_its_rate_gets_429_with_retry_after(stack: Stack) -> None:
    import httpx

    from connectors.sandbox.serve import LoopbackServer
    from hub.app import create_app
    from hub.settings import Settings

    env = {**stack.environ, "HUB_RATE_LIMIT_PER_SECOND": "0.001", "HUB_RATE_LIMIT_BURST": "2"}
    with LoopbackServer(create_app(Settings.from_environ(env))) as hub:
        headers = {"Authorization": f"Bearer {stack.token()}"}
        answers = [
            httpx.post(f"{hub.url}/graphql", json={"query": "{ me { clientId } }"}, headers=headers)
            for _ in range(4)
        ]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    limited = answers[-1]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_graphiql_is_served_only_in_dev(stack: Stack) -> None:
    import httpx

    from connectors.sandbox.serve import LoopbackServer
    from hub.app import create_app
    from hub.settings import Settings

    html = {"Accept": "text/html"}
    assert httpx.get(f"{stack.hub_url}/graphql", headers=html).status_code == 405
    with LoopbackServer(
        create_app(Settings.from_environ({**stack.environ, "HUB_ENV": "dev"}))
    ) as dev:
        page = httpx.get(f"{dev.url}/graphql", headers=html)
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_a_repeated_document_is_validated_once(stack: Stack) -> None:
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(1024)
    query = "{ me { clientId subject } sources { agency } }"
    stack.graphql(query)
    before = cache.cache_info()
    for _ in range(3):
        assert "errors" not in stack.graphql(query).json()
    after = cache.cache_info()
    assert after.hits - before.hits == 3 and after.misses == before.misses
