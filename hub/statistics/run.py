"""``pmihub stats run --as-of DATE``: count every linked worker, publish only the counts.

The run reads its input from one of two places (``source``):

- ``census``: the census table, when it is current for the reference date (every canonical
  worker evaluated that day under the current rules, nothing waiting in its queue): the cells
  are counted by the database in a few set-based queries (hub/statistics/from_census.py), no
  agency is asked anything. Refused with the reasons when the census is not current.
- ``agencies``: every worker read again from the agencies and evaluated (below);
- ``auto`` (the default): the census when it is current, else the agencies, and the report
  says why.

Through the agencies the run walks the crosswalk in keyset pages of ``batch`` workers. Each
page is read the way ``workers(ids:)`` reads it (the crosswalk in one query, each agency's
DataLoader batching its local ids into its own upstream batch calls), evaluated by the
protection engine, and reduced to ``StatsRow``s (categories only) that are counted into the
tally and dropped with the page: memory is bounded by the page and the number of cells, never
by the population. Either way nothing per person is written anywhere. At the end the
disclosure rules are applied and the release (tables, rules, metadata) is stored in one
transaction.

The run is one audit entry with purpose STATISTICS and no worker (recorded before the first
read; when it cannot be written the run does not start).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from auth.principal import Principal
from auth.purpose import Purpose
from hub.audit import AccessEntry
from hub.crosswalk.tables import WorkerRow
from hub.statistics.facts import StatsRow, stats_row
from hub.statistics.from_census import Problem, problems, read_census
from hub.statistics.releases import Release, Releases
from hub.statistics.rules import DEFAULT_RULES, Rules
from hub.statistics.tally import Tally
from schema.clock import now

log = logging.getLogger("pmihub.statistics")

WORKER = WorkerRow.__table__  # type: ignore[attr-defined]
BATCH = 500
OPERATION = "pmihub stats run"
CATEGORIES = frozenset(
    {"identity", "placement", "social_security", "consular", "case", "protection"}
)


def statistics_principal() -> Principal:
    """Who the run reads as: the hub itself, for STATISTICS, holding no scope a token has."""
    return Principal(
        client_id="pmihub-statistics",
        subject="pmihub-statistics",
        scopes=frozenset(),
        token_id="statistics",  # noqa: S106 - an identifier, not a secret
        issuer="pmihub",
        expires_at=0,
        purpose=Purpose.STATISTICS,
    )


@dataclass
class Observed:
    """One worker's contribution to the run: the row, its links' methods, its sources."""

    row: StatsRow
    links: list[tuple[str, str]]  # (agency, method)
    sources: dict[str, tuple[str, datetime | None]]  # agency -> (state, fetched_at)


@dataclass
class Freshness:
    states: Counter[str] = field(default_factory=Counter)
    oldest: datetime | None = None
    newest: datetime | None = None

    def see(self, state: str, at: datetime | None) -> None:
        self.states[state] += 1
        if at is not None:
            self.oldest = at if self.oldest is None else min(self.oldest, at)
            self.newest = at if self.newest is None else max(self.newest, at)

    def as_dict(self) -> dict[str, object]:
        return {
            "answers": dict(sorted(self.states.items())),
            "oldestFetch": self.oldest.isoformat() if self.oldest else None,
            "newestFetch": self.newest.isoformat() if self.newest else None,
        }


SOURCES = ("auto", "census", "agencies")


class CensusNotCurrent(Exception):
    """``source="census"`` and the census cannot serve the reference date."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text_en for p in problems))
        self.problems = problems
        self.message_id = "Sensus belum mutakhir: " + "; ".join(p.text_id for p in problems)
        self.message_en = "The census is not current: " + "; ".join(p.text_en for p in problems)


@dataclass
class RunReport:
    release: Release
    workers: int
    batches: int
    seconds: float
    read_seconds: float
    publish_seconds: float
    source: str = "agencies"
    why: list[Problem] = field(default_factory=list)  # why not the census (auto)

    def line(self) -> str:
        read = (
            "from the census"
            if self.source == "census"
            else f"from the agencies in {self.batches} batches"
        )
        text = (
            f"release {self.release.id}: {self.workers} workers {read}, "
            f"{self.seconds:.1f} s (reading {self.read_seconds:.1f} s, disclosure control "
            f"{self.publish_seconds:.1f} s)"
        )
        if self.why:
            text += "; not from the census: " + "; ".join(p.text_en for p in self.why)
        return text


async def agency_rows(
    hub: object, day: date, batch: int = BATCH, pages: Callable[[], None] | None = None
) -> AsyncIterator[Observed]:
    """Every linked worker as an ``Observed``, read page by page from the agencies.

    This is the run's input; a census table of verdicts can replace the engine's part of it
    (docs/statistics.md).
    """
    from hub.graphql.context import HubContext
    from hub.graphql.worker import load_worker
    from hub.service import Hub
    from hub.view.verdict import verdict_for

    assert isinstance(hub, Hub)
    agencies = list(hub.connectors)
    after = ""
    while True:
        ids = await hub.offload(_page, hub, after, batch)
        if not ids:
            return
        after = ids[-1]
        if pages is not None:
            pages()
        ctx = HubContext(hub=hub, principal=statistics_principal(), today=day)
        workers = [w for w in await asyncio.gather(*(load_worker(ctx, i) for i in ids)) if w]
        unique = list({str(w.id): w for w in workers}.values())
        verdicts = await asyncio.gather(*(verdict_for(ctx, w.view, _ignore) for w in unique))
        for worker, verdict in zip(unique, verdicts, strict=True):
            results = await worker.view.agencies(agencies)
            sets = [s for r in results.values() for s in r.sets]
            sources = {code: r.state for code, r in results.items()}
            yield Observed(
                row=stats_row(sets, sources, verdict, day),
                links=[(link.agency, link.method) for link in worker.view.links],
                sources={code: (r.state.value, r.fetched_at) for code, r in results.items()},
            )
        del ctx, workers, unique, verdicts


