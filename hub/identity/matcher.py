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

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from hub.identity.attributes import Attributes, swapped
from hub.identity.policy import MatchPolicy
from hub.identity.scoring import Score
from hub.identity.tables import IdentityAttributeRow, IdentityDecisionRow

RecordId = tuple[str, str]
CHUNK = 400
DO_NOT_LINK = ("REJECT", "SPLIT")


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def block_dates(birth_date: date) -> tuple[date, ...]:
    other = swapped(birth_date)
    return (birth_date, other) if other else (birth_date,)


class Blocks:
    """Identity attributes by birth date: the rows read for a page plus the page's own."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_date: dict[date, dict[RecordId, Attributes]] = defaultdict(dict)
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
        table = IdentityAttributeRow
        for dates, only_nikless in ((sorted(every), False), (sorted(nikless - every), True)):
            for chunk in _chunks(dates):
                query = select(table).where(col(table.birth_date).in_(chunk))
                if only_nikless:
                    query = query.where(col(table.has_nik).is_(False))
                for row in self.session.exec(query):
                    rid = (row.agency, row.local_id)
                    if rid not in self.written and row.birth_date is not None:
                        self.by_date[row.birth_date].setdefault(rid, Attributes.from_row(row))
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


def do_not_link(session: Session, records: Sequence[RecordId]) -> dict[RecordId, set[str]]:
    """The workers identity officers said each record is not (rejected, split off)."""
    found: dict[RecordId, set[str]] = defaultdict(set)
    table = IdentityDecisionRow
    for chunk in _chunks(list(dict.fromkeys(records))):
        rows = session.exec(
            select(table.agency, table.local_id, table.worker_id).where(
                tuple_(col(table.agency), col(table.local_id)).in_(chunk),
                col(table.kind).in_(DO_NOT_LINK),
            )
        )
        for agency, local_id, worker in rows:
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
    """Link to the best worker when it clears ``upper`` and no other worker clears ``lower``;
    otherwise queue every worker above ``lower`` (an ambiguous pair is never linked alone)."""
    ranked = sorted(proposals, key=lambda p: (-p.score.weight, p.worker))
    close = [p for p in ranked if p.score.confidence >= policy.lower]
    if not close:
        return Verdict(None, 0.0, (), False)
    best = close[0]
    ambiguous = len(close) > 1
    if best.score.confidence >= policy.upper and not ambiguous:
        return Verdict(best.worker, best.score.confidence, (), False)
    return Verdict(None, 0.0, tuple(close), ambiguous)
