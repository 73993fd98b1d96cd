"""The hub against its Apollo peer, in one interleaved run on the same stack (issue 16 item 5).

The peer is the setup a team would otherwise build: @apollo/gateway (pinned, from the npm
registry; bench/peer/package-lock.json) composing five Strawberry subgraphs, one per agency
over the project's own connector for it, and one for the crosswalk and the sections that merge
agencies (bench/peer/subgraphs.py). Both serve the same sandboxes, database (the synced demo
population) and query (``EXAMPLE_QUERY``, one worker's full view). Printed, hub / peer:

a. latency: p50 with every sandbox at 20 ms, against the slowest agency's own p50, the two
   asked in turn for the same worker (which one goes first alternates), every pair another
   worker;
b. requests/s at concurrency 32, sandboxes at 0 ms, over 400 distinct workers, in rounds that
   take turns: the hub on one process (the demo's), the hub on two (``pmihub serve --workers
   2``), the peer (six processes), and again;
c. CPU per request over those rounds (the hub's process; the gateway's and the subgraphs');
d. resident memory after the rounds (the hub's process; the gateway's and subgraphs' summed);
e. the answers compared: ``data`` as canonical JSON (sorted keys), ``sources[].fetchedAt`` left
   out (the moment each read the agencies), for every worker of the latency run.

Without Node.js and npm the peer is skipped with a message saying so.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson

from bench.gateway import _throughput, _upstream_latencies, hub_headers
from bench.harness import (
    cpu_seconds,
    demo_stack,
    known_workers,
    percentile,
    rss_kib,
    serve_hub,
    set_faults,
    tree_cpu_seconds,
)
from bench.peer.stack import Peer, PeerUnavailable, peer_stack
from hub.demo import Demo
from hub.demo_text import EXAMPLE_QUERY

DISTINCT = 400


def comparable(body: dict[str, Any]) -> bytes:
    """An answer's ``data`` as canonical JSON, without the moment each source was read."""
    data = body.get("data")
    worker = (data or {}).get("worker")
    if worker and worker.get("sources"):
        sources = [{k: v for k, v in s.items() if k != "fetchedAt"} for s in worker["sources"]]
        data = {**data, "worker": {**worker, "sources": sources}}
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def differences(hub: Any, peer: Any, path: str = "") -> list[str]:
    """Where two decoded answers differ (paths), for the report."""
    if isinstance(hub, dict) and isinstance(peer, dict):
        return [
            d
            for key in sorted(set(hub) | set(peer))
            for d in differences(hub.get(key), peer.get(key), f"{path}.{key}")
        ]
    if isinstance(hub, list) and isinstance(peer, list) and len(hub) == len(peer):
        pairs = enumerate(zip(hub, peer, strict=True))
        return [d for i, (a, b) in pairs for d in differences(a, b, f"{path}[{i}]")]
    return [] if hub == peer else [path or "."]


async def _pairs(
    hub_url: str, peer_url: str, workers: list[str], headers: dict[str, str]
) -> tuple[list[float], list[float], list[tuple[str, dict[str, Any], dict[str, Any]]]]:
    """Each worker asked of both in turn; the latencies and the two answers."""
    hub_ms: list[float] = []
    peer_ms: list[float] = []
    answers = []
    async with (
        httpx.AsyncClient(timeout=30, headers=headers) as hub,
        httpx.AsyncClient(timeout=30) as peer,
    ):

        async def ask(client: httpx.AsyncClient, url: str, worker_id: str) -> tuple[float, Any]:
            payload = {"query": EXAMPLE_QUERY, "variables": {"id": worker_id}}
            started = time.perf_counter()
            response = await client.post(url, json=payload)
            return (time.perf_counter() - started) * 1000, response.json()

        for i, worker_id in enumerate(workers):
            if i % 2 == 0:
                (h, hub_body), (p, peer_body) = (
                    await ask(hub, hub_url, worker_id),
                    await ask(peer, peer_url, worker_id),
                )
            else:
                (p, peer_body), (h, hub_body) = (
                    await ask(peer, peer_url, worker_id),
                    await ask(hub, hub_url, worker_id),
                )
            hub_ms.append(h)
            peer_ms.append(p)
            answers.append((worker_id, hub_body, peer_body))
    return hub_ms, peer_ms, answers


def _rounds(
    targets: dict[str, tuple[str, dict[str, str], Callable[[], float]]],
    workers: list[str],
    seconds: float,
    rounds: int,
) -> dict[str, tuple[float, float]]:
    """Requests/s and CPU ms per request of each target, measured in alternating rounds."""
    count = dict.fromkeys(targets, 0)
    wall = dict.fromkeys(targets, 0.0)
    cpu = dict.fromkeys(targets, 0.0)
    for url, headers, _ in targets.values():  # warm-up: connections, caches, JIT
        asyncio.run(_throughput(url, workers[::-1], 2, 32, headers))
    for _ in range(rounds):
        for name, (url, headers, cpu_of) in targets.items():
            before, started = cpu_of(), time.perf_counter()
            count[name] += asyncio.run(_throughput(url, workers, seconds, 32, headers))
            wall[name] += time.perf_counter() - started
            cpu[name] += cpu_of() - before
    return {n: (count[n] / wall[n], cpu[n] / max(count[n], 1) * 1000) for n in targets}


