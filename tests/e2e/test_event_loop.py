"""No request blocks the event loop: the main queries under the loop-stall detector.

The hub runs in the test's own event loop (ASGI, its lifespan included) against real
sandboxes on loopback and a real database (SQLite, and PostgreSQL where it answers; under
``CI=true`` it must). ``tests/loopwatch.py`` fails on any database work done on the loop and on
any callback whose own duration passes 20 ms; the planted tests prove it catches both.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest

from auth.demo import OFFICER, OFFICER_SCOPES
from hub.app import create_app
from hub.service import Hub
from hub.settings import Settings
from schema.scenario import Scenario
from tests.databases import throwaway_postgres
from tests.e2e.newcomers import newcomer, register_at_agencies
from tests.e2e.queries import WORKER_FIELDS
from tests.e2e.stack import Stack, running_stack
from tests.loopwatch import LoopWatch

pytestmark = pytest.mark.e2e
SITI, RIZKI = "3506124508900003", "3201011507880007"
NIKS = [SITI, RIZKI, "3525146102930001", "3174055011000004"]
REASON = "Pekerja dirawat di RS Queen Mary setelah kecelakaan kerja, keluarga perlu dihubungi"
BY_NIK = f"query($n: String!) {{ workerBy(nik: $n) {{ {WORKER_FIELDS} }} }}"
BY_ID = f"query($id: ID!) {{ worker(id: $id) {{ {WORKER_FIELDS} }} }}"
BATCH = f"query($ids: [ID!]!) {{ workers(ids: $ids) {{ {WORKER_FIELDS} }} }}"
BY_NIKS = "query($n: [String!]!) { workersByNik(niks: $n) { id identity { fullName } } }"
SEARCH = """query($q: String!) { searchWorkers(query: $q) {
  edges { score node { id identity { fullName } } } } }"""
OPEN_CASE = """mutation($input: OpenCaseInput!) { openCase(input: $input) { id status } }"""
BREAK_GLASS = """mutation($id: ID!, $r: String!) { breakGlass(workerId: $id, reason: $r) { id } }"""


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def loop_stack(
    request: pytest.FixtureRequest,
    small_scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    with ExitStack() as resources:
        url = None
        if request.param == "postgres":
            url = resources.enter_context(throwaway_postgres("pmihub_loop"))
        folder = tmp_path_factory.mktemp(f"loop-{request.param}")
        yield resources.enter_context(running_stack(small_scenario, folder, database_url=url))


class InProcessHub:
    """The hub's ASGI app on the caller's event loop, with an embassy-system token."""

    def __init__(self, client: httpx.AsyncClient, hub: Hub, secret: str, officer: str) -> None:
        self.client, self.hub, self.secret = client, hub, secret
        self.token = ""
        self.officer = officer  # break-glass is for an officer signed in, not a machine client

    async def sign_in(self) -> None:
        response = await self.client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("embassy-system", self.secret),
        )
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]

    async def graphql(self, query: str, token: str = "", **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token or self.token}", "X-Purpose": "EMERGENCY"}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]  # type: ignore[no-any-return]


@asynccontextmanager
async def in_process(stack: Stack) -> AsyncIterator[InProcessHub]:
    app = create_app(Settings.from_environ(stack.environ))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=60
        ) as client:
            secret = stack.credentials["clients"]["embassy-system"]["client_secret"]
            officer = stack.mint_token(OFFICER, sorted(OFFICER_SCOPES))
            yield InProcessHub(client, app.state.hub, secret, officer)


async def main_queries(hub: InProcessHub, newcomers: list[str]) -> dict[str, Any]:
    """The e2e suite's main queries, one after another and then side by side."""
    await hub.sign_in()
    siti = (await hub.graphql(BY_NIK, n=SITI))["workerBy"]
    found = await hub.graphql(BY_NIKS, n=[*NIKS, newcomers[1]])  # one linked live in a batch
    ids = [w["id"] for w in found["workersByNik"]]
    answers: dict[str, Any] = {
        "worker": (await hub.graphql(BY_ID, id=siti["id"]))["worker"],
        "batch": (await hub.graphql(BATCH, ids=ids))["workers"],
        "live": (await hub.graphql(BY_NIK, n=newcomers[0]))["workerBy"],  # linked on the spot
        "byName": (await hub.graphql(SEARCH, q="Siti Aminah"))["searchWorkers"],
        "byNik": (await hub.graphql(SEARCH, q=RIZKI))["searchWorkers"],
    }
    case = {
        "workerId": siti["id"],
        "kind": "DETENTION",
        "severity": "HIGH",
        "summary": "Ditahan polisi di Taipei",
    }
    answers["case"] = (await hub.graphql(OPEN_CASE, input=case))["openCase"]
    grant = await hub.graphql(BREAK_GLASS, token=hub.officer, id=ids[2], r=REASON)
    answers["grant"] = grant["breakGlass"]
    ready = await hub.client.get("/readyz")
    answers["ready"] = ready.json()
    side_by_side = await asyncio.gather(
        *(hub.graphql(BY_NIK, n=nik) for nik in [*NIKS, newcomers[2]]),
        hub.graphql(BATCH, ids=ids),
        hub.graphql(SEARCH, q="Nurhayati"),
        hub.client.get("/readyz"),
    )
    answers["concurrent"] = side_by_side
    return answers


