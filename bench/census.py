"""The census: its time over a population, the cohort query's p95, and the alert latency.

``python -m bench.census [--people N] [--database postgres|sqlite]`` generates the fixed-seed
population (100,000 by default), starts the four sandboxes as their own processes, syncs it
into an empty database (every worker is then marked for the census), and measures:

1. the census: ``pmihub census``'s code over every marked worker, in batches (workers/s, the
   upstream calls per agency, the projection to 1,000,000 workers);
2. the cohort query: a hub process on that database, ``Query.cohort`` over HTTP with the
   identity and phone of 50 workers per page, for a spread of filters (p50, p95);
3. the alert latency: with the hub's census loop every second and a webhook registered, a
   cover is ended at BPJS, ``pmihub sync``'s code runs at once, and the time from the agency's
   change to the signed webhook's arrival is taken for a few workers (median, max).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.harness import sandbox_client
from bench.sync import (
    AGENCIES,
    AS_OF,
    SyncRun,
    database,
    measure,
    print_run,
    sandboxes,
    scenario_file,
)
from connectors.sandbox.serve import LoopbackServer, free_port
from hub.census import Census
from hub.census.run import CENSUS
from hub.crosswalk import Pseudonymizer
from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.storage import make_engine
from hub.sync import sync_all
from schema.scenario.loader import validate_people
from schema.scenario.models import Person

DEFAULT_PEOPLE = 100_000
PROJECTED = 1_000_000
COHORT = """query BenchCohort($f: CohortFilter!) { cohort(filter: $f, first: 50) {
  totalCount edges { level lastContactOn node { id identity { fullName phone } } } } }"""
REGISTER = """mutation Reg($url: String!) { registerWebhook(url: $url) { secret } }"""


async def _census(environ: dict[str, str]) -> Any:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        return await Census(hub).run()


def sandbox_calls(demo: Any, reset: bool = False) -> dict[str, int]:
    out = {}
    for agency in AGENCIES:
        with sandbox_client(demo, agency) as client:
            out[agency] = int(client.get("/_sandbox/stats").json()["total"])
            if reset:
                client.delete("/_sandbox/stats")
    return out


def measure_census(run: SyncRun, demo: Any) -> float:
    sandbox_calls(demo, reset=True)
    started = time.perf_counter()
    report = asyncio.run(_census(run.environ))
    seconds = time.perf_counter() - started
    calls = sandbox_calls(demo)
    rate = report.evaluated / seconds
    print(
        f"census: {report.evaluated:,} workers in {seconds:.1f} s = {rate:,.0f} workers/s; "
        f"1,000,000 projected in {PROJECTED / rate / 60:.1f} min"
    )
    print(
        f"   {report.batches} batches, {report.kept_incomplete} left incomplete, "
        f"{len(report.alerts)} alerts (a first verdict is the baseline); upstream calls "
        + ", ".join(f"{a} {n:,}" for a, n in sorted(calls.items()))
    )
    return seconds


@contextmanager
def hub_process(run: SyncRun, demo: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """A hub (one uvicorn process) on the synced database, its census loop every second."""
    from auth.demo import register_demo
    from auth.settings import AuthSettings

    port = free_port()
    env = {
        **run.environ,
        "HUB_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HUB_CENSUS_SECONDS": "1",
        "HUB_WEBHOOK_ALLOW_LOOPBACK": "true",
        "HUB_WEBHOOK_POLL_SECONDS": "1",
        "HUB_RATE_LIMIT_PER_SECOND": "100000",
        "HUB_RATE_LIMIT_BURST": "100000",
        "HUB_RESILIENCE_CACHE_TTL": "0",
        "HUB_REQUEST_DEADLINE": "60",
    }
    engine = make_engine(env["HUB_DATABASE_URL"])
    credentials = register_demo(engine, AuthSettings.from_environ(env))
    engine.dispose()
    before = len(demo.processes)
    demo.spawn(["serve", "--port", str(port)], env)
    try:
        demo.wait_for_port(port, timeout=600)
        yield f"http://127.0.0.1:{port}", {**credentials, "environ": env}
    finally:
        for process in demo.processes[before:]:
            process.terminate()
            process.wait(30)
        del demo.processes[before:]


def token(hub: str, credentials: dict[str, Any]) -> str:
    secret = credentials["clients"]["embassy-system"]["client_secret"]
    answer = httpx.post(
        f"{hub}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("embassy-system", secret),
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def filters(run: SyncRun) -> list[dict[str, Any]]:
    """A spread of crisis filters over the places and states the census holds."""
    engine = make_engine(run.database_url)
    with engine.connect() as connection:
        places = connection.execute(
            select(CENSUS.c.mission_code, CENSUS.c.city, func.count())
            .where(CENSUS.c.mission_code.is_not(None), CENSUS.c.city.is_not(None))
            .group_by(CENSUS.c.mission_code, CENSUS.c.city)
            .order_by(func.count().desc())
            .limit(20)
        ).all()
    engine.dispose()
    out: list[dict[str, Any]] = [{"missionCode": m, "city": c} for m, c, _ in places]
    out += [{"missionCode": m, "levels": ["EMERGENCY", "UNPROTECTED"]} for m, _, _ in places[:5]]
    out += [{"country": "MY", "lastContactOlderThanDays": 180}, {"levels": ["EMERGENCY"]}]
    return out


def measure_cohort(hub: str, bearer: str, chosen: list[dict[str, Any]], rounds: int) -> None:
    headers = {"Authorization": f"Bearer {bearer}", "X-Purpose": "EMERGENCY"}
    times: list[float] = []
    sizes: list[int] = []
    with httpx.Client(base_url=hub, headers=headers, timeout=120) as client:
        for n in range(rounds):
            variables = {"f": chosen[n % len(chosen)]}
            started = time.perf_counter()
            body = client.post("/graphql", json={"query": COHORT, "variables": variables}).json()
            times.append((time.perf_counter() - started) * 1000)
            if "errors" in body:
                raise RuntimeError(body["errors"][:1])
            sizes.append(body["data"]["cohort"]["totalCount"])
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"cohort: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms over {rounds} "
        f"requests of 50 workers with identity and phone (cohorts of {min(sizes):,} to "
        f"{max(sizes):,} workers)"
    )


class Hooks:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            body = json.loads(await request.body())
            if body.get("event") == "protection.alert":
                with self.lock:
                    self.arrived.setdefault(body["alert"]["workerId"], time.perf_counter())
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


NIK = re.compile(rb'"nik":"([0-9]+)"')


def people_by_nik(scenario: Path, niks: set[str]) -> dict[str, Person]:
    """The scenario's people with these NIKs, read one line at a time (the generator writes a
    person a line): the whole 100,000-person scenario loaded as models took about 2 GB in
    this process, beside the four sandboxes' own copies."""
    found: dict[str, Person] = {}
    with scenario.open("rb") as lines:
        for line in lines:
            if not line.startswith(b'{"key":') or not any(
                m.group(1).decode() in niks for m in NIK.finditer(line)
            ):
                continue
            (person,) = validate_people(json.loads(line.rstrip().rstrip(b",")))
            if person.nik in niks:
                found[person.nik] = person
                if len(found) == len(niks):
                    break
    return found


