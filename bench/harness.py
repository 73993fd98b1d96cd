"""Shared bench plumbing: a demo stack on free ports, timing, the hub's CPU time."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, select

from connectors.sandbox.serve import free_port
from hub.crosswalk import AgencyRecordRow
from hub.demo import Demo
from hub.settings import Settings
from hub.storage import make_engine


@contextmanager
def demo_stack(people: int = 10_000, extra_env: dict[str, str] | None = None) -> Iterator[Demo]:
    """Four sandboxes and one hub (one uvicorn worker), each its own process, synced;
    ``extra_env`` adds hub settings (a PostgreSQL database, Redis)."""
    with tempfile.TemporaryDirectory(prefix="pmihub-bench-") as directory:
        ports = {name: free_port() for name in ("kemnaker", "p2mi", "bpjs", "embassy")}
        # The per-client rate limit would cap the throughput benchmark at its own setting, and
        # fresh hits of the response cache would measure the cache, not the fan-out (repeated
        # queries for one worker); stale-if-error stays on, as in production.
        unlimited = {
            "HUB_RATE_LIMIT_PER_SECOND": "1000000",
            "HUB_RATE_LIMIT_BURST": "1000000",
            "HUB_RESILIENCE_CACHE_TTL": "0",
            # The 1,000-worker batch is timed, not cut off at the default 5 s deadline.
            "HUB_REQUEST_DEADLINE": "120",
            "HUB_LOG_LEVEL": "WARNING",
            # The demo's census (on in the demo, off by default in production) evaluates every
            # synced worker in the background after start-up: its CPU would be counted against
            # the answers, and its reads would fill the stale cache the resilience runs measure.
            "HUB_CENSUS_SECONDS": "0",
            **(extra_env or {}),
        }
        demo = Demo(
            Path(directory), hub_port=free_port(), ports=ports, people=people, extra_env=unlimited
        )
        try:
            demo.showcase = demo.start(quiet=True)  # type: ignore[attr-defined]
            yield demo
        finally:
            demo.stop()


@contextmanager
def serve_hub(
    demo: Demo,
    workers: int = 1,
    source: str | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[tuple[int, str]]:
    """Another ``pmihub serve`` over the demo's database and sandboxes: its pid and URL;
    ``source``: the code of another checkout (its directory first on PYTHONPATH);
    ``settings``: hub settings of its own (e.g. another ``HUB_REQUEST_DEADLINE``)."""
    port = free_port()
    env = {**os.environ, **demo.hub_env, **(settings or {})}
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([source, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("pmihub serve never became ready")
        yield process.pid, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def sandbox_client(demo: Demo, agency: str) -> httpx.Client:
    """A client for a sandbox's /_sandbox endpoints (the embassy's needs the mTLS cert)."""
    url = demo.endpoints()[agency]
    if agency != "embassy":
        return httpx.Client(base_url=url, timeout=30)
    from connectors.kit.auth.mtls import client_ssl_context

    certs = demo.certificates()
    context = client_ssl_context(certs["ca_cert"], certs["client_cert"], certs["client_key"])
    return httpx.Client(base_url=url, timeout=30, verify=context)


def known_workers(demo: Demo, count: int) -> list[str]:
    """``count`` worker ids known to every agency, distinct as far as the population allows."""
    settings = Settings.from_environ(demo.hub_env)
    engine = make_engine(settings.database_url)
    agencies = len(demo.ports)
    with Session(engine) as session:
        ids = session.exec(
            select(AgencyRecordRow.worker_id)
            .group_by(col(AgencyRecordRow.worker_id))
            .having(func.count(func.distinct(col(AgencyRecordRow.agency))) == agencies)
            .order_by(col(AgencyRecordRow.worker_id))
            .limit(count)
        ).all()
    engine.dispose()
    if not ids:
        raise SystemExit("no worker is known to every agency: cannot run the benchmark")
    return [ids[i % len(ids)] for i in range(count)]  # repeats only in a tiny population


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live children (``pmihub serve --workers N``)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (``--workers N``), in KiB (Linux)."""
    pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def set_faults(demo: Demo, **faults: object) -> None:
    for agency in demo.ports:
        with sandbox_client(demo, agency) as client:
            client.post("/_sandbox/faults", json=faults).raise_for_status()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def loop_thread_seconds(pid: int) -> float:
    """CPU time of a process's main thread: the event loop of a ``pmihub serve`` process (its
    other threads run the database calls offloaded to them)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def scratch() -> Path:
    return Path(tempfile.gettempdir())
