"""The statistics run's time: measured at ``--people`` (100,000 by default), projected on.

The four sandboxes run as their own processes over a fixed-seed population, synced into an
empty database (bench/sync.py); then ``StatisticsRun`` makes a release in this process, and
its two phases are timed apart:

- reading: the crosswalk in pages, the agencies' batch reads, the engine, the counting: linear
  in workers (a page at a time, memory bounded by the page and the cells);
- disclosure control: the attacker's linear programs over the tables' cells: it grows with the
  number of cells and suppressed cells, not with workers.

The projection to 1,000,000 and 5,000,000 workers scales the reading phase linearly and keeps
the disclosure phase as measured. The peak memory of the run (tracemalloc) is printed beside.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import tracemalloc
from datetime import date

from bench.sync import synced
from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.statistics.run import RunReport, StatisticsRun

DEFAULT_PEOPLE = 100_000
TARGETS = (1_000_000, 5_000_000)
AS_OF = date(2026, 11, 24)


async def _run(environ: dict[str, str], batch: int) -> RunReport:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        try:
            return await StatisticsRun(hub, batch=batch).run(AS_OF)
        finally:
            await hub.cases.aclose()


def measure(environ: dict[str, str], batch: int) -> tuple[RunReport, int]:
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(_run(environ, batch))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report.seconds = time.perf_counter() - started
    print(
        f"   the run's own process used {time.process_time() - cpu:.1f} s of CPU in "
        f"{report.seconds:.1f} s (the rest: the sandboxes, and other load on the machine)"
    )
    return report, peak


def print_report(report: RunReport, peak: int) -> None:
    rate = report.workers / report.read_seconds
    print(
        f"statistics run: {report.workers:,} workers in {report.seconds:.1f} s "
        f"(reading {report.read_seconds:.1f} s = {rate:,.0f} workers/s; disclosure control "
        f"{report.publish_seconds:.1f} s); peak Python memory {peak / 2**20:.0f} MiB"
    )
    for target in TARGETS:
        projected = target / rate + report.publish_seconds
        print(f"   {target:>9,} workers projected in {projected / 60:,.0f} min on this machine")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.statistics", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument("--batch", type=int, default=500, help="workers per page")
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    with synced(args.people) as run:
        environ = {**os.environ, **run.environ, "HUB_TODAY": AS_OF.isoformat()}
        print_report(*measure(environ, args.batch))


if __name__ == "__main__":
    main()
