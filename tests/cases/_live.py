"""Test helpers: a graphql-transport-ws client, a webhook receiver, hub internals of a stack."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from websockets.asyncio.client import ClientConnection, connect

from hub.cases import Cases
from tests.e2e.stack import Stack

SITI = "3506124508900003"
NURHAYATI = "3525146102930001"
CASE_FIELDS = """id kind status severity openedAt summary agencies workerId source updatedAt
  mission { code name } provenance { agency system recordId }
  history { event status previousStatus note agency }"""
OPEN_CASE = (
    f"""mutation Open($input: OpenCaseInput!) {{ openCase(input: $input) {{ {CASE_FIELDS} }} }}"""
)
UPDATE = f"""mutation Update($id: ID!, $status: CaseStatus!, $note: String!) {{
  updateCaseStatus(id: $id, status: $status, note: $note) {{ {CASE_FIELDS} }} }}"""
WORKER_CASES = f"""query Cases($id: ID!) {{ worker(id: $id) {{ cases {{ {CASE_FIELDS} }} }} }}"""
EVENTS = """subscription Events($m: String) { caseEvents(missionCode: $m) {
  event at case { id status workerId mission { code } } } }"""
REGISTER = """mutation Reg($url: String!, $m: String) {
  registerWebhook(url: $url, missionCode: $m) { secret webhook { id url missionCode } } }"""


def worker_id(stack: Stack, nik: str) -> str:
    body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": nik}).json()
    return str(body["data"]["workerBy"]["id"])


def cases_of(stack: Stack) -> Cases:
    """The hub's case services inside the stack's hub server (same process, another thread)."""
    return stack.servers[-1].app.state.hub.cases  # type: ignore[no-any-return]


def open_case(
    stack: Stack, worker: str, graphql: dict[str, Any] | None = None, **changes: Any
) -> Any:
    values = {
        "workerId": worker,
        "kind": "DETENTION",
        "severity": "HIGH",
        "summary": "Ditahan di kantor polisi",
        **changes,
    }
    return stack.graphql(OPEN_CASE, {"input": values}, **(graphql or {})).json()


async def ws_connect(stack: Stack, payload: dict[str, Any] | None) -> ClientConnection:
    url = stack.hub_url.replace("http://", "ws://") + "/graphql"
    ws = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
    return ws


async def subscribe(
    stack: Stack, token: str, missions: dict[str, str | None], purpose: str = "EMERGENCY"
) -> ClientConnection:
    """A connection with one subscription per id in ``missions``, all listening on the bus."""
    ws = await ws_connect(stack, {"authorization": f"Bearer {token}", "purpose": purpose})
    ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert ack["type"] == "connection_ack", ack
    bus = cases_of(stack).bus
    before = bus.subscribers
    for op_id, mission in missions.items():
        message = {"query": EVENTS, "variables": {"m": mission}}
        await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": message}))
    await wait_until(lambda: bus.subscribers >= before + len(missions))
    return ws


async def wait_until(condition: Any, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def next_message(ws: ClientConnection, seconds: float = 5.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), seconds))  # type: ignore[no-any-return]


@dataclass
class Receiver:
    """A webhook endpoint: records each request; answers ``status`` (settable)."""

    status: int = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            body = await request.body()
            with self.lock:
                self.received.append((dict(request.headers), body))
            return JSONResponse({"ok": self.status < 300}, status_code=self.status)

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]
