"""Deterministic record linkage: records sharing an identifier belong to one worker.

A record is linked to the worker of any record sharing one of its keys (NIK, passport,
agency cross-references). Two workers are merged only when nothing says they are different
people: a NIK on both sides that differs always keeps them apart, whatever else they share.
Merged worker ids stay valid (``merged_into``) so ids handed out earlier keep answering.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import tuple_
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


class Linker:
    """Links person records into workers inside one database transaction."""

    def __init__(self, session: Session, pseudonymizer: Pseudonymizer) -> None:
        self.session = session
        self.pseudo = pseudonymizer

    def link(self, record: PersonRecord) -> LinkOutcome:
        s = self.session
        fp = fingerprint(record)
        existing = s.get(AgencyRecordRow, (record.agency, record.local_id))
        if existing is not None and existing.fingerprint == fp:
            return LinkOutcome(canonical_id(s, existing.worker_id), changed=False)
        keys = [(kind, self.pseudo.digest(kind, value)) for kind, value in record_keys(record)]
        nik = self.pseudo.digest(NIK, record.nik) if record.nik else None
        candidates = self._candidates(record, keys)
        compatible = {
            worker: kind
            for worker, kind in candidates.items()
            if nik is None or not (niks := self._worker_niks(worker)) or nik in niks
        }
        now = datetime.now(UTC)
        if existing is not None and existing.method == MatchMethod.MANUAL:
            worker_id, method = canonical_id(s, existing.worker_id), str(existing.method)
        elif compatible:
            worker_id = max(compatible, key=lambda w: (STRENGTH[key_kind_method(compatible[w])], w))
            method = key_kind_method(compatible[worker_id])
            self._merge_compatible(worker_id, [w for w in compatible if w != worker_id], nik)
        else:
            worker_id = new_worker_id()
            s.add(WorkerRow(id=worker_id, created_at=now))
            s.flush()  # the worker row must exist before a record refers to it
            method = str(MatchMethod.NIK if nik else MatchMethod.AGENCY_ID)
        row = existing or AgencyRecordRow(
            agency=record.agency,
            local_id=record.local_id,
            worker_id=worker_id,
            method=method,
            fingerprint=fp,
            updated_at=now,
        )
        row.worker_id, row.method, row.fingerprint, row.updated_at = worker_id, method, fp, now
        row.confidence = 1.0
        s.add(row)
        s.exec(
            delete(RecordKeyRow).where(
                col(RecordKeyRow.agency) == record.agency,
                col(RecordKeyRow.local_id) == record.local_id,
            )
        )
        s.add_all(
            RecordKeyRow(kind=kind, digest=digest, agency=record.agency, local_id=record.local_id)
            for kind, digest in keys
        )
        s.flush()
        return LinkOutcome(worker_id, changed=True)

    def _candidates(self, record: PersonRecord, keys: list[tuple[str, str]]) -> dict[str, str]:
        """Workers sharing a key with the record, each with the strongest kind shared."""
        s = self.session
        rows = s.exec(
            select(RecordKeyRow).where(
                tuple_(col(RecordKeyRow.kind), col(RecordKeyRow.digest)).in_(keys)
            )
        ).all()
        found: dict[str, str] = {}
        for row in rows:
            if (row.agency, row.local_id) == (record.agency, record.local_id):
                continue
            other = s.get(AgencyRecordRow, (row.agency, row.local_id))
            if other is None:
                continue
            worker = canonical_id(s, other.worker_id)
            best = found.get(worker)
            if (
                best is None
                or STRENGTH[key_kind_method(row.kind)] > STRENGTH[key_kind_method(best)]
            ):
                found[worker] = row.kind
        return found

    def _worker_niks(self, worker_id: str) -> set[str]:
        rows = self.session.exec(
            select(RecordKeyRow.digest)
            .join(
                AgencyRecordRow,
                (col(AgencyRecordRow.agency) == col(RecordKeyRow.agency))
                & (col(AgencyRecordRow.local_id) == col(RecordKeyRow.local_id)),
            )
            .where(col(AgencyRecordRow.worker_id) == worker_id, col(RecordKeyRow.kind) == NIK)
        ).all()
        return set(rows)

    def _merge_compatible(self, primary: str, others: Iterable[str], nik: str | None) -> None:
        """Fold ``others`` into ``primary`` unless their NIKs say they are someone else."""
        s = self.session
        primary_niks = self._worker_niks(primary) | ({nik} if nik else set())
        for other in others:
            other_niks = self._worker_niks(other)
            if primary_niks and other_niks and not other_niks <= primary_niks:
                continue
            for row in s.exec(
                select(AgencyRecordRow).where(col(AgencyRecordRow.worker_id) == other)
            ).all():
                row.worker_id = primary
                s.add(row)
            worker = s.get(WorkerRow, other)
            if worker is not None:
                worker.merged_into = primary
                s.add(worker)
            primary_niks |= other_niks


def canonical_id(session: Session, worker_id: str) -> str:
    """Follow ``merged_into`` to the worker id that now holds the records."""
    seen = 0
    current = worker_id
    while seen < 32:
        row = session.get(WorkerRow, current)
        if row is None or row.merged_into is None:
            return current
        current = row.merged_into
        seen += 1
    return current


def link_records(engine: Engine, pseudo: Pseudonymizer, records: Sequence[PersonRecord]) -> int:
    """Link a batch of records in one transaction; return how many changed."""
    with Session(engine) as session:
        linker = Linker(session, pseudo)
        changed = sum(linker.link(record).changed for record in records)
        session.commit()
    return changed
