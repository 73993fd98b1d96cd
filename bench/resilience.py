"""The resilience layer's cost under failure, measured against the sandboxes in one run.

One worker's full view (the demo's example query), every sandbox at 20 ms, ``requests``
sequential requests per run, each on a different worker known to all four agencies (so the
response cache never answers for the agencies):

a. healthy: the baseline;
b. 10% errors: every sandbox fails one call in ten with its own 5xx;
c. one agency down: one sandbox refuses every call (503);
d. one agency hanging: the same sandbox answers only after ten times the request budget, and
   another hub process, its ``HUB_REQUEST_DEADLINE`` at ``BUDGET`` (the shared stack's is
   120 s, for the batch), answers: every answer ends when the budget does.

Prints p50/p99 of each run, of b and c as ratios to a, and of d its slowest answer as a ratio
to the budget (the tests check only that the hub does not wait for a dead agency; how close to
its budget it answers is this figure), with how many answers carried source errors.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field

import httpx

from bench.harness import (
    demo_stack,
    known_workers,
    percentile,
    sandbox_client,
    serve_hub,
    set_faults,
)
from hub.demo import Demo
from hub.demo_text import EXAMPLE_QUERY

UPSTREAM_MS = 20
BUDGET = 2.0  # seconds: run d's request budget (production's default is 5 s)
AUTH_CLIENT = "embassy-system"  # a demo client reading every section, when the hub has auth


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    source_errors: int = 0  # answers with at least one SOURCE_* error
    other_errors: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def _auth_headers(demo: Demo) -> dict[str, str]:
    """A demo client's bearer token and the purpose every query declares."""
    return {"Authorization": f"Bearer {demo.access_token()}", "X-Purpose": "EMERGENCY"}


async def _measure(url: str, headers: dict[str, str], run: Run, workers: list[str]) -> Run:
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:
        for worker_id in workers:
            payload = {"query": EXAMPLE_QUERY, "variables": {"id": worker_id}}
            started = time.perf_counter()
            response = await client.post(url, json=payload)
            run.latencies.append((time.perf_counter() - started) * 1000)
            body = response.json()
            if response.status_code != 200 or body.get("data") is None:
                raise SystemExit(
                    f"the hub refused the benchmark's query (HTTP {response.status_code}): "
                    f"{body.get('errors')}"
                )
            codes = [e.get("extensions", {}).get("code", "") for e in body.get("errors", [])]
            if any(code.startswith("SOURCE_") for code in codes):
                run.source_errors += 1
            run.other_errors += [c for c in codes if not c.startswith("SOURCE_")]
    return run


def _fault(demo: Demo, agency: str, **faults: object) -> None:
    with sandbox_client(demo, agency) as client:
        client.post("/_sandbox/faults", json=faults).raise_for_status()


def measure(demo: Demo, requests: int = 100, down: str = "bpjs") -> list[Run]:
    url = f"{demo.endpoints()['hub']}/graphql"
    headers = _auth_headers(demo)
    warm = 5
    hanging = max(2, requests // 10)  # each one costs the whole budget
    workers = known_workers(demo, 3 * (requests + warm) + hanging)
    chunks = [workers[i * (requests + warm) : (i + 1) * (requests + warm)] for i in range(3)]
    chunks.append(workers[3 * (requests + warm) :])  # the hub is warm by then
    runs = [Run("healthy"), Run("10% errors"), Run(f"{down} down"), Run(f"{down} hanging")]
    set_faults(demo, latencyMs=UPSTREAM_MS, errorRate=0.0, down=False)
    try:
        for index, (run, chunk) in enumerate(zip(runs, chunks, strict=True)):
            if index == 1:
                set_faults(demo, errorRate=0.1)
            elif index == 2:
                set_faults(demo, errorRate=0.0)
                _fault(demo, down, down=True)
            elif index == 3:  # its hub is ready (/readyz asks the agencies) before the hang
                _fault(demo, down, down=False)
                budget = {"HUB_REQUEST_DEADLINE": str(BUDGET)}
                with serve_hub(demo, settings=budget) as (_, hub):
                    _fault(demo, down, latencyMs=int(BUDGET * 10_000))
                    asyncio.run(_measure(f"{hub}/graphql", headers, run, chunk))
                continue
            asyncio.run(_measure(url, headers, Run("warm-up"), chunk[:warm]))
            asyncio.run(_measure(url, headers, run, chunk[warm:]))
    finally:
        set_faults(demo, latencyMs=0, errorRate=0.0, down=False)
    return runs


def report(runs: list[Run], budget: float = BUDGET) -> str:
    healthy, hanging = runs[0], runs[-1]
    lines = [
        f"resilience: one worker's full view, sandboxes at {UPSTREAM_MS} ms, "
        f"{len(healthy.latencies)} requests per run, each on another worker"
    ]
    for run in runs:
        line = f"  {run.name:14} p50 {run.p50:7.1f} ms  p99 {run.p99:7.1f} ms"
        if run is hanging:  # the breaker opens after a few timeouts: later answers come at once
            waited = [ms for ms in run.latencies if ms > budget * 1000 / 2]
            line += (
                f"   slowest / the {budget:g} s budget: {max(run.latencies) / 1000 / budget:.3f}"
                f" ({len(waited)} answers waited for the budget, then the breaker opened)"
            )
        elif run is not healthy:
            line += (
                f"   ratio to healthy: p50 {run.p50 / healthy.p50:.2f}, "
                f"p99 {run.p99 / healthy.p99:.2f}"
            )
        line += f"   answers with source errors: {run.source_errors}/{len(run.latencies)}"
        if run.other_errors:
            line += f"   other errors: {sorted(set(run.other_errors))}"
        lines.append(line)
    return "\n".join(lines)


def run(demo: Demo, requests: int = 100, down: str = "bpjs") -> None:
    print(report(measure(demo, requests, down)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.resilience")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--down", default="bpjs", help="the sandbox to take down in run c")
    args = parser.parse_args(argv)
    with demo_stack(args.people) as demo:
        if args.down not in demo.ports:
            parser.error(f"--down must be one of {', '.join(demo.ports)}")
        run(demo, args.requests, args.down)


if __name__ == "__main__":
    main()
