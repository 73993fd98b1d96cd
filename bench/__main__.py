"""``make bench``: run every benchmark (or those named) and print their figures.

The benchmarks that need the agencies share one stack: four sandbox processes and one hub
process on loopback, over the 10,000-person demo population.
"""

from __future__ import annotations

import argparse
import importlib
import time

BENCHES = (
    "generator",
    "audit",
    "gateway",
    "apollo",
    "batch",
    "processes",
    "protection",
    "resilience",
    "search",
    "sync",
    "census",
    "linkage",
    "linker",
    "load",
    "statistics",
)
ON_STACK = ("audit", "gateway", "apollo", "batch", "processes", "protection", "resilience")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHES)}")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    names = args.names or list(BENCHES)
    if {"sync", "linkage"} <= set(names):  # linkage syncs first and prints the sync figures
        names.remove("sync")
    for name in [n for n in names if n not in ON_STACK]:
        _timed(name, lambda n=name: importlib.import_module(f"bench.{n}").main([]))
    stacked = [n for n in names if n in ON_STACK]
    if stacked:
        from bench.harness import demo_stack

        with demo_stack() as demo:
            for name in stacked:
                _timed(name, lambda n=name: importlib.import_module(f"bench.{n}").run(demo))


def _timed(name: str, run: object) -> None:
    started = time.perf_counter()
    print(f"== {name}", flush=True)
    run()  # type: ignore[operator]
    print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
