"""Scaling across processes: ``pmihub serve --workers 2`` against the one-process hub.

Both serve the same sandboxes (0 ms) and database; the load is one worker's full view at
concurrency 32, every request for another worker known to all four agencies. Printed:
requests per second of each and their ratio (2.0 would be perfect scaling; on a 2-core
machine the four sandbox processes and the load generator share the cores with the hub,
so the ratio says how much of the machine one hub process could not use), and CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.gateway import _throughput, hub_headers
from bench.harness import cpu_seconds, demo_stack, known_workers, serve_hub, tree_cpu_seconds
from bench.sync import database
from hub.demo import Demo


def _measure(
    url: str, workers: list[str], headers: dict[str, str], seconds: float, cpu: Callable[[], float]
) -> tuple[float, float]:
    """Requests per second and hub CPU ms per request."""
    asyncio.run(_throughput(url, workers[::-1], 5, 32, headers))  # warm-up: every process
    before, started = cpu(), time.perf_counter()
    count = asyncio.run(_throughput(url, workers, seconds, 32, headers))
    wall = time.perf_counter() - started
    return count / wall, (cpu() - before) / count * 1000


def run(demo: Demo, seconds: float = 10.0, processes: int = 2) -> None:
    workers = known_workers(demo, 5000)
    headers = hub_headers(demo)
    one_url = f"{demo.endpoints()['hub']}/graphql"
    one = _measure(one_url, workers, headers, seconds, lambda: cpu_seconds(demo.hub_pid))
    with serve_hub(demo, processes) as (pid, url):
        many = _measure(f"{url}/graphql", workers, headers, seconds, lambda: tree_cpu_seconds(pid))
    load = os.getloadavg()[0]
    print(
        f"processes: {processes} hub processes / 1 = {many[0] / one[0]:.2f} x the requests/s "
        f"(concurrency 32, sandboxes at 0 ms, distinct workers)\n"
        f"  1 process  {one[0]:6.0f} requests/s, hub CPU {one[1]:.2f} ms per request\n"
        f"  {processes} processes {many[0]:6.0f} requests/s, hub CPU {many[1]:.2f} ms per request\n"
        f"  {os.cpu_count()} cores, load average {load:.1f} at the end"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.processes")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", help="HUB_REDIS_URL: the shared cache and rate limit")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="pmihub-bench-") as directory,
        database(args.database, Path(directory)) as url,
    ):
        extra = {}
        if args.redis:  # a prefix of its own: nothing the bench caches reaches another hub
            extra = {
                "HUB_REDIS_URL": args.redis,
                "HUB_REDIS_PREFIX": f"pmihub:bench:{os.getpid()}:",
            }
        if args.database == "postgres":
            extra["HUB_DATABASE_URL"] = url
        with demo_stack(args.people, extra) as demo:
            print(f"processes bench on {args.database}" + (" and Redis" if args.redis else ""))
            run(demo, args.seconds, args.processes)


if __name__ == "__main__":
    main()
