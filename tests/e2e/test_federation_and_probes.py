"""Apollo Federation v2 subgraph duties, and the health probes."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.stack import AGENCIES, Stack

pytestmark = pytest.mark.e2e

ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Worker { id identity { fullName } socialSecurity { kpj } } } }"""


GATEWAY = "federation-gateway"


def test_service_sdl_declares_worker_as_an_entity(stack: Stack) -> None:
    body = stack.graphql("{ _service { sdl } }", client=GATEWAY, purpose=None).json()
    sdl = body["data"]["_service"]["sdl"]
    assert 'type Worker @key(fields: "id")' in sdl
    assert "specs.apollo.dev/federation/v2" in sdl


def test_service_and_entities_are_for_the_gateway_only_outside_dev(stack: Stack) -> None:
    for query, variables in (
        ("{ _service { sdl } }", {}),
        (ENTITIES, {"r": [{"__typename": "Worker", "id": "wk_" + "e" * 20}]}),
    ):
        body = stack.graphql(query, variables).json()  # embassy-system: every read, no gateway
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {
            **body["errors"][0]["extensions"],
            "code": "FORBIDDEN",
            "scope": "federation:gateway",
        }


def test_entities_resolve_in_one_batch_per_agency(stack: Stack) -> None:
    niks = ["3506124508900003", "3201011507880007", "3525146102930001"]
    found = stack.graphql(
        "query($n: [String!]!) { workersByNik(niks: $n) { id } }", {"n": niks}
    ).json()["data"]["workersByNik"]
    ids = [w["id"] for w in found]
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            client.delete("/_sandbox/stats")
    representations = [{"__typename": "Worker", "id": i} for i in [*ids, "wk_" + "e" * 20]]
    body = stack.graphql(
        ENTITIES, {"r": representations}, client=GATEWAY, purpose="CLAIM_PROCESSING"
    ).json()
    entities = body["data"]["_entities"]
    assert [e["id"] if e else None for e in entities] == [*ids, None]
    assert entities[0]["socialSecurity"]["kpj"] == "24001234567"
    with stack.sandbox("bpjs") as client:
        calls = client.get("/_sandbox/stats").json()["calls"]
    assert calls == {"POST /pmi-rest/peserta/kpj": 1}  # four memberships, one upstream call


def test_entities_need_a_purpose_like_every_personal_query(stack: Stack) -> None:
    body = stack.graphql(
        ENTITIES,
        {"r": [{"__typename": "Worker", "id": "wk_" + "e" * 20}]},
        client=GATEWAY,
        purpose=None,
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"


def test_health_probes(stack: Stack) -> None:
    assert httpx.get(f"{stack.hub_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{stack.hub_url}/readyz").json()
    assert ready["status"] == "ok" and ready["database"] == "ok"
    assert set(ready["agencies"]) == {"KEMNAKER", "P2MI", "BPJS_KETENAGAKERJAAN", "EMBASSY"}
    with stack.sandbox("p2mi") as client:
        client.post("/_sandbox/faults", json={"down": True})
    try:
        degraded = httpx.get(f"{stack.hub_url}/readyz")
        assert degraded.status_code == 200 and degraded.json()["status"] == "degraded"
        assert degraded.json()["agencies"]["P2MI"]["ok"] is False
    finally:
        with stack.sandbox("p2mi") as client:
            client.post("/_sandbox/faults", json={"down": False})