def compare(demo: Demo, peer: Peer, requests: int, seconds: float, rounds: int) -> None:
    hub_url = f"{demo.endpoints()['hub']}/graphql"
    headers = hub_headers(demo)
    workers = sorted(set(known_workers(demo, DISTINCT)))
    set_faults(demo, latencyMs=20)
    try:
        upstream = asyncio.run(_upstream_latencies(demo, workers[0], min(requests, 100)))
        asyncio.run(_pairs(hub_url, peer.url, workers[-5:], headers))  # warm-up
        pick = [workers[i % len(workers)] for i in range(requests)]
        hub_ms, peer_ms, answers = asyncio.run(_pairs(hub_url, peer.url, pick, headers))
    finally:
        set_faults(demo, latencyMs=0)
    p50s = {code: statistics.median(times) for code, times in upstream.items()}
    slowest = max(p50s, key=p50s.__getitem__)
    hub_p50, peer_p50 = statistics.median(hub_ms), statistics.median(peer_ms)

    subgraphs = [pid for name, pid in peer.pids.items() if name != "gateway"]

    def peer_cpu() -> float:
        return sum(cpu_seconds(pid) for pid in peer.pids.values())

    before = {name: cpu_seconds(pid) for name, pid in peer.pids.items()}
    with serve_hub(demo, 2) as (pid, url):  # the hub as it scales: pmihub serve --workers 2
        targets = {
            "hub": (hub_url, headers, lambda: cpu_seconds(demo.hub_pid)),
            "hub2": (f"{url}/graphql", headers, lambda: tree_cpu_seconds(pid)),
            "peer": (peer.url, {}, peer_cpu),
        }
        measured = _rounds(targets, workers, seconds, rounds)
    spent = {name: cpu_seconds(pid) - before[name] for name, pid in peer.pids.items()}
    shares = ", ".join(f"{name} {value / sum(spent.values()):.0%}" for name, value in spent.items())
    hub_rss = rss_kib(demo.hub_pid) / 1024
    gateway_rss = rss_kib(peer.pids["gateway"]) / 1024
    peer_rss = gateway_rss + sum(rss_kib(pid) for pid in subgraphs) / 1024

    same = [w for w, h, p in answers if comparable(h) == comparable(p)]
    errors = sum(1 for _, h, p in answers if h.get("errors") or p.get("errors"))
    (hub_rate, hub_cpu), (peer_rate, peer_cpu_ms) = measured["hub"], measured["peer"]
    hub2_rate, hub2_cpu = measured["hub2"]
    print(
        f"apollo: hub / peer in one interleaved run ({len(workers)} distinct workers; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end)\n"
        f"  latency p50, sandboxes at 20 ms, {requests} requests each: hub {hub_p50:.1f} ms "
        f"({hub_p50 / p50s[slowest]:.2f} x the slowest agency, target <= 1.15), peer "
        f"{peer_p50:.1f} ms ({peer_p50 / p50s[slowest]:.2f} x); "
        f"hub / peer {hub_p50 / peer_p50:.2f}\n"
        f"    p99 hub {percentile(hub_ms, 99):.1f} ms, peer {percentile(peer_ms, 99):.1f} ms; "
        "agencies' own p50: "
        + ", ".join(f"{code} {value:.1f} ms" for code, value in p50s.items())
        + f"\n  requests/s at concurrency 32, sandboxes at 0 ms, {rounds} rounds of "
        f"{seconds:.0f} s each: hub {hub_rate:.0f}, peer {peer_rate:.0f}; hub / peer "
        f"{hub_rate / peer_rate:.2f} (target >= 1.5)\n"
        f"    pmihub serve --workers 2: {hub2_rate:.0f} requests/s, / peer "
        f"{hub2_rate / peer_rate:.2f}; CPU {hub2_cpu:.1f} ms per request\n"
        f"  CPU per request: hub {hub_cpu:.1f} ms, peer {peer_cpu_ms:.1f} ms "
        f"({shares}); hub / peer {hub_cpu / peer_cpu_ms:.2f}\n"
        f"  RSS: hub {hub_rss:.0f} MiB, peer {peer_rss:.0f} MiB (gateway {gateway_rss:.0f}, "
        f"{len(subgraphs)} subgraphs {peer_rss - gateway_rss:.0f}); hub / peer "
        f"{hub_rss / peer_rss:.2f}\n"
        f"  answers: {len(same)} of {len(answers)} workers identical (data as canonical JSON, "
        f"sources.fetchedAt left out); answers with errors: {errors}"
    )
    for worker_id, hub_body, peer_body in answers:
        if worker_id not in same:
            hub_data, peer_data = (orjson.loads(comparable(b)) for b in (hub_body, peer_body))
            where = differences(hub_data, peer_data)
            print(f"    first that differs, {worker_id}: {', '.join(where[:6])}")
            break


def run(demo: Demo, requests: int = 200, seconds: float = 6.0, rounds: int = 3) -> None:
    try:
        with peer_stack(demo.hub_env) as peer:
            compare(demo, peer, requests, seconds, rounds)
    except PeerUnavailable as exc:
        print(f"apollo: the peer is skipped: {exc}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.apollo")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=6.0, help="per throughput round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with demo_stack(args.people) as demo:
        run(demo, args.requests, args.seconds, args.rounds)


if __name__ == "__main__":
    main()
