"""``pmihub sync``: read each agency's changes feed and link the records into the crosswalk.

Each page is linked and its cursor stored in one transaction, so a sync that stops (Ctrl-C,
an agency going down) resumes where it left off. ``follow`` keeps polling for new changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from connectors.kit.base import Connector
from connectors.kit.errors import ConnectorError
from hub.crosswalk import Linker, Pseudonymizer, SyncCursorRow

log = logging.getLogger("pmihub.sync")


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


async def sync_agency(
    engine: Engine, pseudo: Pseudonymizer, connector: Connector, *, page_size: int = 500
) -> AgencySync:
    report = AgencySync(connector.agency)
    started = time.perf_counter()
    cursor = stored_cursor(engine, connector.agency)
    try:
        while True:
            page = await connector.changes(cursor, page_size)
            with Session(engine) as session:
                outcomes = Linker(session, pseudo).link_many(page.records)
                report.changed += sum(o.changed for o in outcomes)
                row = session.get(SyncCursorRow, connector.agency) or SyncCursorRow(
                    agency=connector.agency, cursor="", updated_at=datetime.now(UTC)
                )
                row.cursor = page.cursor
                row.records += len(page.records)
                row.updated_at = datetime.now(UTC)
                session.add(row)
                session.commit()
            cursor = page.cursor
            report.records += len(page.records)
            report.pages += 1
            if not page.has_more:
                break
    except ConnectorError as exc:
        report.error = exc.code
        log.warning("sync of %s stopped: %s", connector.agency, exc.code)
    report.seconds = time.perf_counter() - started
    return report


async def sync_all(
    engine: Engine,
    pseudo: Pseudonymizer,
    connectors: Mapping[str, Connector],
    *,
    page_size: int = 500,
) -> SyncReport:
    """One pass over every agency's feed, in configuration order (linking is sequential so
    two agencies' records of one person always meet)."""
    report = SyncReport()
    for connector in connectors.values():
        report.agencies.append(await sync_agency(engine, pseudo, connector, page_size=page_size))
    return report


async def follow(
    engine: Engine,
    pseudo: Pseudonymizer,
    connectors: Mapping[str, Connector],
    *,
    interval: float = 5.0,
    page_size: int = 500,
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
