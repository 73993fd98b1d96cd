"""``pmihub census``: evaluate the workers whose verdict may have changed, in batches.

Which workers: those the sync marked (their agency records changed), those whose verdict is
from an earlier day (dates alone change verdicts: cover ending, a contract or passport
expiring), and the holders of a licence whose status changed at Kemnaker (the registry is
read in batches of licence numbers, never per worker). ``full`` evaluates every linked worker.

How: a batch of workers is read the way ``workers(ids:)`` reads it (the crosswalk in one
query, each agency's DataLoader batching its local ids into its own upstream calls, the
licences in batches), evaluated by the protection engine, and stored with its alerts in one
transaction. A verdict left incomplete by an agency that did not answer does not replace a
complete one: the worker stays marked and is tried again at the next run.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from auth.principal import Principal
from connectors.kit.base import LicenseRegistry
from connectors.kit.errors import ConnectorError
from hub.census.alerts import Alert, licence_lost, raise_alerts, worsened
from hub.census.summary import census_row
from hub.census.tables import CensusPendingRow, CensusRow
from hub.crosswalk.tables import WorkerRow
from schema.clock import now
from schema.clock import today as clock_today
from schema.records import LicenseRecord

if TYPE_CHECKING:
    from hub.graphql.context import HubContext
    from hub.graphql.worker import Worker
    from hub.protection import Verdict

log = logging.getLogger("pmihub.census")

CENSUS = CensusRow.__table__  # type: ignore[attr-defined]
PENDING = CensusPendingRow.__table__  # type: ignore[attr-defined]
WORKER = WorkerRow.__table__  # type: ignore[attr-defined]
BATCH = 500
COLUMNS = [c.name for c in CENSUS.columns]


@dataclass
class CensusReport:
    evaluated: int = 0
    stored: int = 0
    kept_incomplete: int = 0
    alerts: list[Alert] = field(default_factory=list)
    licences_changed: int = 0
    batches: int = 0
    seconds: float = 0.0
    failed: int = 0  # the evaluation raised: logged, kept for the next run
    keep: set[str] = field(default_factory=set)  # incomplete or failed: evaluated next run

    def line(self) -> str:
        failed = f", {self.failed} failed (see the log)" if self.failed else ""
        return (
            f"{self.evaluated} evaluated in {self.batches} batches, {self.stored} stored, "
            f"{self.kept_incomplete} left for the next run (a source did not answer), "
            f"{len(self.alerts)} alerts, {self.licences_changed} licences changed, "
            f"{self.seconds:.1f} s{failed}"
        )


def census_principal() -> Principal:
    """Who the census reads as: the hub itself, for no person; its reads are not returned to
    anyone (the alerts it raises are audited when they are handed out)."""
    return Principal(
        client_id="pmihub-census",
        subject="pmihub-census",
        scopes=frozenset(),
        token_id="census",  # noqa: S106 - an identifier, not a secret
        issuer="pmihub",
        expires_at=0,
    )


def mark_pending(connection: object, worker_ids: Iterable[str]) -> None:
    """Mark workers for the census (called by the sync inside its page's transaction)."""
    rows = [{"worker_id": w} for w in sorted(set(worker_ids))]
    if rows:
        connection.execute(insert(PENDING), rows)  # type: ignore[attr-defined]


class Census:
    def __init__(
        self,
        hub: object,
        *,
        batch: int = BATCH,
        today: Callable[[], date] = clock_today,
        clock: Callable[[], datetime] = now,
    ) -> None:
        from hub.service import Hub

        assert isinstance(hub, Hub)
        self.hub = hub
        self.engine: Engine = hub.engine
        self.batch = max(1, batch)
        self.today = today
        self.clock = clock
        self.notify = self.engine.dialect.name == "postgresql"
        self._lock = asyncio.Lock()

    async def run(self, *, full: bool = False) -> CensusReport:
        async with self._lock:  # one run at a time in this process
            return await self._run(full)

    async def _run(self, full: bool) -> CensusReport:
        started = time.perf_counter()
        report = CensusReport()
        day = self.today()
        licences = await self._licences(report)
        offload = self.hub.offload
        mark: int | None = None
        if full:
            causes = dict.fromkeys(await offload(self._all_workers), "FULL")
        else:
            mark = await offload(self._pending_mark)
            causes = await offload(self._due, day, mark)
        ids = sorted(causes)
        for start in range(0, len(ids), self.batch):
            chunk = ids[start : start + self.batch]
            await self._batch(chunk, day, licences, causes, report)
            report.batches += 1
        if mark is not None:
            await offload(self._forget_pending, mark, report)
        report.seconds = time.perf_counter() - started
        return report

    # -- which workers -------------------------------------------------------------------

    def _all_workers(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(WORKER.c.id).where(WORKER.c.merged_into.is_(None)).order_by(WORKER.c.id)
                ).scalars()
            )

    def _pending_mark(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.max(PENDING.c.id))).scalar() or 0)

    def _due(self, day: date, mark: int) -> dict[str, str]:
        """Marked workers (up to ``mark``: SYNC) and those last evaluated before ``day``
        (DAILY), each with why."""
        with self.engine.connect() as connection:
            marked = set(
                connection.execute(
                    select(PENDING.c.worker_id).where(PENDING.c.id <= mark).distinct()
                ).scalars()
            )
            stale = set(
                connection.execute(
                    select(CENSUS.c.worker_id).where(CENSUS.c.evaluated_on < day)
                ).scalars()
            )
        return {**dict.fromkeys(stale, "DAILY"), **dict.fromkeys(marked, "SYNC")}

    def _forget_pending(self, mark: int, report: CensusReport) -> None:
        """Unmark what this run evaluated, except the workers kept for the next run."""
        keep = report.keep
        with self.engine.begin() as connection:
            query = delete(PENDING).where(PENDING.c.id <= mark)
            if keep:
                query = query.where(PENDING.c.worker_id.not_in(keep))
            connection.execute(query)

    # -- licences ------------------------------------------------------------------------

    async def _licences(self, report: CensusReport) -> dict[str, LicenseRecord] | None:
        """Every licence the census names, read fresh in batches; the holders of one whose
        status changed are marked. None when the registry cannot be read."""
        registry = self.hub.license_registry
        if not isinstance(registry, LicenseRegistry):
            return None
        numbers = await self.hub.offload(self._licence_numbers)
        found: dict[str, LicenseRecord] = {}
        size = max(1, getattr(registry, "batch_size", 100))
        try:
            for start in range(0, len(numbers), size):
                found.update(await registry.licenses(numbers[start : start + size]))
        except ConnectorError as exc:
            log.warning("census: licence registry unavailable: %s", exc.code)
            return None
        changed = await self.hub.offload(self._mark_licence_holders, found)
        report.licences_changed = changed
        self.hub.licenses.put_many({n: lic for n, lic in found.items() if not lic.provenance.stale})
        return found

    def _licence_numbers(self) -> list[str]:
        with self.engine.connect() as connection:
            return sorted(
                connection.execute(
                    select(CENSUS.c.licence).where(CENSUS.c.licence.is_not(None)).distinct()
                ).scalars()
            )

    def _mark_licence_holders(self, found: dict[str, LicenseRecord]) -> int:
        changed = 0
        with self.engine.begin() as connection:
            stored = connection.execute(
                select(CENSUS.c.licence, CENSUS.c.licence_status)
                .where(CENSUS.c.licence.is_not(None))
                .distinct()
            ).all()
            for number, status in stored:
                fresh = found.get(number)
                fresh_status = fresh.status.value if fresh is not None else None
                if fresh_status == status:
                    continue
                changed += 1
                holders = connection.execute(
                    select(CENSUS.c.worker_id).where(
                        CENSUS.c.licence == number,
                        CENSUS.c.licence_status.is_distinct_from(fresh_status),
                    )
                ).scalars()
                mark_pending(connection, holders)
        return changed

    # -- one batch -----------------------------------------------------------------------

    async def _batch(
        self,
        ids: Sequence[str],
        day: date,
        licences: dict[str, LicenseRecord] | None,
        causes: dict[str, str],
        report: CensusReport,
    ) -> None:
        from hub.graphql.context import HubContext
        from hub.graphql.worker import load_worker
        from hub.view.verdict import verdict_for

        ctx = HubContext(hub=self.hub, principal=census_principal(), today=day)
        if licences is not None and ctx.licenses is not None:
            for number, licence in licences.items():
                ctx.licenses.prime(number, licence)
        workers = [w for w in await asyncio.gather(*(load_worker(ctx, i) for i in ids)) if w]
        unique = list({str(w.id): w for w in workers}.values())  # merged ids meet here
        verdicts = await asyncio.gather(
            *(verdict_for(ctx, w.view, _ignore) for w in unique), return_exceptions=True
        )
        rows: list[CensusRow] = []
        known: dict[str, LicenseRecord] = dict(licences or {})
        for worker, verdict in zip(unique, verdicts, strict=True):
            try:  # one worker's failing evaluation must not stop everyone's alerts
                if isinstance(verdict, BaseException):
                    raise verdict
                rows.append(await self._row(ctx, worker, verdict, known, day))
            except Exception as exc:
                log.error(
                    "census: a worker's evaluation failed (%s); kept for the next run",
                    type(exc).__name__,
                    exc_info=exc,
                )
                report.failed += 1
                report.keep.add(str(worker.id))
        report.evaluated += len(rows)
        gone = [i for i in ids if i not in {str(w.id) for w in unique}]
        alerts, kept = await self.hub.offload(self._store, rows, gone, causes)
        report.stored += len(rows) - len(kept)
        report.kept_incomplete += len(kept)
        report.keep.update(kept)
        report.alerts.extend(alerts)
        if alerts:
            self.hub.cases.announce_alerts(alerts)

    async def _row(
        self,
        ctx: HubContext,
        worker: Worker,
        verdict: Verdict,
        known: dict[str, LicenseRecord],
        day: date,
    ) -> CensusRow:
        """The census row of one evaluated worker; licences not yet known are read (and kept
        in ``known`` for the rest of the batch)."""
        results = await worker.view.agencies(list(self.hub.connectors))
        sets = [s for r in results.values() for s in r.sets]
        for number in {p.agency_license for s in sets for p in s.placements}:
            if number and number not in known and ctx.licenses is not None:
                try:
                    lic = await ctx.licenses.load(number)
                except ConnectorError:
                    lic = None
                if lic is not None:
                    known[number] = lic
        sources = {code: r.state for code, r in results.items()}
        serving = self.hub.cases.missions.serving
        return census_row(str(worker.id), verdict, sets, known, day, sources, serving=serving)

    def _store(
        self, rows: list[CensusRow], gone: list[str], causes: dict[str, str]
    ) -> tuple[list[Alert], list[str]]:
        """Upsert the rows, raise their alerts, drop merged-away workers: one transaction."""
        at = self.clock()
        with self.engine.begin() as connection:
            ids = [r.worker_id for r in rows]
            before = {
                row.worker_id: CensusRow(**row._mapping)
                for row in connection.execute(select(CENSUS).where(CENSUS.c.worker_id.in_(ids)))
            }
            kept = [
                r.worker_id
                for r in rows
                if not r.complete and r.worker_id in before and before[r.worker_id].complete
            ]
            store = [r for r in rows if r.worker_id not in kept]
            changes = []
            for row in store:
                previous = before.get(row.worker_id)
                new = worsened(previous, row)
                if previous is not None and new is not None:
                    cause = "LICENCE" if licence_lost(previous, row) else causes.get(row.worker_id)
                    changes.append((previous, row, new, cause))
            values = [{c: getattr(r, c) for c in COLUMNS} for r in store]
            existing = [v for v in values if v["worker_id"] in before]
            fresh = [v for v in values if v["worker_id"] not in before]
            if fresh:
                connection.execute(insert(CENSUS), fresh)
            for v in existing:
                connection.execute(
                    update(CENSUS).where(CENSUS.c.worker_id == v["worker_id"]).values(**v)
                )
            if gone:
                connection.execute(delete(CENSUS).where(CENSUS.c.worker_id.in_(gone)))
            alerts = raise_alerts(connection, changes, at, notify=self.notify)
        return alerts, kept


def _ignore(exc: ConnectorError) -> None:
    return None


__all__ = ["BATCH", "Census", "CensusReport", "census_principal", "mark_pending"]
