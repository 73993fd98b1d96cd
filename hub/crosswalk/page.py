"""What one page of records, and everything it touches, looks like in the crosswalk.

The linker reads a page's world in a few Core queries (plain tuples, no ORM objects: building
one mapped object per row cost more than the query), links the page in memory and writes the
changes back in a few executemany statements (hub.crosswalk.linker). Lookups by record are
grouped by agency (``agency = ? AND local_id IN ...``, the primary key), lookups by identifier by
kind (``kind = ? AND digest IN ...``, record_key's); the values of each go in as one parameter
(hub.storage.members).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from hub.crosswalk.keys import NIK
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow
from hub.identity.matcher import Blocks
from hub.storage.members import batches, member_of

Key = tuple[str, str]  # (kind, digest)
RecordId = tuple[str, str]  # (agency, local_id)

RECORD: Any = AgencyRecordRow.__table__  # type: ignore[attr-defined]
KEY: Any = RecordKeyRow.__table__  # type: ignore[attr-defined]
WORKER: Any = WorkerRow.__table__  # type: ignore[attr-defined]


def by_agency(ids: Iterable[RecordId]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for agency, local_id in dict.fromkeys(ids):
        grouped[agency].append(local_id)
    return grouped


@dataclass(frozen=True, slots=True)
class Stored:
    """An agency record as the crosswalk holds it."""

    worker_id: str
    method: str
    confidence: float
    fingerprint: str


def stored_records(connection: Connection, ids: Iterable[RecordId]) -> dict[RecordId, Stored]:
    found: dict[RecordId, Stored] = {}
    columns = (RECORD.c.local_id, RECORD.c.worker_id, RECORD.c.method, RECORD.c.confidence)
    for agency, local_ids in by_agency(ids).items():
        for chunk in batches(connection, local_ids):
            rows = connection.execute(
                select(*columns, RECORD.c.fingerprint).where(
                    RECORD.c.agency == agency, member_of(connection, RECORD.c.local_id, chunk)
                )
            ).all()
            for local_id, worker, method, confidence, fingerprint in rows:
                found[(agency, local_id)] = Stored(worker, method, confidence, fingerprint)
    return found


@dataclass
class Page:
    """The page's view of the crosswalk, kept current in memory while the page is linked, and
    the writes it collects (one statement each when the page is done)."""

    holders: dict[Key, set[RecordId]] = field(default_factory=lambda: defaultdict(set))
    held: dict[RecordId, list[Key]] = field(default_factory=lambda: defaultdict(list))
    owner: dict[RecordId, str] = field(default_factory=dict)  # record -> worker id
    merged: dict[str, str | None] = field(default_factory=dict)  # worker -> merged_into
    niks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # worker -> NIKs
    niks_read: set[str] = field(default_factory=set)  # workers whose stored NIKs are in niks
    blocks: Blocks | None = None  # identity attributes by birth date, for matching
    born: dict[RecordId, Any] = field(default_factory=dict)  # relinked: stored birth date
    apart: dict[RecordId, set[str]] = field(default_factory=dict)  # do-not-link decisions
    new_workers: list[tuple[Any, ...]] = field(default_factory=list)  # WORKER_COLUMNS
    records: dict[RecordId, dict[str, Any]] = field(default_factory=dict)  # linked, unwritten
    new_keys: list[tuple[str, ...]] = field(default_factory=list)  # KEY_COLUMNS
    stale_keys: list[RecordId] = field(default_factory=list)
    new_attributes: list[tuple[Any, ...]] = field(default_factory=list)  # ATTRIBUTE_COLUMNS
    changed_attributes: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def read_holders(self, connection: Connection, keys: Iterable[Key]) -> None:
        """The records holding any of ``keys``, and their workers."""
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, digest in sorted(set(keys)):
            by_kind[kind].append(digest)
        joined = KEY.outerjoin(
            RECORD, (RECORD.c.agency == KEY.c.agency) & (RECORD.c.local_id == KEY.c.local_id)
        )
        for kind, digests in by_kind.items():
            for chunk in batches(connection, digests):
                rows = connection.execute(
                    select(KEY.c.digest, KEY.c.agency, KEY.c.local_id, RECORD.c.worker_id)
                    .select_from(joined)
                    .where(KEY.c.kind == kind, member_of(connection, KEY.c.digest, chunk))
                ).all()
                for digest, agency, local_id, worker in rows:
                    self._hold((kind, digest), (agency, local_id), worker)

    def read_keys_of(self, connection: Connection, records: Iterable[RecordId]) -> None:
        """The keys ``records`` (relinked: already stored) hold until now."""
        for agency, local_ids in by_agency(records).items():
            for chunk in batches(connection, local_ids):
                rows = connection.execute(
                    select(KEY.c.kind, KEY.c.digest, KEY.c.local_id).where(
                        KEY.c.agency == agency, member_of(connection, KEY.c.local_id, chunk)
                    )
                ).all()
                for kind, digest, local_id in rows:
                    self._hold((kind, digest), (agency, local_id), None)

    def _hold(self, key: Key, rid: RecordId, worker: str | None) -> None:
        holders = self.holders[key]
        if rid not in holders:
            holders.add(rid)
            self.held[rid].append(key)
        if worker is not None:
            self.owner.setdefault(rid, worker)

    def forget(self, rid: RecordId) -> None:
        """The record's stored keys no longer hold it (it is being relinked)."""
        for key in self.held.pop(rid, ()):
            self.holders[key].discard(rid)

    def read_merged(self, connection: Connection, workers: Iterable[str]) -> None:
        """``merged_into`` of each worker not read yet, following merges to their end."""
        pending = set(workers) - self.merged.keys()
        while pending:
            for chunk in batches(connection, sorted(pending)):
                rows = connection.execute(
                    select(WORKER.c.id, WORKER.c.merged_into).where(
                        member_of(connection, WORKER.c.id, chunk)
                    )
                ).all()
                self.merged.update(dict(rows))
            targets = {self.merged.get(w) for w in pending}
            pending = {t for t in targets if t is not None} - self.merged.keys()

    def read_niks(self, connection: Connection, workers: Iterable[str]) -> None:
        """The NIK digests the stored records of each worker hold (added to what the page
        has linked to it already). ``kind || ''`` keeps the planner on the records' worker
        index: on ``kind = 'NIK'`` SQLite chose to walk every NIK key of the table."""
        wanted = sorted(set(workers) - self.niks_read)
        if not wanted:
            return
        self.niks_read.update(wanted)
        joined = RECORD.join(
            KEY, (KEY.c.agency == RECORD.c.agency) & (KEY.c.local_id == RECORD.c.local_id)
        )
        for chunk in batches(connection, wanted):
            rows = connection.execute(
                select(RECORD.c.worker_id, KEY.c.digest)
                .select_from(joined)
                .where(
                    member_of(connection, RECORD.c.worker_id, chunk), KEY.c.kind.concat("") == NIK
                )
            ).all()
            for worker, digest in rows:
                self.niks[worker].add(digest)
