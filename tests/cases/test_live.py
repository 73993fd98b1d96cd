"""Subscription.caseEvents over graphql-transport-ws, through the real hub on loopback."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlmodel import Session, col, select
from websockets.exceptions import ConnectionClosed

from hub.audit.tables import AuditEntryRow
from hub.storage import make_engine
from tests.cases._live import (
    NURHAYATI,
    SITI,
    next_message,
    open_case,
    subscribe,
    worker_id,
    ws_connect,
)
from tests.e2e.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_a_subscriber_receives_its_missions_cases_only(stack: Stack) -> None:
    siti, nurhayati = worker_id(stack, SITI), worker_id(stack, NURHAYATI)
    ws = await subscribe(stack, stack.token(), {"hk": "HKG", "tw": "TPE", "all": None})
    try:
        opened = await asyncio.to_thread(open_case, stack, siti)  # her mission: HKG
        case_id = opened["data"]["openCase"]["id"]
        got = [await next_message(ws), await next_message(ws)]
        assert sorted(m["id"] for m in got) == ["all", "hk"]
        for message in got:
            assert message["type"] == "next"
            event = message["payload"]["data"]["caseEvents"]
            assert event["event"] == "OPENED"
            assert event["case"] == {
                "id": case_id,
                "status": "OPEN",
                "workerId": siti,
                "mission": {"code": "HKG"},
            }
        taipei = await asyncio.to_thread(open_case, stack, nurhayati, missionCode="TPE")
        got = [await next_message(ws), await next_message(ws)]
        assert sorted(m["id"] for m in got) == ["all", "tw"]
        assert {m["payload"]["data"]["caseEvents"]["case"]["id"] for m in got} == {
            taipei["data"]["openCase"]["id"]
        }
        with pytest.raises(TimeoutError):  # nothing else: Hong Kong heard nothing of Taipei
            await next_message(ws, 0.5)
    finally:
        await ws.close()


async def test_a_status_change_is_an_event(stack: Stack) -> None:
    siti = worker_id(stack, SITI)
    case_id = (await asyncio.to_thread(open_case, stack, siti))["data"]["openCase"]["id"]
    ws = await subscribe(stack, stack.token(), {"1": "HKG"})
    try:
        update = """mutation($id: ID!) { updateCaseStatus(id: $id, status: IN_PROGRESS,
          note: "Dikunjungi staf konsuler") { status } }"""
        await asyncio.to_thread(stack.graphql, update, {"id": case_id})
        event = (await next_message(ws))["payload"]["data"]["caseEvents"]
        assert event["event"] == "STATUS_CHANGED"
        assert event["case"]["id"] == case_id and event["case"]["status"] == "IN_PROGRESS"
    finally:
        await ws.close()


@pytest.mark.parametrize(
    ("payload", "close_code"),
    [
        (None, 4401),
        ({"authorization": "Bearer not-a-token", "purpose": "EMERGENCY"}, 4401),
        ("bpjs", 4403),  # a valid token without case:read
        ("no-purpose", 4403),
    ],
)
async def test_the_connection_is_refused_without_token_scope_or_purpose(
    stack: Stack, payload: object, close_code: int
) -> None:
    label = payload
    if payload == "bpjs":
        token = stack.token("bpjs-system")
        payload = {"authorization": f"Bearer {token}", "purpose": "CLAIM_PROCESSING"}
    elif payload == "no-purpose":
        payload = {"authorization": f"Bearer {stack.token()}"}
    before = refused_subscriptions(stack)
    ws = await ws_connect(stack, payload)  # type: ignore[arg-type]
    with pytest.raises(ConnectionClosed) as closed:
        await next_message(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == close_code
    recorded = [r.reason for r in refused_subscriptions(stack)[len(before) :]]
    assert recorded == WHY.get(str(label), [])  # a verified caller refused: recorded with why


WHY = {"bpjs": ["FORBIDDEN case:read"], "no-purpose": ["PURPOSE_REQUIRED"]}


def refused_subscriptions(stack: Stack) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        found = list(
            session.exec(
                select(AuditEntryRow)
                .where(col(AuditEntryRow.operation) == "caseEvents")
                .where(col(AuditEntryRow.outcome) == "REFUSED")
                .order_by(col(AuditEntryRow.seq))
            ).all()
        )
    engine.dispose()
    return found


async def test_only_subscriptions_run_over_the_socket(stack: Stack) -> None:
    ws = await subscribe(stack, stack.token(), {})
    try:
        query = {"query": "{ me { clientId } }"}
        await ws.send(json.dumps({"id": "q", "type": "subscribe", "payload": query}))
        answer = await next_message(ws)
        assert answer["type"] == "error"
        assert answer["payload"][0]["extensions"]["code"] == "SUBSCRIPTIONS_ONLY"
        bad = {"query": 'subscription { caseEvents(missionCode: "ZZZ") { event } }'}
        await ws.send(json.dumps({"id": "m", "type": "subscribe", "payload": bad}))
        answer = await next_message(ws)
        assert answer["type"] == "error"
        assert answer["payload"][0]["extensions"]["code"] == "UNKNOWN_MISSION"
    finally:
        await ws.close()


def test_a_subscription_over_http_gets_a_typed_error(stack: Stack) -> None:
    body = stack.graphql("subscription { caseEvents { event } }").json()
    assert body["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_TRANSPORT"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("subscription { caseEvents { event " + "__typename " * 20 + "} }", "FIELD_REPEATED"),
        ("subscription { caseEvents { event @a @b @c @d } }", "TOO_MANY_DIRECTIVES"),
        ("subscription { caseEvents { " + "event " * 5000 + "} }", "TOO_MANY_TOKENS"),
        ("subscription { caseEvents { event }", "GRAPHQL_PARSE_FAILED"),
    ],
)
async def test_a_subscription_over_the_limits_gets_a_typed_error(
    stack: Stack, query: str, code: str
) -> None:
    ws = await subscribe(stack, stack.token(), {})
    try:
        await ws.send(json.dumps({"id": "x", "type": "subscribe", "payload": {"query": query}}))
        answer = await next_message(ws)
        assert answer["type"] == "error" and answer["id"] == "x"
        assert answer["payload"][0]["extensions"]["code"] == code
    finally:
        await ws.close()
