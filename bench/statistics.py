"""The statistics run: reading from the census against reading from the agencies, in one run.

``python -m bench.statistics [--people N] [--sample N] [--database sqlite|postgres]``: the
fixed-seed population (100,000 by default) from four sandbox processes, synced into an empty
database; the census evaluates everyone (``pmihub census``'s code); then, timed apart:

- **reading from the census**: ``from_census.problems`` and ``read_census``, the set-based
  input of ``pmihub stats run`` when the census is current (GROUP BYs, no agency call);
- **reading from the agencies**: the agencies' path (``agency_rows``: pages of 500, each
  agency's batch reads, the engine, the counting) over the first ``--sample`` workers (all of
  them when the sample is 0 or at least the population), as a rate;
- **one full run from the census** (``StatisticsRun(source="census")``): reading plus the
  disclosure control, which grows with the tables' cells and suppressed cells, not workers.

The figure is the ratio of the two reading rates (census / agencies), both measured here;
the census's own time (it runs anyway, for alerts and cohorts) is printed beside.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import tracemalloc
from datetime import date
from typing import Any

from bench.sync import synced
from hub.census import Census
from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.statistics.from_census import problems, read_census
from hub.statistics.run import RunReport, StatisticsRun, agency_rows
from hub.statistics.tally import Tally

DEFAULT_PEOPLE = 100_000
DEFAULT_SAMPLE = 5_000
TARGETS = (1_000_000, 5_000_000)
AS_OF = date(2026, 11, 24)


async def _with_hub(environ: dict[str, str], work: Any) -> Any:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        try:
            return await work(hub)
        finally:
            await hub.cases.aclose()


async def _agencies(hub: Hub, sample: int) -> tuple[int, float]:
    """The agencies' path's reading phase over the first ``sample`` workers (0: all)."""
    tally, started = Tally(), time.perf_counter()
    async for seen in agency_rows(hub, AS_OF):
        tally.add(seen.row)
        for agency, method in seen.links:
            tally.add_link(agency, method)
        if sample and tally.workers >= sample:
            break
    return tally.workers, time.perf_counter() - started


def _census_read(hub: Hub) -> tuple[int, float]:
    started = time.perf_counter()
    found = problems(hub.engine, AS_OF)
    if found:
        raise SystemExit("census not current: " + "; ".join(p.text_en for p in found))
    workers = read_census(hub.engine).tally.workers
    return workers, time.perf_counter() - started


def measure(environ: dict[str, str], sample: int) -> None:
    census = asyncio.run(_with_hub(environ, lambda hub: Census(hub, today=lambda: AS_OF).run()))
    print(
        f"census (pmihub census, runs anyway): {census.evaluated:,} workers in "
        f"{census.seconds:.1f} s = {census.evaluated / census.seconds:,.0f} workers/s"
    )

    async def reads(hub: Hub) -> tuple[tuple[int, float], tuple[int, float]]:
        from_census = await asyncio.to_thread(_census_read, hub)
        return from_census, await _agencies(hub, sample)

    (n_census, s_census), (n_agencies, s_agencies) = asyncio.run(_with_hub(environ, reads))
    census_rate, agency_rate = n_census / s_census, n_agencies / s_agencies
    print(
        f"reading from the census: {n_census:,} workers in {s_census:.2f} s = "
        f"{census_rate:,.0f} workers/s (set-based, no agency call)"
    )
    print(
        f"reading from the agencies: {n_agencies:,} workers in {s_agencies:.1f} s = "
        f"{agency_rate:,.0f} workers/s"
    )
    print(f"ratio census / agencies (reading, same run): {census_rate / agency_rate:,.0f}")

    tracemalloc.start()
    cpu = time.process_time()
    report: RunReport = asyncio.run(
        _with_hub(environ, lambda hub: StatisticsRun(hub).run(AS_OF, source="census"))
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"statistics run from the census: {report.workers:,} workers in {report.seconds:.1f} s "
        f"(reading {report.read_seconds:.1f} s, disclosure control {report.publish_seconds:.1f} "
        f"s; {time.process_time() - cpu:.1f} s CPU); peak Python memory {peak / 2**20:.0f} MiB"
    )
    for target in TARGETS:
        factor = target / report.workers
        by_census = report.read_seconds * factor + report.publish_seconds
        by_agencies = target / agency_rate + report.publish_seconds
        print(
            f"   {target:>9,} workers projected: from the census {by_census / 60:,.1f} min, "
            f"from the agencies {by_agencies / 60:,.0f} min (census itself: "
            f"{target / (census.evaluated / census.seconds) / 60:,.0f} min)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.statistics", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument(
        "--sample",
        type=int,
        default=DEFAULT_SAMPLE,
        help="workers read through the agencies for their rate (0: all)",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    if args.people < 1 or args.sample < 0:
        parser.error("--people must be at least 1, --sample at least 0")
    with synced(args.people, args.database) as run:
        environ = {**os.environ, **run.environ, "HUB_TODAY": AS_OF.isoformat()}
        measure(environ, args.sample)


if __name__ == "__main__":
    main()
