"""The gateway's cost, measured against the sandboxes over loopback in one run (the batch
path, ``workers(ids: 1000)``, is bench/batch.py).

a. fan-out: one worker's full view with every sandbox at 20 ms: hub p50/p99 and the ratio
   hub p50 / slowest upstream p50 (limit 1.0 is impossible; target at most 1.15);
b. throughput: one worker's full view at concurrency 32, sandboxes at 0 ms, hub on one
   uvicorn worker, every request for another worker: requests per second and the hub's CPU
   time per request.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx
from sqlmodel import Session, col, select

from bench.harness import (
    cpu_seconds,
    demo_stack,
    known_workers,
    loop_thread_seconds,
    percentile,
    set_faults,
)
from hub.crosswalk import AgencyRecordRow
from hub.demo import Demo
from hub.demo_text import EXAMPLE_QUERY
from hub.registry import build_connectors
from hub.settings import Settings
from hub.storage import make_engine


def hub_headers(demo: Demo) -> dict[str, str]:
    """What every query needs: a demo client's token and a declared purpose."""
    return {"Authorization": f"Bearer {demo.access_token()}", "X-Purpose": "EMERGENCY"}


async def _hub_latencies(url: str, worker_id: str, n: int, headers: dict[str, str]) -> list[float]:
    out = []
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:
        payload = {"query": EXAMPLE_QUERY, "variables": {"id": worker_id}}
        for _ in range(n):
            started = time.perf_counter()
            response = await client.post(url, json=payload)
            out.append((time.perf_counter() - started) * 1000)
            body = response.json()
            assert "errors" not in body, body.get("errors")
    return out


async def _upstream_latencies(demo: Demo, worker_id: str, n: int) -> dict[str, list[float]]:
    settings = Settings.from_environ(demo.hub_env)
    connectors = build_connectors(settings.agencies)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        links = session.exec(
            select(AgencyRecordRow).where(col(AgencyRecordRow.worker_id) == worker_id)
        ).all()
    out: dict[str, list[float]] = {}
    try:
        for code, connector in connectors.items():
            ids = [link.local_id for link in links if link.agency == code]
            await connector.fetch(ids)  # warm the connection and any token
            times = []
            for _ in range(n):
                started = time.perf_counter()
                await connector.fetch(ids)
                times.append((time.perf_counter() - started) * 1000)
            out[code] = times
    finally:
        for connector in connectors.values():
            await connector.aclose()
        engine.dispose()
    return out


def fan_out(demo: Demo, n: int) -> None:
    worker_id = demo.showcase  # type: ignore[attr-defined]
    set_faults(demo, latencyMs=20)
    try:
        upstream = asyncio.run(_upstream_latencies(demo, worker_id, n))
        url, headers = f"{demo.endpoints()['hub']}/graphql", hub_headers(demo)
        asyncio.run(_hub_latencies(url, worker_id, 5, headers))
        hub = asyncio.run(_hub_latencies(url, worker_id, n, headers))
    finally:
        set_faults(demo, latencyMs=0)
    p50s = {code: statistics.median(times) for code, times in upstream.items()}
    slowest = max(p50s, key=p50s.__getitem__)
    hub_p50 = statistics.median(hub)
    ratio = hub_p50 / p50s[slowest]
    print(
        f"fan-out: hub p50 / slowest upstream p50 = {ratio:.2f} (target <= 1.15)\n"
        f"  hub p50 {hub_p50:.1f} ms, p99 {percentile(hub, 99):.1f} ms over {n} requests\n"
        "  upstream p50: " + ", ".join(f"{code} {value:.1f} ms" for code, value in p50s.items())
    )


async def _throughput(
    url: str, workers: list[str], seconds: float, concurrency: int, headers: dict[str, str]
) -> int:
    """Requests answered in ``seconds``; each asks for the next worker of ``workers`` (distinct
    workers: identical in-flight lookups would coalesce and flatter the hub)."""
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits, headers=headers) as client:

        async def run() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                worker_id = workers[done % len(workers)]
                payload = {"query": EXAMPLE_QUERY, "variables": {"id": worker_id}}
                response = await client.post(url, json=payload)
                response.raise_for_status()
                done += 1

        await asyncio.gather(*(run() for _ in range(concurrency)))
    return done


def throughput(demo: Demo, seconds: float, concurrency: int = 32) -> None:
    url = f"{demo.endpoints()['hub']}/graphql"
    workers = known_workers(demo, 5000)
    headers = hub_headers(demo)
    asyncio.run(_throughput(url, workers[::-1], 2, concurrency, headers))  # warm-up
    cpu_before, loop_before = cpu_seconds(demo.hub_pid), loop_thread_seconds(demo.hub_pid)
    started = time.perf_counter()
    count = asyncio.run(_throughput(url, workers, seconds, concurrency, headers))
    wall = time.perf_counter() - started
    cpu = cpu_seconds(demo.hub_pid) - cpu_before
    loop = loop_thread_seconds(demo.hub_pid) - loop_before
    print(
        f"throughput: {count / wall:.0f} requests/s at concurrency {concurrency} "
        f"(one uvicorn worker, sandboxes at 0 ms, {min(count, len(set(workers)))} "
        "distinct workers)\n"
        f"  hub CPU {cpu / count * 1000:.2f} ms per request; {count} requests in {wall:.1f} s; "
        f"hub CPU share {cpu / wall:.0%} of one core\n"
        f"  of which the event loop's thread {loop / count * 1000:.2f} ms, the other threads "
        f"(offloaded database calls) {(cpu - loop) / count * 1000:.2f} ms per request"
    )


def run(demo: Demo, requests: int = 200, seconds: float = 10.0) -> None:
    fan_out(demo, requests)
    throughput(demo, seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gateway")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    with demo_stack(args.people) as demo:
        run(demo, args.requests, args.seconds)


if __name__ == "__main__":
    main()