def _page(hub: object, after: str, limit: int) -> list[str]:
    with hub.engine.connect() as connection:  # type: ignore[attr-defined]
        return list(
            connection.execute(
                select(WORKER.c.id)
                .where(WORKER.c.merged_into.is_(None), WORKER.c.id > after)
                .order_by(WORKER.c.id)
                .limit(limit)
            ).scalars()
        )


def _ignore(exc: object) -> None:
    return None


class StatisticsRun:
    def __init__(
        self,
        hub: object,
        *,
        rules: Rules = DEFAULT_RULES,
        batch: int = BATCH,
        clock: Callable[[], datetime] = now,
        operator: str = "pmihub-statistics",
    ) -> None:
        from hub.service import Hub

        assert isinstance(hub, Hub)
        self.hub = hub
        self.rules = rules
        self.batch = max(1, batch)
        self.clock = clock
        self.operator = operator

    async def run(self, as_of: date, source: str = "auto") -> RunReport:
        if source not in SOURCES:
            raise ValueError(f"source is one of {', '.join(SOURCES)}")
        started = time.perf_counter()
        why: list[Problem] = []
        if source != "agencies":
            why = await self.hub.offload(problems, self.hub.engine, as_of)
            if why and source == "census":
                raise CensusNotCurrent(why)
        use_census = source != "agencies" and not why
        run_id = uuid.uuid4().hex
        entry = AccessEntry(
            client_id="pmihub-statistics",
            subject=self.operator,
            operation=OPERATION,
            request_id=run_id,
            worker_id=None,
            purpose=Purpose.STATISTICS.value,
            categories=CATEGORIES,
        )
        await self.hub.offload(self.hub.audit.record, [entry])  # fail closed: no audit, no run
        if use_census:
            tally, freshness, linkage, batches = await self._from_census()
        else:
            tally, freshness, linkage, batches = await self._from_agencies(as_of)
        read_seconds = time.perf_counter() - started
        tables = await asyncio.to_thread(tally.publish, self.rules)
        publish_seconds = time.perf_counter() - started - read_seconds
        meta = {
            "referenceDate": as_of.isoformat(),
            "rulesVersion": self.rules.version,
            "workers": tally.workers,
            "input": "census" if use_census else "agencies",
            "freshness": {a: f.as_dict() for a, f in sorted(freshness.items())},
            "linkage": linkage,
            "audit": {"operation": OPERATION, "requestId": run_id},
        }
        release = await self.hub.offload(
            Releases(self.hub.engine).store,
            as_of,
            self.rules.as_dict(),
            meta,
            tables,
            self.clock(),
        )
        seconds = time.perf_counter() - started
        report = RunReport(
            release,
            tally.workers,
            batches,
            seconds,
            read_seconds,
            publish_seconds,
            source="census" if use_census else "agencies",
            why=why,
        )
        log.info("statistics: %s", report.line())
        return report

    async def _from_census(self) -> tuple[Tally, dict[str, Freshness], dict[str, object], int]:
        found = await self.hub.offload(read_census, self.hub.engine)
        freshness = {}
        for agency, states in found.answers.items():
            fresh = freshness[agency] = Freshness(states=states)
            fresh.oldest, fresh.newest = found.oldest, found.newest  # when the census read
        linkage = _linkage(found.linked, found.per_worker, found.tally.workers)
        return found.tally, freshness, linkage, 0

    async def _from_agencies(
        self, as_of: date
    ) -> tuple[Tally, dict[str, Freshness], dict[str, object], int]:
        tally = Tally()
        freshness: dict[str, Freshness] = {}
        linked: Counter[str] = Counter()
        agencies_per_worker: Counter[int] = Counter()
        batches = 0

        def page() -> None:
            nonlocal batches
            batches += 1

        async for seen in agency_rows(self.hub, as_of, self.batch, page):
            tally.add(seen.row)
            for agency, method in seen.links:
                tally.add_link(agency, method)
                linked[method] += 1
            agencies_per_worker[len({a for a, _ in seen.links})] += 1
            for agency, (state, at) in seen.sources.items():
                freshness.setdefault(agency, Freshness()).see(state, at)
        linkage = _linkage(linked, agencies_per_worker, tally.workers)
        return tally, freshness, linkage, batches


def _linkage(linked: Counter[str], per_worker: Counter[int], workers: int) -> dict[str, object]:
    """Shares, to the tenth of a percent: by match method over all linked records, and the
    workers known to two agencies or more."""
    records = sum(linked.values())
    by_method = (
        {m: round(100 * n / records, 1) for m, n in sorted(linked.items())} if records else {}
    )
    several = sum(n for k, n in per_worker.items() if k >= 2)
    return {
        "byMethod": by_method,
        "workersInTwoOrMoreAgenciesPercent": round(100 * several / workers, 1) if workers else None,
    }


__all__ = [
    "BATCH",
    "SOURCES",
    "CensusNotCurrent",
    "Observed",
    "RunReport",
    "StatisticsRun",
    "agency_rows",
    "statistics_principal",
]