def watched(stack: Stack, newcomers: list[str], plant: Callable[[Hub], None] | None) -> LoopWatch:
    async def run() -> tuple[LoopWatch, dict[str, Any]]:
        async with in_process(stack) as hub:
            if plant is not None:
                plant(hub.hub)
            with LoopWatch().watching() as watch:  # startup and shutdown are not requests
                answers = await main_queries(hub, newcomers)
            return watch, answers

    watch, answers = asyncio.run(run())
    assert answers["worker"]["identity"]["nik"] == SITI
    assert len(answers["worker"]["identity"]["links"]) == 4
    assert answers["live"]["identity"]["nik"] == newcomers[0]
    assert answers["batch"][-1]["identity"]["nik"] == newcomers[1]
    assert answers["byName"]["edges"] and answers["byNik"]["edges"]
    assert answers["case"]["status"] == "OPEN" and answers["grant"]["id"]
    assert answers["ready"]["database"] == "ok"
    assert answers["concurrent"][4]["workerBy"]["identity"]["nik"] == newcomers[2]
    assert watch.callbacks > 200  # the watch saw the requests' work
    return watch


def test_the_main_queries_never_block_the_event_loop(loop_stack: Stack) -> None:
    # given people the agencies registered after the sync (workerBy links them live)
    people = [newcomer(i, region="350614") for i in range(3)]
    register_at_agencies(loop_stack, people)
    # when the main queries run under the watch
    watch = watched(loop_stack, [p["nik"] for p in people], plant=None)
    # then no database call ran on the loop and no callback held it for 20 ms
    assert not watch.blocking and not watch.stalls, watch.report()


def test_the_watch_catches_database_work_on_the_loop(loop_stack: Stack) -> None:
    # given the hub's database seam replaced by calls made on the event loop itself
    people = [newcomer(i, region="350615") for i in range(3)]
    register_at_agencies(loop_stack, people)

    def on_the_loop(hub: Hub) -> None:
        async def inline(function: Callable[..., Any], *args: Any) -> Any:
            return function(*args)

        hub.offload = inline  # type: ignore[assignment]

    # when the same queries run
    watch = watched(loop_stack, [p["nik"] for p in people], plant=on_the_loop)
    # then every kind of read and write the seam carries is caught, however fast it was
    report = "\n".join(watch.blocking)
    for where in (
        "canonical_links",
        "link_live",
        "active_for",
        "for_workers",
        "_ping",
        "open_case",
    ):
        assert where in report, (where, watch.blocking[:20])


def test_the_watch_catches_a_slow_blocking_call(loop_stack: Stack) -> None:
    # given a 300 ms blocking call (a lock held elsewhere) planted before each grant read
    people = [newcomer(i, region="350616") for i in range(3)]
    register_at_agencies(loop_stack, people)
    watch = watched(loop_stack, [p["nik"] for p in people], plant=_before_grants(time.sleep, 0.3))
    # then the stall is reported, with the callback that made it, as waiting (a loaded
    # machine may add stalls of its own: the planted ones are those whose stack shows it)
    planted = [s for s in watch.stalls if "block(" in s.stack]
    assert planted, "a 300 ms blocking call went unnoticed\n" + watch.report()
    assert all(s.blocked_ms > 20 for s in planted), watch.report()


def test_the_watch_catches_a_callback_computing_for_50_ms(loop_stack: Stack) -> None:
    # given 50 ms of computing planted on the loop before each grant read
    people = [newcomer(i, region="350617") for i in range(3)]
    register_at_agencies(loop_stack, people)
    watch = watched(loop_stack, [p["nik"] for p in people], plant=_before_grants(_compute, 0.05))
    # then the stall is reported as computing
    assert watch.stalls, "50 ms of computing on the loop went unnoticed"
    assert all(s.cpu_ms >= 20 for s in watch.stalls), watch.report()


def _compute(seconds: float) -> None:
    deadline = time.thread_time() + seconds
    while time.thread_time() < deadline:
        sum(range(1000))


def _before_grants(block: Callable[[float], None], seconds: float) -> Callable[[Hub], None]:
    def plant(hub: Hub) -> None:
        seam = hub.offload
        read = hub.breakglass.active_for

        async def offload(function: Callable[..., Any], *args: Any) -> Any:
            if function == read:
                block(seconds)  # on the loop, before the read goes to its thread
            return await seam(function, *args)

        hub.offload = offload  # type: ignore[assignment]

    return plant
