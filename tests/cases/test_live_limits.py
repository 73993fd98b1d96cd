"""The live feed's limits over a real WebSocket: the (client, subject) rate bucket at
connection_init and subscribe, caps on open connections and running subscriptions, typed
graphql-transport-ws refusals in both languages, each audited."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlmodel import Session, select
from websockets.exceptions import ConnectionClosed

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.audit.tables import AuditEntryRow
from hub.settings import Settings
from hub.storage import make_engine
from tests.cases._live import EVENTS, next_message, subscribe, wait_until, ws_connect
from tests.e2e.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


@asynccontextmanager
async def live_hub(stack: Stack, **env: str) -> AsyncIterator[Stack]:
    """The stack as seen through another hub on its database, with ``env`` on top."""
    app = create_app(Settings.from_environ({**stack.environ, **env}))
    server = await asyncio.to_thread(LoopbackServer(app).__enter__)
    try:
        yield dataclasses.replace(stack, hub_url=server.url, servers=[*stack.servers, server])
    finally:
        await asyncio.to_thread(server.__exit__, None, None, None)


def audited(stack: Stack, operation: str) -> list[tuple[str, str | None]]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = session.exec(select(AuditEntryRow).where(AuditEntryRow.operation == operation))
        found = [(r.client_id, r.reason) for r in rows]
    engine.dispose()
    return found


async def acknowledged(stack: Stack, auth: dict[str, str], seconds: float = 5.0) -> Any:
    """A connection acknowledged, retried while the hub still refuses it (4429)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        ws = await ws_connect(stack, auth)
        try:
            answer = await next_message(ws)
        except ConnectionClosed:
            if asyncio.get_running_loop().time() > deadline:
                raise
            continue
        assert answer["type"] == "connection_ack", answer
        return ws


async def ask(ws: Any, op_id: str) -> None:
    payload = {"query": EVENTS, "variables": {"m": "HKG"}}
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))


def refusal(answer: dict[str, Any], op_id: str, code: str) -> dict[str, Any]:
    assert answer["type"] == "error" and answer["id"] == op_id, answer
    error: dict[str, Any] = answer["payload"][0]
    assert error["extensions"]["code"] == code
    assert " / " in error["message"] and error["extensions"]["messageEn"] in error["message"]
    return error


async def test_running_subscriptions_are_capped_per_client_and_subject(stack: Stack) -> None:
    token = await asyncio.to_thread(stack.token)
    other = await asyncio.to_thread(stack.mint_token, "petugas.live", ["case:read"])
    async with live_hub(stack, HUB_LIVE_MAX_SUBSCRIPTIONS="2") as hub:
        first = await subscribe(hub, token, {"a": "HKG", "b": "HKG"})
        second = await subscribe(hub, token, {})
        try:
            # a third subscription, on either connection, is refused with a typed error
            await ask(first, "c")
            error = refusal(await next_message(first), "c", "TOO_MANY_SUBSCRIPTIONS")
            assert error["message"].startswith("Terlalu banyak langganan")
            await ask(second, "d")
            refusal(await next_message(second), "d", "TOO_MANY_SUBSCRIPTIONS")
            # another subject is not touched by it
            bus = hub.servers[-1].app.state.hub.cases.bus
            before = bus.subscribers
            elsewhere = await subscribe(hub, other, {"x": "HKG"}, "CASE_HANDLING")
            await elsewhere.close()
            # when one subscription completes, its slot is free again
            await first.send(json.dumps({"id": "a", "type": "complete"}))
            await wait_until(lambda: bus.subscribers <= before - 1)
            await ask(second, "e")
            with pytest.raises(TimeoutError):  # no error: it runs
                await next_message(second, 0.5)
        finally:
            await first.close()
            await second.close()
    assert ("embassy-system", "TOO_MANY_SUBSCRIPTIONS") in audited(
        stack, "graphql:ws:tooManySubscriptions"
    )


async def test_open_connections_are_capped_and_freed_when_they_close(stack: Stack) -> None:
    token = await asyncio.to_thread(stack.token)
    auth = {"authorization": f"Bearer {token}", "purpose": "EMERGENCY"}
    async with live_hub(stack, HUB_LIVE_MAX_CONNECTIONS="2") as hub:
        open_ones = [await subscribe(hub, token, {}) for _ in range(2)]
        third = await ws_connect(hub, auth)
        with pytest.raises(ConnectionClosed) as closed:
            await next_message(third)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
        assert closed.value.rcvd.reason.startswith("TOO_MANY_CONNECTIONS: Terlalu banyak")
        assert "Too many live connections" in closed.value.rcvd.reason
        await open_ones.pop().close()
        again = await acknowledged(hub, auth)  # once the server has seen the close
        for ws in [*open_ones, again]:
            await ws.close()
    assert ("embassy-system", "TOO_MANY_CONNECTIONS") in audited(
        stack, "graphql:ws:tooManyConnections"
    )


async def test_connection_init_and_subscribe_draw_from_the_rate_bucket(stack: Stack) -> None:
    token = await asyncio.to_thread(stack.token, "embassy-system")
    auth = {"authorization": f"Bearer {token}", "purpose": "EMERGENCY"}
    limits = {"HUB_RATE_LIMIT_PER_SECOND": "0.001", "HUB_RATE_LIMIT_BURST": "2"}
    async with live_hub(stack, **limits) as hub:
        ws = await subscribe(hub, token, {"a": "HKG"})  # two tokens: connect, subscribe
        try:
            await ask(ws, "b")
            error = refusal(await next_message(ws), "b", "RATE_LIMITED")
            assert error["extensions"]["retryAfter"] >= 1
            late = await ws_connect(hub, auth)
            with pytest.raises(ConnectionClosed) as closed:
                await next_message(late)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
            assert closed.value.rcvd.reason.startswith("RATE_LIMITED: ")
        finally:
            await ws.close()
    # audited once for the bucket's (client, subject), not once per refusal
    assert audited(stack, "graphql:ws:rateLimited") == [("embassy-system", "RATE_LIMITED")]
