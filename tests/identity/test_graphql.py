"""The review API through the hub's own schema: scope identity:admin, typed errors, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from auth.principal import Principal
from auth.scopes import Scope
from hub.audit import AuditSigner, AuditTrail
from hub.audit.tables import AuditEntryRow
from hub.crosswalk import CrosswalkReader
from hub.graphql.schema import build_schema
from hub.storage.offload import Offload
from tests.identity.conftest import PSEUDO, person, worker_of
from tests.identity.test_linkage import NIK_A, link

SCHEMA = build_schema(dev=False)
LIST = """query($first: Int!, $after: String) { matchCandidates(first: $first, after: $after) {
  totalCount edges { cursor node { id record { agency localId } recordWorkerId workerId
  confidence ambiguous status evidence { attribute level weight } } }
  pageInfo { hasNextPage endCursor } } }"""
CONFIRM = "mutation($id: ID!) { confirmMatch(id: $id) { id status workerId } }"
REJECT = "mutation($id: ID!) { rejectMatch(id: $id) { id status } }"
SPLIT = """mutation($w: ID!, $r: [AgencyRecordInput!]!) {
  splitWorker(workerId: $w, records: $r) { workerId newWorkerId } }"""


@dataclass
class Hub:
    engine: Engine
    crosswalk: CrosswalkReader
    offload: Offload = field(default_factory=Offload)

    def __post_init__(self) -> None:
        signer = AuditSigner.from_environ({"HUB_ENV": "test"})
        self.audit = AuditTrail(self.engine, signer, publish=False)


@dataclass
class Context:
    hub: Hub
    principal: Principal
    returned: dict[str, set[str]] = field(default_factory=dict)
    refused: dict[tuple[str | None, str | None], set[str]] = field(default_factory=dict)
    grants_used: dict[str, str] = field(default_factory=dict)
    opened_grants: dict[str, str] = field(default_factory=dict)
    operation: str = "anonymous"
    bulk: tuple[str, frozenset[str]] | None = None  # a cohort read (hub.graphql.context)

    def audit_returned(self, worker_id: str, *categories: str) -> None:
        self.returned.setdefault(worker_id, set()).update(categories)

    def audit_refused(
        self, worker_id: str | None, *categories: str, reason: str | None = None
    ) -> None:
        self.refused.setdefault((worker_id, reason), set()).update(categories)


def audited(engine: Engine) -> dict[str | None, str]:
    with Session(engine) as session:
        rows = session.exec(select(AuditEntryRow).where(AuditEntryRow.outcome == "READ"))
        return {row.worker_id: row.categories for row in rows}


def officer(*scopes: str) -> Principal:
    from auth.purpose import Purpose

    return Principal(
        client_id="identity-desk",
        subject="petugas.identitas",
        scopes=frozenset(scopes),
        token_id="t1",
        issuer="https://hub.test",
        expires_at=0,
        purpose=Purpose.CASE_HANDLING,
    )


async def run(engine: Engine, query: str, principal: Principal | None = None, **v: Any) -> Any:
    context = Context(
        Hub(engine, CrosswalkReader(engine, PSEUDO)), principal or officer(Scope.IDENTITY_ADMIN)
    )
    result = await SCHEMA.execute(query, variable_values=v, context_value=context)
    return result, context


def codes(result: Any) -> list[str]:
    return [e.extensions["code"] for e in result.errors or []]


@pytest.mark.anyio
async def test_an_officer_lists_and_confirms_a_candidate(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-1", "DEWI LESTARI", "1991-03-07", nik=NIK_A))
    link(engine, person("EMBASSY", "SIN-1", "DEWI LESTARI", "1991-07-03"))
    listed, _ = await run(engine, LIST, first=10)
    assert listed.errors is None
    page = listed.data["matchCandidates"]
    assert page["totalCount"] == 1 and not page["pageInfo"]["hasNextPage"]
    node = page["edges"][0]["node"]
    assert node["record"] == {"agency": "EMBASSY", "localId": "SIN-1"}
    assert {e["attribute"]: e["level"] for e in node["evidence"]}["birthDate"] == "SWAPPED"
    confirmed, _ = await run(engine, CONFIRM, id=node["id"])
    assert confirmed.errors is None
    assert confirmed.data["confirmMatch"]["status"] == "CONFIRMED"
    kemnaker = worker_of(engine, "KEMNAKER", "AK1-1")
    assert worker_of(engine, "EMBASSY", "SIN-1") == kemnaker
    # the decision is audited, in the decision's own transaction
    assert audited(engine) == {kemnaker: "identity"}
    again, _ = await run(engine, REJECT, id=node["id"])
    assert codes(again) == ["CANDIDATE_NOT_PENDING"]


@pytest.mark.anyio
async def test_without_identity_admin_everything_is_refused(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-2", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    worker = worker_of(engine, "KEMNAKER", "AK1-2")
    nobody = officer(Scope.WORKER_IDENTITY_READ, Scope.WORKER_NIK_READ)
    for query, variables in (
        (LIST, {"first": 5}),
        (CONFIRM, {"id": "mc_1"}),
        (REJECT, {"id": "mc_1"}),
        (SPLIT, {"w": worker, "r": [{"agency": "KEMNAKER", "localId": "AK1-2"}]}),
    ):
        result, context = await run(engine, query, nobody, **variables)
        assert codes(result) == ["FORBIDDEN"]
        assert (None, "FORBIDDEN identity:admin") in context.refused
    assert worker_of(engine, "KEMNAKER", "AK1-2") == worker


@pytest.mark.anyio
async def test_bad_input_is_a_typed_error(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-3", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        person("EMBASSY", "HKG-3", "SITI AMINAH BT SAHRONI", "1990-08-05"),
    )
    worker = worker_of(engine, "KEMNAKER", "AK1-3")
    cases = [
        (CONFIRM, {"id": "42"}, "BAD_USER_INPUT"),
        (CONFIRM, {"id": "mc_999"}, "NOT_FOUND"),
        (LIST, {"first": 0}, "BAD_USER_INPUT"),
        (LIST, {"first": 5, "after": "x"}, "BAD_USER_INPUT"),
        (SPLIT, {"w": "wk_nope", "r": []}, "BAD_USER_INPUT"),
        (SPLIT, {"w": worker, "r": []}, "BAD_USER_INPUT"),
        (SPLIT, {"w": worker, "r": [{"agency": "P2MI", "localId": "X"}]}, "RECORD_NOT_IN_WORKER"),
    ]
    for query, variables, code in cases:
        result, _ = await run(engine, query, **variables)
        assert codes(result) == [code], (variables, result.errors)
        assert "/" in result.errors[0].message  # Indonesian / English
    split, _ = await run(engine, SPLIT, w=worker, r=[{"agency": "EMBASSY", "localId": "HKG-3"}])
    assert split.errors is None
    new = split.data["splitWorker"]["newWorkerId"]
    assert worker_of(engine, "EMBASSY", "HKG-3") == new
    assert set(audited(engine)) == {worker, new}
