"""``pmihub sync``: the feeds are read ahead of the linker, pages are linked in order, and a
sync that stops anywhere resumes from the stored cursor with nothing lost or duplicated."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import hub.sync
from connectors.kit.base import ChangesPage, Health, LookupKey
from connectors.kit.errors import AgencyUnavailable
from hub.crosswalk import AgencyRecordRow, CrosswalkReader, Pseudonymizer, SyncCursorRow
from hub.sync import follow, stored_cursor, sync_all
from schema.records import PersonRecord, Provenance, RecordKind, RecordSet

pytestmark = pytest.mark.anyio
PSEUDO = Pseudonymizer(b"test-key")


def nik(n: int) -> str:
    return f"3506124508{n:06d}"


def person(agency: str, n: int, nik_of: int | None = None) -> PersonRecord:
    local_id = f"{agency}-{n:04d}"
    prov = Provenance(agency, "TEST", local_id, datetime.now(UTC))
    return PersonRecord(
        agency=agency, local_id=local_id, name=f"ORANG {n}", provenance=prov, nik=nik(nik_of or n)
    )


class FeedConnector:
    """An agency whose changes feed serves ``records`` in order; the cursor is an offset.
    ``fail_on`` (1-based) makes that call of ``changes`` fail as an unreachable agency."""

    system = "TEST"
    lookup_keys = frozenset({LookupKey.LOCAL_ID})
    record_kinds = frozenset({RecordKind.PERSON})
    batch_size = 100

    def __init__(
        self, agency: str, records: list[PersonRecord], events: list[tuple[str, ...]] | None = None
    ) -> None:
        self.agency = agency
        self.records = records
        self.events = events if events is not None else []
        self.calls = 0
        self.fail_on: int | None = None

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        self.calls += 1
        start = int(cursor or 0)
        self.events.append(("fetch", self.agency, str(start)))
        await asyncio.sleep(0)
        if self.calls == self.fail_on:
            raise AgencyUnavailable(self.agency, "down for the test")
        page = self.records[start : start + limit]
        end = start + len(page)
        return ChangesPage(tuple(page), str(end), end < len(self.records))

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        return {}

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        return {}

    async def health(self) -> Health:
        return Health(self.agency, True)

    async def aclose(self) -> None:
        return None


def linked(engine: Engine, agency: str) -> tuple[int, int]:
    """(records in the crosswalk, records the cursor row has counted) for an agency."""
    count = select(func.count()).select_from(AgencyRecordRow)
    with Session(engine) as session:
        rows = session.exec(count.where(AgencyRecordRow.agency == agency)).one()
        cursor = session.get(SyncCursorRow, agency)
        return rows, cursor.records if cursor else 0


async def test_an_agency_failing_mid_feed_resumes_with_nothing_lost_or_duplicated(
    engine: Engine,
) -> None:
    # given a feed of 25 records in pages of 4 whose fourth call fails (after read-ahead)
    feed = FeedConnector("KEMNAKER", [person("KEMNAKER", n) for n in range(25)])
    feed.fail_on = 4
    # when
    report = await sync_all(engine, PSEUDO, {"KEMNAKER": feed}, page_size=4)
    # then the three pages before the failure are linked and their cursor stored
    assert report.agencies[0].error == "SOURCE_UNAVAILABLE"
    assert report.agencies[0].records == 12
    assert stored_cursor(engine, "KEMNAKER") == "12"
    assert linked(engine, "KEMNAKER") == (12, 12)
    # and the next sync starts there and reaches the end
    feed.fail_on = None
    again = await sync_all(engine, PSEUDO, {"KEMNAKER": feed}, page_size=4)
    assert again.ok and again.agencies[0].records == 13
    assert linked(engine, "KEMNAKER") == (25, 25)


async def test_a_crash_while_linking_keeps_the_cursor_of_the_last_linked_page(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = FeedConnector("P2MI", [person("P2MI", n) for n in range(10)])
    real = hub.sync.store_page
    stored: list[str] = []

    def crashing(engine: Engine, pseudo: Pseudonymizer, agency: str, page: ChangesPage) -> int:
        if len(stored) == 2:
            raise RuntimeError("the process dies here")
        stored.append(page.cursor)
        return real(engine, pseudo, agency, page)

    monkeypatch.setattr(hub.sync, "store_page", crashing)
    # when the linker dies on the third page (the fourth is already fetched)
    with pytest.raises(RuntimeError):
        await sync_all(engine, PSEUDO, {"P2MI": feed}, page_size=3)
    # then the two linked pages are stored, the third is not
    assert stored_cursor(engine, "P2MI") == "6"
    assert linked(engine, "P2MI") == (6, 6)
    # and a new run links the rest exactly once
    monkeypatch.setattr(hub.sync, "store_page", real)
    report = await sync_all(engine, PSEUDO, {"P2MI": feed}, page_size=3)
    assert report.ok and report.agencies[0].records == 4
    assert linked(engine, "P2MI") == (10, 10)


async def test_feeds_are_read_ahead_while_pages_are_linked_in_configuration_order(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, ...]] = []
    first = FeedConnector("KEMNAKER", [person("KEMNAKER", n) for n in range(6)], events)
    second = FeedConnector("BPJS", [person("BPJS", n) for n in range(6)], events)
    real = hub.sync.store_page

    def slow(engine: Engine, pseudo: Pseudonymizer, agency: str, page: ChangesPage) -> int:
        start = page.records[0].local_id
        events.append(("link", agency, start))
        time.sleep(0.05)  # a linker slower than the feeds
        changed = real(engine, pseudo, agency, page)
        events.append(("linked", agency, start))
        return changed

    monkeypatch.setattr(hub.sync, "store_page", slow)
    report = await sync_all(engine, PSEUDO, {"KEMNAKER": first, "BPJS": second}, page_size=2)
    assert report.ok and report.records == 12
    # the next page was asked for before the first one was linked, and the second agency's
    # feed before the first agency's last page was linked
    assert events.index(("fetch", "KEMNAKER", "2")) < events.index(
        ("linked", "KEMNAKER", "KEMNAKER-0000")
    )
    assert events.index(("fetch", "BPJS", "0")) < events.index(
        ("linked", "KEMNAKER", "KEMNAKER-0004")
    )
    # while the pages were linked one at a time, the first agency's before the second's
    links = [e[1:] for e in events if e[0] in ("link", "linked")]
    starts = [f"{a}-{n:04d}" for a in ("KEMNAKER", "BPJS") for n in (0, 2, 4)]
    agencies = ["KEMNAKER"] * 3 + ["BPJS"] * 3
    assert links == [
        pair
        for agency, start in zip(agencies, starts, strict=True)
        for pair in ((agency, start), (agency, start))
    ]


async def test_follow_relinks_a_person_whose_record_changed(engine: Engine) -> None:
    # given two people, synced
    records = [person("KEMNAKER", 1), person("KEMNAKER", 2), person("BPJS", 3, nik_of=3)]
    kemnaker = FeedConnector("KEMNAKER", records[:2])
    bpjs = FeedConnector("BPJS", records[2:])
    connectors = {"KEMNAKER": kemnaker, "BPJS": bpjs}
    await follow(engine, PSEUDO, connectors, interval=0, rounds=1)
    reader = CrosswalkReader(engine, PSEUDO)
    before = reader.find("BPJS:LOCAL_ID", ["BPJS-0003"])["BPJS-0003"]
    assert before != reader.find("KEMNAKER:LOCAL_ID", ["KEMNAKER-0001"])["KEMNAKER-0001"]
    # when BPJS corrects its record to person 1's NIK (the feed serves it again)
    bpjs.records.append(person("BPJS", 3, nik_of=1))
    await follow(engine, PSEUDO, connectors, interval=0, rounds=2)
    # then the record moved to person 1's worker, and nothing was linked twice
    found = reader.find("BPJS:LOCAL_ID", ["BPJS-0003"])["BPJS-0003"]
    assert found == reader.find("KEMNAKER:LOCAL_ID", ["KEMNAKER-0001"])["KEMNAKER-0001"]
    assert linked(engine, "BPJS") == (1, 2)
    assert linked(engine, "KEMNAKER") == (2, 2)
