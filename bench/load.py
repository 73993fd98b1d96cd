"""Load: 200 clients for 60 s over a mix of the main queries, two hub processes.

``pmihub serve --workers 2`` on PostgreSQL and Redis (``--database``/``--redis``), the four
sandboxes at 20 ms, every request for other workers. Printed: requests, 5xx answers, errors
without a typed code, p50/p99, the hub processes' RSS growth from the 10th second to the end
(target under 10%), and the audit trail against the personal-data reads answered (entries
must equal the workers returned: nothing lost, nothing extra).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.gateway import hub_headers
from bench.harness import (
    demo_stack,
    known_workers,
    percentile,
    rss_kib,
    serve_hub,
    set_faults,
)
from bench.sync import database
from hub.audit.tables import AuditEntryRow
from hub.demo import Demo
from hub.demo_text import EXAMPLE_QUERY
from hub.settings import Settings
from hub.storage import make_engine

BATCH = EXAMPLE_QUERY.replace("query OneWorker($id: ID!)", "query Many($ids: [ID!]!)").replace(
    "worker(id: $id)", "workers(ids: $ids)"
)
ME = "{ me { clientId scopes } }"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    untyped: int = 0
    failed: Counter[str] = field(default_factory=Counter)  # no answer, by exception
    workers_read: int = 0


def _audit_reads(demo: Demo) -> int:
    engine = make_engine(Settings.from_environ(demo.hub_env).database_url)
    try:
        with engine.connect() as connection:
            table = AuditEntryRow.__table__  # type: ignore[attr-defined]
            query = select(func.count()).where(table.c.outcome == "READ")
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


async def _client(
    http: httpx.AsyncClient, url: str, workers: list[str], deadline: float, tally: Tally, seed: int
) -> None:
    pick = random.Random(seed)
    while time.perf_counter() < deadline:
        roll = pick.random()
        if roll < 0.6:
            body: dict[str, Any] = {
                "query": EXAMPLE_QUERY,
                "variables": {"id": pick.choice(workers)},
            }
        elif roll < 0.85:
            body = {"query": BATCH, "variables": {"ids": pick.sample(workers, 5)}}
        else:
            body = {"query": ME}
        started = time.perf_counter()
        try:
            response = await http.post(url, json=body)
        except httpx.HTTPError as exc:
            tally.failed[type(exc).__name__] += 1
            continue
        tally.latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 500:
            tally.server_errors += 1
            continue
        answer = response.json()
        errors = answer.get("errors") or []
        tally.untyped += sum(1 for e in errors if not (e.get("extensions") or {}).get("code"))
        data = answer.get("data") or {}
        found = data.get("workers") or ([data["worker"]] if data.get("worker") else [])
        tally.workers_read += sum(1 for w in found if w is not None)


async def _load(
    url: str, workers: list[str], headers: dict[str, str], seconds: float, clients: int, pid: int
) -> tuple[Tally, list[int]]:
    tally, rss = Tally(), []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.perf_counter() + seconds

    async def sample() -> None:
        while time.perf_counter() < deadline:
            rss.append(rss_kib(pid))
            await asyncio.sleep(1)

    async with httpx.AsyncClient(timeout=60, limits=limits, headers=headers) as http:
        await asyncio.gather(
            sample(), *(_client(http, url, workers, deadline, tally, i) for i in range(clients))
        )
    return tally, rss


def run(demo: Demo, seconds: float = 60.0, clients: int = 200) -> None:
    workers = sorted(set(known_workers(demo, 5000)))
    headers = hub_headers(demo)
    set_faults(demo, latencyMs=20)
    try:
        with serve_hub(demo, 2) as (pid, url):
            before = _audit_reads(demo)
            tally, rss = asyncio.run(
                _load(f"{url}/graphql", workers, headers, seconds, clients, pid)
            )
            entries = _audit_reads(demo) - before
    finally:
        set_faults(demo, latencyMs=0)
    base = rss[min(10, len(rss) - 1)]
    growth = (rss[-1] - base) / base
    n = len(tally.latencies)
    print(
        f"load: {clients} clients for {seconds:.0f} s, 2 hub processes, sandboxes at 20 ms: "
        f"{n} answers ({n / seconds:.0f}/s), 5xx {tally.server_errors}, untyped errors "
        f"{tally.untyped}, no answer {sum(tally.failed.values())} {dict(tally.failed)}\n"
        f"  p50 {percentile(tally.latencies, 50):.0f} ms, "
        f"p99 {percentile(tally.latencies, 99):.0f} ms"
        f"; RSS {base / 1024:.0f} -> {rss[-1] / 1024:.0f} MiB from the 10th second "
        f"({growth:+.1%}, target < +10%)\n"
        f"  RSS every 10 s (MiB): {' '.join(f'{kib / 1024:.0f}' for kib in rss[::10])}\n"
        f"  audit: {entries} READ entries for {tally.workers_read} workers returned "
        f"({'equal' if entries == tally.workers_read else 'DIFFERENT'})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument(
        "--redis", default=os.environ.get("HUB_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="pmihub-bench-") as directory,
        database(args.database, Path(directory)) as url,
    ):
        # the census is off on every bench stack (bench.harness): its memory is not the load's
        extra = {"HUB_REDIS_URL": args.redis, "HUB_REDIS_PREFIX": f"pmihub:bench:{os.getpid()}:"}
        if args.database == "postgres":
            extra["HUB_DATABASE_URL"] = url
        with demo_stack(args.people, extra) as demo:
            run(demo, args.seconds, args.clients)


if __name__ == "__main__":
    main()