def protected_abroad(run: SyncRun, hub: str, bearer: str, count: int) -> list[tuple[str, Any]]:
    """Workers PROTECTED and abroad, with their scenario person (by NIK)."""
    engine = make_engine(run.database_url)
    with engine.connect() as connection:
        ids = list(
            connection.execute(
                select(CENSUS.c.worker_id)
                .where(CENSUS.c.level == "PROTECTED", CENSUS.c.abroad.is_(True))
                .order_by(CENSUS.c.worker_id)
                .limit(count * 5)
            ).scalars()
        )
    engine.dispose()
    headers = {"Authorization": f"Bearer {bearer}", "X-Purpose": "EMERGENCY"}
    niks: dict[str, str] = {}
    with httpx.Client(base_url=hub, headers=headers, timeout=60) as client:
        for worker_id in ids:
            body = client.post(
                "/graphql",
                json={
                    "query": "query($i: ID!) { worker(id: $i) { identity { nik } } }",
                    "variables": {"i": worker_id},
                },
            ).json()
            nik = ((body.get("data") or {}).get("worker") or {}).get("identity", {}).get("nik")
            if nik:
                niks[worker_id] = nik
    people = people_by_nik(run.scenario, set(niks.values()))
    out = []
    for worker_id, nik in niks.items():
        person = people.get(nik)
        if person is not None and len(person.bpjs) == 1:
            out.append((worker_id, person))
    return out[:count]


def measure_alerts(run: SyncRun, demo: Any, hub: str, bearer: str, count: int) -> None:
    hooks = Hooks()
    server = LoopbackServer(hooks.app()).start()
    headers = {"Authorization": f"Bearer {bearer}", "X-Purpose": "EMERGENCY"}
    try:
        answer = httpx.post(
            f"{hub}/graphql",
            json={"query": REGISTER, "variables": {"url": f"{server.url}/hook"}},
            headers=headers,
            timeout=30,
        ).json()
        if "errors" in answer:
            raise RuntimeError(answer["errors"][:1])
        latencies = []
        for worker_id, person in protected_abroad(run, hub, bearer, count):
            ended = person.model_dump(mode="json", exclude_none=True)
            for coverage in ended["bpjs"][0]["coverages"]:
                if date.fromisoformat(coverage["end"]) >= AS_OF:
                    coverage["end"] = (AS_OF - timedelta(days=3)).isoformat()
            started = time.perf_counter()
            with sandbox_client(demo, "bpjs") as bpjs:
                bpjs.post("/_sandbox/people", json=ended).raise_for_status()
            asyncio.run(_sync(run.environ))
            deadline = started + 120
            while worker_id not in hooks.arrived and time.perf_counter() < deadline:
                time.sleep(0.01)
            if worker_id in hooks.arrived:
                latencies.append(hooks.arrived[worker_id] - started)
        if not latencies:
            raise RuntimeError("no alert reached the webhook")
        print(
            f"alert latency (agency change -> sync -> census -> signed webhook): median "
            f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s over "
            f"{len(latencies)} workers (census loop every 1 s, sync run at once)"
        )
    finally:
        server.stop()


async def _sync(environ: dict[str, str]) -> None:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.census", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--rounds", type=int, default=200, help="cohort requests")
    parser.add_argument("--alerts", type=int, default=5, help="workers whose cover ends")
    args = parser.parse_args(argv)
    os.environ.setdefault("HUB_TODAY", AS_OF.isoformat())
    scenario = scenario_file(args.people)
    with tempfile.TemporaryDirectory(prefix="pmihub-bench-census-") as tmp:
        directory = Path(tmp)
        with sandboxes(scenario, directory) as demo, database(args.database, directory) as url:
            run = measure(args.people, demo, url)
            print_run(run, args.database)
            run.environ["HUB_TODAY"] = AS_OF.isoformat()
            measure_census(run, demo)
            with hub_process(run, demo) as (hub, credentials):
                bearer = token(hub, credentials)
                measure_cohort(hub, bearer, filters(run), args.rounds)
                measure_alerts(run, demo, hub, bearer, args.alerts)


if __name__ == "__main__":
    main()
