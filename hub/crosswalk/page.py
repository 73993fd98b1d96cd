"""What one page of records, and everything it touches, looks like in the crosswalk.

The linker reads a page's world in a few Core queries (plain tuples, no ORM objects: building
one mapped object per row cost more than the query), links the page in memory and writes the
changes back in a few executemany statements (``Page.write``). Lookups by record are
grouped by agency (``agency = ? AND local_id IN ...``, the primary key), lookups by identifier by
kind (``kind = ? AND digest IN ...``, record_key's); the values of each go in as one parameter
(hub.storage.members).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from hub.crosswalk.keys import NIK
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow
from hub.identity.attributes import COLUMNS
from hub.identity.matcher import Blocks
from hub.identity.tables import IdentityAttributeRow, MatchCandidateRow
from hub.storage.bulk import insert_rows
from hub.storage.members import batches, member_of

Key = tuple[str, str]  # (kind, digest)
RecordId = tuple[str, str]  # (agency, local_id)

RECORD: Any = AgencyRecordRow.__table__  # type: ignore[attr-defined]
KEY: Any = RecordKeyRow.__table__  # type: ignore[attr-defined]
WORKER: Any = WorkerRow.__table__  # type: ignore[attr-defined]
ATTRIBUTE: Any = IdentityAttributeRow.__table__  # type: ignore[attr-defined]
CANDIDATE: Any = MatchCandidateRow.__table__  # type: ignore[attr-defined]
WORKER_COLUMNS = ("id", "created_at", "merged_into")
RECORD_COLUMNS = (
    "agency",
    "local_id",
    "worker_id",
    "method",
    "confidence",
    "fingerprint",
    "updated_at",
)
KEY_COLUMNS = ("kind", "digest", "agency", "local_id")
ATTRIBUTE_COLUMNS = ("agency", "local_id", *COLUMNS)  # Attributes.to_values order


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

    def read_born(self, connection: Connection, records: Iterable[RecordId]) -> None:
        """The stored birth dates of ``records`` (relinked: already stored)."""
        for agency, local_ids in by_agency(records).items():
            for chunk in batches(connection, local_ids):
                rows = connection.execute(
                    select(ATTRIBUTE.c.local_id, ATTRIBUTE.c.birth_date).where(
                        ATTRIBUTE.c.agency == agency,
                        member_of(connection, ATTRIBUTE.c.local_id, chunk),
                    )
                ).all()
                self.born.update({(agency, local_id): born for local_id, born in rows})

    # -- writing ---------------------------------------------------------------------------

    def write_workers(self, connection: Connection) -> None:
        """New worker rows first: records and merges refer to them."""
        if self.new_workers:
            insert_rows(connection, WORKER, WORKER_COLUMNS, self.new_workers)
            self.new_workers = []

    def write(self, connection: Connection, canonical: Callable[[str], str]) -> None:
        """The page's workers, records (under their ``canonical`` worker), keys, attributes and
        queued pairs, a statement each."""
        self.write_workers(connection)
        for agency, local_ids in by_agency(self.stale_keys).items():
            for chunk in batches(connection, local_ids):
                connection.execute(
                    delete(KEY).where(
                        KEY.c.agency == agency, member_of(connection, KEY.c.local_id, chunk)
                    )
                )
        fresh, moved = [], []
        for values in self.records.values():
            row = {**values, "worker_id": canonical(values["worker_id"])}
            if row.pop("stored"):
                moved.append({f"b_{k}": v for k, v in row.items()})
            else:
                fresh.append(tuple(row[c] for c in RECORD_COLUMNS))
        insert_rows(connection, RECORD, RECORD_COLUMNS, fresh)
        if moved:
            connection.execute(_updating(RECORD, moved[0]), moved)
        insert_rows(connection, KEY, KEY_COLUMNS, sorted(self.new_keys))  # index order
        insert_rows(connection, ATTRIBUTE, ATTRIBUTE_COLUMNS, self.new_attributes)
        if self.changed_attributes:
            connection.execute(
                _updating(ATTRIBUTE, self.changed_attributes[0]), self.changed_attributes
            )
        if self.candidates:
            connection.execute(insert(CANDIDATE), self.candidates)


def retire_candidates(connection: Connection, records: Iterable[RecordId]) -> None:
    """Pairs still queued for ``records`` are superseded: the records are being relinked."""
    for agency, local_ids in by_agency(records).items():
        for chunk in batches(connection, local_ids):
            connection.execute(
                update(CANDIDATE)
                .where(
                    CANDIDATE.c.agency == agency,
                    member_of(connection, CANDIDATE.c.local_id, chunk),
                    CANDIDATE.c.status == "PENDING",
                )
                .values(status="SUPERSEDED")
            )


def _updating(table: Any, sample: dict[str, Any]) -> Any:
    """An executemany UPDATE by (agency, local_id) of the columns in ``sample`` (``b_`` keys)."""
    columns = [k.removeprefix("b_") for k in sample if k not in ("b_agency", "b_local_id")]
    return (
        update(table)
        .where(table.c.agency == bindparam("b_agency"), table.c.local_id == bindparam("b_local_id"))
        .values({c: bindparam(f"b_{c}") for c in columns})
    )
