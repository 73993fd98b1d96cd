"""The audit trail's cost per request: one batch of three entries (one request returning three
workers), recorded sequentially and from 8 threads, on SQLite (WAL) and, when reachable, on
PostgreSQL (``HUB_TEST_POSTGRES_URL``); then the time ``audit verify`` takes over the chain.

Standalone (no sandboxes): ``python -m bench.audit [--requests N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.engine import Engine

from hub.audit import AccessEntry, AuditTrail
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow
from hub.demo import Demo
from hub.storage import make_engine
from hub.storage.migrate import upgrade

TABLES = [AuditEntryRow.__table__, AuditHeadRow.__table__, AuditCheckpointRow.__table__]  # type: ignore[attr-defined]
PG_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _batch(n: int) -> list[AccessEntry]:
    return [
        AccessEntry(
            client_id="bench-client",
            subject="officer",
            agency="P2MI",
            purpose="CASE_HANDLING",
            operation="WorkerView",
            request_id=f"req-{n}",
            worker_id=f"wk_{(3 * n + i) % 10_000:020x}",
            categories=frozenset({"identity", "placement", "protection"}),
        )
        for i in range(3)
    ]


@contextmanager
def _sqlite() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'hub.db'}")
        yield engine
        engine.dispose()


@contextmanager
def _postgres() -> Iterator[Engine | None]:
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pmihub_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        yield None
        return
    engine = make_engine(PG_URL.rsplit("/", 1)[0] + f"/{name}", pool_size=10)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(label: str, engine: Engine, requests: int) -> None:
    upgrade(engine)
    AuditEntryRow.metadata.create_all(engine, tables=TABLES, checkfirst=True)
    trail = AuditTrail(engine, AuditSigner(Ed25519PrivateKey.generate()))
    trail.record(_batch(0))  # warm the pool
    costs = []
    for n in range(1, requests + 1):
        started = time.perf_counter()
        trail.record(_batch(n))
        costs.append(time.perf_counter() - started)
    costs.sort()
    p50, p99 = costs[len(costs) // 2], costs[int(len(costs) * 0.99) - 1]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: trail.record(_batch(n)), range(requests, 2 * requests)))
    rate = requests / (time.perf_counter() - started)
    started = time.perf_counter()
    report = trail.verify()
    verify_s = time.perf_counter() - started
    print(
        f"   {label:<10} record p50 {p50 * 1e3:6.2f} ms  p99 {p99 * 1e3:6.2f} ms  "
        f"mean {statistics.fmean(costs) * 1e3:6.2f} ms  8 threads {rate:7.0f} req/s  "
        f"verify {report.entries} entries {verify_s:5.2f} s ({'ok' if report.ok else 'BROKEN'})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args(argv)
    print(f"audit trail: {args.requests} requests of 3 entries each")
    with _sqlite() as engine:
        measure("sqlite", engine, args.requests)
    with _postgres() as pg:
        if pg is None:
            print(f"   postgres   skipped: not reachable at {PG_URL}")
        else:
            measure("postgres", pg, args.requests)


class _NoTrail:
    """Stands in for the audit trail in the "without" run of this benchmark only."""

    def record(self, entries: object) -> None:
        return None


def hub_ratio(demo: Demo, seconds: float = 6.0, concurrency: int = 16) -> None:
    """The hub's throughput with the audit trail and without it, in one run: an in-process
    hub over the demo's sandboxes and database, the trail swapped out for the second run."""
    from bench.gateway import _throughput, hub_headers
    from connectors.sandbox.serve import LoopbackServer
    from hub.app import create_app
    from hub.settings import Settings

    env = {**os.environ, **demo.hub_env}
    app = create_app(Settings.from_environ(env))
    worker = demo.showcase  # type: ignore[attr-defined]
    with LoopbackServer(app) as hub:
        url, headers = f"{hub.url}/graphql", hub_headers(demo)
        asyncio.run(_throughput(url, worker, 1, concurrency, headers))  # warm-up
        started = time.perf_counter()
        audited = asyncio.run(_throughput(url, worker, seconds, concurrency, headers))
        with_rate = audited / (time.perf_counter() - started)
        app.state.hub.audit = _NoTrail()
        started = time.perf_counter()
        plain = asyncio.run(_throughput(url, worker, seconds, concurrency, headers))
        without_rate = plain / (time.perf_counter() - started)
    print(
        f"audit trail on the request path: throughput with / without = "
        f"{with_rate / without_rate:.2f}\n"
        f"   with {with_rate:.0f} requests/s, without {without_rate:.0f} requests/s "
        f"(one worker's full view, concurrency {concurrency}, SQLite, hub in the bench process)"
    )


def run(demo: Demo) -> None:
    """Entry point for ``make bench``: the trail's own cost, then its cost to the hub."""
    main([])
    hub_ratio(demo)


if __name__ == "__main__":
    main()
