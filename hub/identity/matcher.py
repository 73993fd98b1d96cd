"""Probabilistic matching for the linker: blocking a page at a time, then scoring.

A record no identifier links is compared with the records born the same day, or on the day
with day and month swapped (``identity_attribute`` is indexed on the birth date). A record
holding a NIK is compared only with records holding none: two NIKs either agree, and the
deterministic pass has linked them, or differ, and the records are never one person. All the
dates a page needs are read in a few queries before the page is linked; a date the page did
not foresee is read when first needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from hub.identity.attributes import COLUMNS, Attributes, swapped
from hub.identity.policy import MatchPolicy
from hub.identity.scoring import LINK_MARGIN, Score
from hub.identity.tables import IdentityAttributeRow, IdentityDecisionRow
from hub.storage.members import batches, member_of

RecordId = tuple[str, str]
DO_NOT_LINK = ("REJECT", "SPLIT")


def block_dates(birth_date: date) -> tuple[date, ...]:
    other = swapped(birth_date)
    return (birth_date, other) if other else (birth_date,)


class Blocks:
    """Identity attributes by birth date: the rows read for a page plus the page's own.

    With ``records`` (the crosswalk's ``agency_record`` table) each row is read with the
    worker its record is linked to, into ``owners``: matching needs both, and one join per
    page costs less than a second lookup.
    """

    def __init__(self, connection: Connection, records: Table | None = None) -> None:
        self.connection = connection
        self.records = records
        self.by_date: dict[date, dict[RecordId, Attributes]] = defaultdict(dict)
        self.owners: dict[RecordId, str] = {}  # read rows' workers (with ``records``)
        self.loaded: dict[date, bool] = {}  # date -> True: every row, False: NIK-less rows
        self.written: set[RecordId] = set()  # the page's records: their rows in memory win
        self.born: dict[RecordId, date] = {}  # where each record of the page now sits

    def need(self, wanted: Iterable[tuple[date, bool]]) -> None:
        """Read the rows of each (date, asker holds a NIK) not read yet, in batched queries."""
        every, nikless = set(), set()
        for day, has_nik in wanted:
            for d in block_dates(day):
                done = self.loaded.get(d)
                if done is True or (done is False and has_nik):
                    continue
                if has_nik and done is None:
                    nikless.add(d)
                else:
                    every.add(d)
        if not every and not nikless:
            return
        table: Any = IdentityAttributeRow.__table__  # type: ignore[attr-defined]
        columns = [table.c.agency, table.c.local_id, *(table.c[name] for name in COLUMNS)]
        source = table
        if self.records is not None:
            records = self.records
            columns.append(records.c.worker_id)
            source = table.outerjoin(
                records,
                (records.c.agency == table.c.agency) & (records.c.local_id == table.c.local_id),
            )
        for dates, only_nikless in ((sorted(every), False), (sorted(nikless - every), True)):
            for chunk in batches(self.connection, dates):
                query = (
                    select(*columns)
                    .select_from(source)
                    .where(member_of(self.connection, table.c.birth_date, chunk))
                )
                if only_nikless:
                    query = query.where(table.c.has_nik.is_(False))
                for row in self.connection.execute(query).all():
                    rid = (row[0], row[1])
                    born = row[4]
                    width = len(COLUMNS)
                    if rid in self.written or born is None:
                        continue
                    block = self.by_date[born]
                    if rid not in block:
                        block[rid] = Attributes.from_columns(*row[2 : 2 + width])
                    if self.records is not None and row[2 + width] is not None:
                        self.owners.setdefault(rid, row[2 + width])
            for d in dates:
                self.loaded[d] = not only_nikless

    def put(self, rid: RecordId, attributes: Attributes, before: date | None = None) -> None:
        """The page's record as it is now (moved from ``before``'s block if that changed)."""
        self.written.add(rid)
        for old in (before, self.born.pop(rid, None)):
            if old is not None:
                self.by_date.get(old, {}).pop(rid, None)
        if attributes.birth_date is not None:
            self.by_date[attributes.birth_date][rid] = attributes
            self.born[rid] = attributes.birth_date

    def candidates(self, attributes: Attributes) -> Iterator[tuple[RecordId, Attributes]]:
        if attributes.birth_date is None:
            return
        self.need([(attributes.birth_date, attributes.has_nik)])
        for d in block_dates(attributes.birth_date):
            for rid, other in self.by_date.get(d, {}).items():
                if attributes.has_nik and other.has_nik:
                    continue
                yield rid, other


def do_not_link(connection: Connection, records: Sequence[RecordId]) -> dict[RecordId, set[str]]:
    """The workers identity officers said each record is not (rejected, split off)."""
    found: dict[RecordId, set[str]] = defaultdict(set)
    table: Any = IdentityDecisionRow.__table__  # type: ignore[attr-defined]
    by_agency: dict[str, list[str]] = defaultdict(list)
    for agency, local_id in dict.fromkeys(records):
        by_agency[agency].append(local_id)
    for agency, local_ids in by_agency.items():
        for chunk in batches(connection, local_ids):
            rows = connection.execute(
                select(table.c.local_id, table.c.worker_id).where(
                    table.c.agency == agency,
                    member_of(connection, table.c.local_id, chunk),
                    table.c.kind.in_(DO_NOT_LINK),
                )
            ).all()
            for local_id, worker in rows:
                found[(agency, local_id)].add(worker)
    return found


@dataclass(frozen=True, slots=True)
class Proposal:
    """The best-scoring record of one candidate worker."""

    worker: str
    score: Score


@dataclass(frozen=True, slots=True)
class Verdict:
    """What matching says of one record: link to ``worker`` (or not), and what to queue."""

    worker: str | None
    confidence: float
    queue: tuple[Proposal, ...]
    ambiguous: bool


def decide(proposals: Iterable[Proposal], policy: MatchPolicy) -> Verdict:
    """Link to the best worker when it clears ``upper`` and every other worker above
    ``lower`` scores at least ``LINK_MARGIN`` bits below it (odds of 16 to 1 between the two,
    scoring.py); otherwise queue every worker above ``lower`` (two workers as close are
    never linked alone)."""
    ranked = sorted(proposals, key=lambda p: (-p.score.weight, p.worker))
    close = [p for p in ranked if p.score.confidence >= policy.lower]
    if not close:
        return Verdict(None, 0.0, (), False)
    best = close[0]
    ambiguous = any(p.score.weight > best.score.weight - LINK_MARGIN for p in close[1:])
    if best.score.confidence >= policy.upper and not ambiguous:
        return Verdict(best.worker, best.score.confidence, (), False)
    return Verdict(None, 0.0, tuple(close), len(close) > 1)
