"""``accessLog`` through a schema: who may read which log, agency names, pages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from sqlalchemy.engine import Engine

from auth.principal import Principal
from hub.audit import AuditTrail, Outcome
from hub.audit.graphql import AccessLogConnection, access_log
from hub.storage.offload import Offload
from tests.audit._support import entry

W = "wk_0001"


@strawberry.type
class Query:
    access_log: AccessLogConnection = strawberry.field(resolver=access_log)


SCHEMA = strawberry.Schema(query=Query)
QUERY = """query($w: ID!, $first: Int!, $after: String) {
  accessLog(workerId: $w, first: $first, after: $after) {
    entries { at agencyId agencyEn purpose operation categories breakGlass }
    pageInfo { hasNextPage endCursor }
  }
}"""


def _principal(scopes: set[str], worker_id: str | None = None) -> Principal:
    return Principal(
        client_id="console",
        subject=worker_id or "officer",
        scopes=frozenset(scopes),
        token_id="t1",
        issuer="https://hub.test",
        expires_at=0,
        worker_id=worker_id,
    )


async def _run(trail: AuditTrail | None, principal: Principal, **variables: Any) -> Any:
    hub = SimpleNamespace(audit=trail, offload=Offload())
    context = SimpleNamespace(principal=principal, hub=hub)
    return await SCHEMA.execute(
        QUERY, variable_values={"w": W, "first": 10, **variables}, context_value=context
    )


@pytest.fixture
def filled(trail: AuditTrail) -> AuditTrail:
    trail.record([entry(1, agency="P2MI"), entry(2)])
    trail.record([entry(6, agency="EMBASSY", outcome=Outcome.BREAK_GLASS, grant_id="bg_1")])
    trail.record([entry(11, agency="BP3MI_JATIM")])
    return trail


@pytest.mark.parametrize(
    "principal",
    [_principal({"audit:read"}), _principal({"self"}, worker_id=W)],
    ids=["auditor", "the-worker-self"],
)
@pytest.mark.anyio
async def test_auditor_and_the_worker_read_the_log(
    filled: AuditTrail, principal: Principal
) -> None:
    result = await _run(filled, principal)
    assert result.errors is None
    log = result.data["accessLog"]
    names = [(e["agencyId"], e["breakGlass"]) for e in log["entries"]]
    assert names == [
        ("BP3MI_JATIM", False),
        ("Perwakilan RI (Kemlu)", True),
        ("P2MI (SISKOP2MI)", False),
    ]
    assert log["entries"][1]["agencyEn"] == "Indonesian missions (Kemlu)"
    assert "cl_" not in str(log)  # internal client ids are not shown
    assert log["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    "principal",
    [
        _principal({"worker.identity:read", "case:read"}),
        _principal({"self", "audit:read"}, worker_id="wk_other"),
    ],
    ids=["no-audit-scope", "another-workers-self-token"],
)
@pytest.mark.anyio
async def test_others_are_forbidden(filled: AuditTrail, principal: Principal) -> None:
    result = await _run(filled, principal)
    assert result.data is None
    assert result.errors[0].extensions["code"] == "FORBIDDEN"


@pytest.mark.anyio
async def test_pages_follow_the_cursor(filled: AuditTrail) -> None:
    first = (await _run(filled, _principal({"audit:read"}), first=2)).data["accessLog"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    rest = (await _run(filled, _principal({"audit:read"}), first=2, after=after)).data["accessLog"]
    assert len(rest["entries"]) == 1 and rest["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("variables", [{"first": 0}, {"after": "bogus"}])
@pytest.mark.anyio
async def test_bad_paging_is_bad_user_input(filled: AuditTrail, variables: dict[str, Any]) -> None:
    result = await _run(filled, _principal({"audit:read"}), **variables)
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"


@pytest.mark.anyio
async def test_a_failing_database_is_audit_unavailable(engine: Engine, trail: AuditTrail) -> None:
    engine.dispose()
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE audit_entry")
    result = await _run(trail, _principal({"audit:read"}))
    assert result.errors[0].extensions["code"] == "AUDIT_UNAVAILABLE"
    assert "audit_entry" not in result.errors[0].message
    missing = await _run(None, _principal({"audit:read"}))
    assert missing.errors[0].extensions["code"] == "AUDIT_UNAVAILABLE"
