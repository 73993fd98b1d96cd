"""``pmihub sync``: read each agency's changes feed and link the records into the crosswalk.

Each page is linked and its cursor stored in one transaction, so a sync that stops (Ctrl-C,
an agency going down, a crash) resumes where it left off: pages fetched but not yet linked are
simply fetched again. ``follow`` keeps polling for new changes. Each page also marks the
workers its records belong to for the census (hub/census), which gives them a new verdict.

Speed comes from overlapping the two halves of the work. Every agency's feed is read by its
own task, up to ``ahead`` pages in front of the linker, from the start of the run (so the next
agency's first pages are waiting when the linker reaches it), while the linker works in a
thread on one page at a time. Linking stays sequential and in configuration order, page after
page of one agency, then the next: the result does not depend on which agency answers first,
and the records without an identifier (the missions' records) meet everything linked before
them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from connectors.kit.base import ChangesPage, Connector
from connectors.kit.errors import ConnectorError
from hub.census.run import mark_pending
from hub.crosswalk import Linker, Pseudonymizer, SyncCursorRow
from hub.search import index_records

log = logging.getLogger("pmihub.sync")

PAGE_SIZE = 1000  # asked of every feed; an agency serves at most its own maximum
AHEAD = 2  # pages each feed reads in front of the linker


@dataclass
class AgencySync:
    agency: str
    records: int = 0
    changed: int = 0
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class SyncReport:
    agencies: list[AgencySync] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(a.records for a in self.agencies)

    @property
    def ok(self) -> bool:
        return all(a.error is None for a in self.agencies)


def stored_cursor(engine: Engine, agency: str) -> str | None:
    with Session(engine) as session:
        row = session.get(SyncCursorRow, agency)
        return row.cursor if row else None


def store_page(engine: Engine, pseudo: Pseudonymizer, agency: str, page: ChangesPage) -> int:
    """Link one page and move the agency's cursor past it, in one transaction; return how
    many records changed."""
    with Session(engine) as session:
        outcomes = Linker(session, pseudo).link_many(page.records)
        index_records(session.connection(), page.records)  # search index (hub/search)
        # every worker a changed record belongs to gets a new verdict (hub/census), even when
        # its identity attributes did not change: a cover, a contract, a report may have
        mark_pending(session.connection(), (o.worker_id for o in outcomes))
        row = session.get(SyncCursorRow, agency) or SyncCursorRow(
            agency=agency, cursor="", updated_at=datetime.now(UTC)
        )
        row.cursor = page.cursor
        row.records += len(page.records)
        row.updated_at = datetime.now(UTC)
        session.add(row)
        session.commit()
    return sum(o.changed for o in outcomes)


class Feed:
    """One agency's changes feed, read by a task up to ``ahead`` pages in front of its
    consumer. ``next()`` gives the pages in order, then None; a ConnectorError ends it."""

    def __init__(self, connector: Connector, cursor: str | None, page_size: int, ahead: int):
        self.agency = connector.agency
        self._connector = connector
        self._pages: asyncio.Queue[ChangesPage | Exception | None] = asyncio.Queue(
            maxsize=max(1, ahead)
        )
        self._task = asyncio.create_task(self._read(cursor, page_size))

    async def _read(self, cursor: str | None, page_size: int) -> None:
        try:
            while True:
                page = await self._connector.changes(cursor, page_size)
                await self._pages.put(page)
                if not page.has_more:
                    break
                cursor = page.cursor
            await self._pages.put(None)
        except Exception as exc:  # handed to the consumer, which decides
            await self._pages.put(exc)

    async def next(self) -> ChangesPage | None:
        item = await self._pages.get()
        if isinstance(item, Exception):
            raise item
        return item

    async def close(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def _drain(engine: Engine, pseudo: Pseudonymizer, feed: Feed, report: AgencySync) -> None:
    started = time.perf_counter()
    try:
        while (page := await feed.next()) is not None:
            report.changed += await _in_thread(store_page, engine, pseudo, feed.agency, page)
            report.records += len(page.records)
            report.pages += 1
    except ConnectorError as exc:
        report.error = exc.code
        log.warning("sync of %s stopped: %s", feed.agency, exc.code)
    report.seconds = time.perf_counter() - started


async def _in_thread(function: Callable[..., int], *args: object) -> int:
    """Run ``function`` in a worker thread; when cancelled (Ctrl-C), let it finish first, so
    no transaction is still running after the sync has returned."""
    task = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise


async def sync_agency(
    engine: Engine,
    pseudo: Pseudonymizer,
    connector: Connector,
    *,
    page_size: int = PAGE_SIZE,
    ahead: int = AHEAD,
) -> AgencySync:
    """One agency's feed from its stored cursor to the end."""
    connectors = {connector.agency: connector}
    report = await sync_all(engine, pseudo, connectors, page_size=page_size, ahead=ahead)
    return report.agencies[0]


async def sync_all(
    engine: Engine,
    pseudo: Pseudonymizer,
    connectors: Mapping[str, Connector],
    *,
    page_size: int = PAGE_SIZE,
    ahead: int = AHEAD,
) -> SyncReport:
    """One pass over every agency's feed: all feeds are read at once, the pages are linked one
    at a time in configuration order (see the module docstring)."""
    feeds: list[Feed] = []
    report = SyncReport([AgencySync(c.agency) for c in connectors.values()])
    try:
        for connector in connectors.values():
            feeds.append(Feed(connector, stored_cursor(engine, connector.agency), page_size, ahead))
        for feed, agency in zip(feeds, report.agencies, strict=True):
            await _drain(engine, pseudo, feed, agency)
    finally:
        for feed in feeds:
            await feed.close()
    return report


async def follow(
    engine: Engine,
    pseudo: Pseudonymizer,
    connectors: Mapping[str, Connector],
    *,
    interval: float = 5.0,
    page_size: int = PAGE_SIZE,
    rounds: int | None = None,
) -> None:
    """Sync, then keep polling every ``interval`` seconds (``rounds`` bounds it for tests)."""
    done = 0
    while rounds is None or done < rounds:
        report = await sync_all(engine, pseudo, connectors, page_size=page_size)
        if report.records:
            log.info("synced %d changed records", report.records)
        done += 1
        if rounds is None or done < rounds:
            await asyncio.sleep(interval)
