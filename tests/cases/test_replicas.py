"""Two hub replicas on one PostgreSQL database: a case opened on one reaches a subscriber of
the other (LISTEN/NOTIFY), and its webhook is delivered once although both deliver."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.settings import Settings
from schema.scenario import Scenario
from tests.cases._live import (
    REGISTER,
    SITI,
    Receiver,
    next_message,
    open_case,
    subscribe,
    wait_until,
    worker_id,
)
from tests.cases.conftest import FAST_WEBHOOKS
from tests.databases import throwaway_postgres
from tests.e2e.stack import Stack, running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.anyio]


@pytest.fixture(scope="module")
def replicas(
    small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, Stack]]:
    directory: Path = tmp_path_factory.mktemp("replicas")
    with (
        throwaway_postgres() as url,
        running_stack(small_scenario, directory, FAST_WEBHOOKS, database_url=url) as first,
    ):
        second_server = LoopbackServer(create_app(Settings.from_environ(first.environ))).start()
        try:
            second = dataclasses.replace(
                first, hub_url=second_server.url, servers=[second_server], _tokens={}
            )
            yield first, second
        finally:
            second_server.stop()


async def test_an_event_crosses_replicas(replicas: tuple[Stack, Stack]) -> None:
    first, second = replicas
    ws = await subscribe(second, first.token(), {"hk": "HKG", "tw": "TPE"})
    try:
        opened = await asyncio.to_thread(open_case, first, worker_id(first, SITI))
        message = await next_message(ws)
        assert message["id"] == "hk"
        assert (
            message["payload"]["data"]["caseEvents"]["case"]["id"]
            == (opened["data"]["openCase"]["id"])
        )
        with pytest.raises(TimeoutError):
            await next_message(ws, 0.5)
    finally:
        await ws.close()


async def test_two_delivery_workers_deliver_each_event_once(
    replicas: tuple[Stack, Stack],
) -> None:
    first, second = replicas
    receiver = Receiver()
    with LoopbackServer(receiver.app()) as server:
        await asyncio.to_thread(first.graphql, REGISTER, {"url": f"{server.url}/hook", "m": "HKG"})
        siti = await asyncio.to_thread(worker_id, first, SITI)
        ids = []
        for stack in (first, second, first, second):
            body = await asyncio.to_thread(open_case, stack, siti)
            ids.append(body["data"]["openCase"]["id"])
        await wait_until(lambda: len(receiver.received) >= len(ids))
        await asyncio.sleep(1.0)
        assert sorted(b["case"]["id"] for b in receiver.bodies()) == sorted(ids)
