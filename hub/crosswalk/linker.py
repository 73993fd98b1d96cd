"""Deterministic record linkage: records sharing an identifier belong to one worker.

A record is linked to the worker of any record sharing one of its keys (NIK, passport,
agency cross-references). Two workers are merged only when nothing says they are different
people: a NIK on both sides that differs always keeps them apart, whatever else they share.
Merged worker ids stay valid (``merged_into``) so ids handed out earlier keep answering.

Records are linked a page at a time: everything the page needs is read in a handful of
queries, the page is linked in memory (each record seeing the ones before it), and the
changes are written in one flush.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import tuple_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from hub.crosswalk.keys import (
    NIK,
    STRENGTH,
    Pseudonymizer,
    fingerprint,
    key_kind_method,
    record_keys,
)
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow
from schema.enums import MatchMethod
from schema.records import PersonRecord

Key = tuple[str, str]  # (kind, digest)
RecordId = tuple[str, str]  # (agency, local_id)
CHUNK = 400  # values per IN (...) clause, under SQLite's and PostgreSQL's limits


@dataclass(frozen=True, slots=True)
class Link:
    agency: str
    local_id: str
    method: str
    confidence: float


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    worker_id: str
    changed: bool  # False when the record was already linked with the same attributes


def new_worker_id() -> str:
    return "wk_" + secrets.token_hex(10)


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@dataclass
class _Page:
    """What the records of one page, and everything they touch, look like in the database."""

    holders: dict[Key, set[RecordId]] = field(default_factory=lambda: defaultdict(set))
    owner: dict[RecordId, str] = field(default_factory=dict)  # record -> worker id
    merged: dict[str, str | None] = field(default_factory=dict)  # worker -> merged_into
    niks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # worker -> NIKs


class Linker:
    """Links person records into workers inside one database session."""

    def __init__(self, session: Session, pseudonymizer: Pseudonymizer) -> None:
        self.session = session
        self.pseudo = pseudonymizer

    def link(self, record: PersonRecord) -> LinkOutcome:
        return self.link_many([record])[0]

    def link_many(self, records: Sequence[PersonRecord]) -> list[LinkOutcome]:
        s = self.session
        with s.no_autoflush:
            ids = [(r.agency, r.local_id) for r in records]
            existing = self._existing(ids)
            prints = [fingerprint(r) for r in records]
            todo = [
                i
                for i, (rid, fp) in enumerate(zip(ids, prints, strict=True))
                if rid not in existing or existing[rid].fingerprint != fp
            ]
            keys = {
                i: [
                    (kind, self.pseudo.digest(kind, value))
                    for kind, value in record_keys(records[i])
                ]
                for i in todo
            }
            page = self._load_page(
                {k for ks in keys.values() for k in ks},
                [ids[i] for i in todo if ids[i] in existing],
            )
            outcomes: list[LinkOutcome] = []
            now = datetime.now(UTC)
            for i, record in enumerate(records):
                row = existing.get(ids[i])
                if i not in keys:
                    assert row is not None
                    outcomes.append(LinkOutcome(self._canonical(page, row.worker_id), False))
                    continue
                worker = self._link_one(page, record, keys[i], row, prints[i], now)
                outcomes.append(LinkOutcome(worker, True))
        s.flush()
        return outcomes

    # -- reading ---------------------------------------------------------------------------

    def _existing(self, ids: list[RecordId]) -> dict[RecordId, AgencyRecordRow]:
        found: dict[RecordId, AgencyRecordRow] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            rows = self.session.exec(
                select(AgencyRecordRow).where(
                    tuple_(col(AgencyRecordRow.agency), col(AgencyRecordRow.local_id)).in_(chunk)
                )
            )
            found.update({(r.agency, r.local_id): r for r in rows})
        return found

    def _load_page(self, keys: set[Key], relinked: list[RecordId]) -> _Page:
        s, page = self.session, _Page()
        for chunk in _chunks(sorted(keys)):
            for row in s.exec(
                select(RecordKeyRow).where(
                    tuple_(col(RecordKeyRow.kind), col(RecordKeyRow.digest)).in_(chunk)
                )
            ):
                page.holders[(row.kind, row.digest)].add((row.agency, row.local_id))
        for chunk in _chunks(relinked):  # keys the relinked records held until now
            for row in s.exec(
                select(RecordKeyRow).where(
                    tuple_(col(RecordKeyRow.agency), col(RecordKeyRow.local_id)).in_(chunk)
                )
            ):
                page.holders[(row.kind, row.digest)].add((row.agency, row.local_id))
        holders = sorted({h for hs in page.holders.values() for h in hs})
        page.owner.update({rid: row.worker_id for rid, row in self._existing(holders).items()})
        self._load_workers(page, set(page.owner.values()))
        return page

    def _load_workers(self, page: _Page, workers: set[str]) -> None:
        s = self.session
        pending = workers - set(page.merged)
        while pending:
            batch = sorted(pending)
            for chunk in _chunks(batch):
                for row in s.exec(select(WorkerRow).where(col(WorkerRow.id).in_(chunk))):
                    page.merged[row.id] = row.merged_into
            for chunk in _chunks(batch):
                for digest, worker in s.exec(
                    select(RecordKeyRow.digest, AgencyRecordRow.worker_id)
                    .join(
                        AgencyRecordRow,
                        (col(AgencyRecordRow.agency) == col(RecordKeyRow.agency))
                        & (col(AgencyRecordRow.local_id) == col(RecordKeyRow.local_id)),
                    )
                    .where(col(RecordKeyRow.kind) == NIK, col(AgencyRecordRow.worker_id).in_(chunk))
                ):
                    page.niks[worker].add(digest)
            targets = {m for w in batch if (m := page.merged.get(w))}
            pending = targets - set(page.merged)

    def _canonical(self, page: _Page, worker: str) -> str:
        for _ in range(32):
            if worker not in page.merged:
                self._load_workers(page, {worker})
            nxt = page.merged.get(worker)
            if nxt is None:
                return worker
            worker = nxt
        return worker

    # -- linking ---------------------------------------------------------------------------

    def _link_one(
        self,
        page: _Page,
        record: PersonRecord,
        keys: list[Key],
        row: AgencyRecordRow | None,
        fp: str,
        now: datetime,
    ) -> str:
        me = (record.agency, record.local_id)
        nik = next((d for kind, d in keys if kind == NIK), None)
        candidates: dict[str, str] = {}
        for key in keys:
            for holder in page.holders.get(key, ()):
                if holder == me or holder not in page.owner:
                    continue
                worker = self._canonical(page, page.owner[holder])
                best = candidates.get(worker)
                if (
                    best is None
                    or STRENGTH[key_kind_method(key[0])] > STRENGTH[key_kind_method(best)]
                ):
                    candidates[worker] = key[0]
        compatible = {
            w: kind
            for w, kind in candidates.items()
            if nik is None or not page.niks[w] or nik in page.niks[w]
        }
        if row is not None and row.method == MatchMethod.MANUAL:
            worker, method = self._canonical(page, row.worker_id), str(row.method)
        elif compatible:
            worker = max(compatible, key=lambda w: (STRENGTH[key_kind_method(compatible[w])], w))
            method = key_kind_method(compatible[worker])
            self._merge(page, worker, [w for w in compatible if w != worker], nik)
        else:
            worker = new_worker_id()
            self.session.add(WorkerRow(id=worker, created_at=now))
            self.session.flush()  # the worker row must exist before a record refers to it
            page.merged[worker] = None
            method = str(MatchMethod.NIK if nik else MatchMethod.AGENCY_ID)
        if row is None:
            row = AgencyRecordRow(
                agency=me[0],
                local_id=me[1],
                worker_id=worker,
                method=method,
                fingerprint=fp,
                updated_at=now,
            )
        row.worker_id, row.method, row.fingerprint, row.updated_at = worker, method, fp, now
        row.confidence = 1.0
        self.session.add(row)
        for held in page.holders.values():
            held.discard(me)
        self.session.exec(
            delete(RecordKeyRow).where(
                col(RecordKeyRow.agency) == me[0], col(RecordKeyRow.local_id) == me[1]
            )
        )
        self.session.add_all(
            RecordKeyRow(kind=kind, digest=digest, agency=me[0], local_id=me[1])
            for kind, digest in keys
        )
        for key in keys:
            page.holders[key].add(me)
        page.owner[me] = worker
        if nik:
            page.niks[worker].add(nik)
        return worker

    def _merge(self, page: _Page, primary: str, others: list[str], nik: str | None) -> None:
        """Fold ``others`` into ``primary`` unless their NIKs say they are someone else."""
        primary_niks = page.niks[primary] | ({nik} if nik else set())
        for other in others:
            other_niks = page.niks[other]
            if primary_niks and other_niks and not other_niks <= primary_niks:
                continue
            self.session.flush()
            self.session.exec(
                update(AgencyRecordRow)
                .where(col(AgencyRecordRow.worker_id) == other)
                .values(worker_id=primary)
            )
            self.session.exec(
                update(WorkerRow).where(col(WorkerRow.id) == other).values(merged_into=primary)
            )
            self.session.expire_all()
            page.merged[other] = primary
            for rid, worker in page.owner.items():
                if worker == other:
                    page.owner[rid] = primary
            primary_niks |= other_niks
            page.niks[primary] |= other_niks


def canonical_id(session: Session, worker_id: str) -> str:
    """Follow ``merged_into`` to the worker id that now holds the records."""
    current = worker_id
    for _ in range(32):
        row = session.get(WorkerRow, current)
        if row is None or row.merged_into is None:
            return current
        current = row.merged_into
    return current


def link_records(engine: Engine, pseudo: Pseudonymizer, records: Sequence[PersonRecord]) -> int:
    """Link a batch of records in one transaction; return how many changed."""
    with Session(engine) as session:
        changed = sum(o.changed for o in Linker(session, pseudo).link_many(records))
        session.commit()
    return changed
