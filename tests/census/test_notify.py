"""On PostgreSQL an alert raised by any process (``pmihub census``, another replica's census
loop) reaches this process's subscribers: NOTIFY in the census transaction, LISTEN here."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hub.cases import Cases
from hub.census.alerts import raise_alerts
from hub.census.tables import CensusRow
from tests.databases import migrated_engine

pytestmark = [pytest.mark.postgres, pytest.mark.anyio]

AT = datetime(2026, 11, 24, 8, tzinfo=UTC)


def row(level: str, findings: str, grave: str = "") -> CensusRow:
    return CensusRow(
        worker_id="wk_0000000000000000000a",
        level=level,
        level_rank=0,
        phase="PLACEMENT",
        findings=findings,
        grave=grave,
        rules_version="r1",
        evaluated_at=AT,
        evaluated_on=date(2026, 11, 24),
        mission_code="TPE",
        abroad=True,
    )


async def test_an_alert_committed_elsewhere_reaches_this_process_subscribers(
    tmp_path: Path,
) -> None:
    with migrated_engine("postgres", tmp_path, prefix="census_notify") as engine:
        cases = Cases(engine, {"HUB_ENV": "test", "HUB_WEBHOOK_DELIVERY": "off"})
        await cases.start()
        try:
            async with cases.alert_bus.subscribe() as alerts:
                change = (row("PROTECTED", ""), row("UNPROTECTED", ",X,", ",X,"), ("X",), "SYNC")

                def elsewhere() -> list[str]:  # as `pmihub census` commits in its process
                    with engine.begin() as connection:
                        raised = raise_alerts(connection, [change], AT, notify=True)
                    with engine.begin() as connection:  # the same change again: nothing
                        assert raise_alerts(connection, [change], AT, notify=True) == []
                    return [a.id for a in raised]

                ids = await asyncio.to_thread(elsewhere)
                got = await asyncio.wait_for(anext(alerts), 10)
                assert [got.id] == ids
                assert (got.previous_level, got.level, got.new_findings) == (
                    "PROTECTED",
                    "UNPROTECTED",
                    ("X",),
                )
                assert got.mission_code == "TPE"
        finally:
            await cases.aclose()
