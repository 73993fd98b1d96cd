"""The review queue: identity officers confirm or reject proposed matches and split workers.

Every decision is kept in ``identity_decision`` and the records it touches are written as
MANUAL links, which the linker never moves; rejected and split-off pairs become do-not-link
constraints the linker honours on every later sync (hub.crosswalk.linker). Operations take
the candidate or worker as the API names it and raise ``ReviewError`` with a stable code and
bilingual text for anything that cannot be done; nothing changes then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.crosswalk.keys import NIK
from hub.crosswalk.linker import canonical_id, new_worker_id
from hub.crosswalk.page import by_agency
from hub.crosswalk.serial import hold_crosswalk_lock
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow
from hub.identity.tables import IdentityDecisionRow, MatchCandidateRow
from hub.storage.members import member_of
from hub.storage.unit import writing
from schema.enums import MatchMethod

RecordId = tuple[str, str]
PENDING, CONFIRMED, REJECTED, SUPERSEDED = "PENDING", "CONFIRMED", "REJECTED", "SUPERSEDED"


class ReviewError(Exception):
    """A decision that cannot be taken; ``code`` goes to ``extensions.code``."""

    def __init__(self, code: str, text_id: str, text_en: str, argument: str | None = None):
        super().__init__(text_en)
        self.code, self.text_id, self.text_en, self.argument = code, text_id, text_en, argument


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    agency: str
    local_id: str
    record_worker_id: str  # where the record is now
    worker_id: str  # the worker it may be (canonical)
    confidence: float
    weight: float
    evidence: dict[str, dict[str, object]]
    ambiguous: bool
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CandidatePage:
    items: list[Candidate]
    total: int
    has_next: bool


def _not_found_candidate() -> ReviewError:
    return ReviewError(
        "NOT_FOUND", "Kandidat pencocokan tidak ditemukan", "No such match candidate", "id"
    )


class ReviewQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading ---------------------------------------------------------------------------

    def pending(self, first: int = 20, after: int | None = None) -> CandidatePage:
        """Pending pairs, oldest first; ``after`` is the last id of the previous page."""
        c = MatchCandidateRow
        with Session(self.engine) as s:
            query = select(c).where(col(c.status) == PENDING)
            if after is not None:
                query = query.where(col(c.id) > after)
            rows = s.exec(query.order_by(col(c.id)).limit(first + 1)).all()
            total = s.exec(
                select(func.count()).select_from(c).where(col(c.status) == PENDING)
            ).one()
            return CandidatePage([self._view(s, r) for r in rows[:first]], total, len(rows) > first)

    def get(self, candidate_id: int) -> Candidate:
        with Session(self.engine) as s:
            row = s.get(MatchCandidateRow, candidate_id)
            if row is None:
                raise _not_found_candidate()
            return self._view(s, row)

    def _view(self, s: Session, row: MatchCandidateRow) -> Candidate:
        record = s.get(AgencyRecordRow, (row.agency, row.local_id))
        assert row.id is not None
        return Candidate(
            id=row.id,
            agency=row.agency,
            local_id=row.local_id,
            record_worker_id=canonical_id(s, record.worker_id) if record else "",
            worker_id=canonical_id(s, row.worker_id),
            confidence=row.confidence,
            weight=row.weight,
            evidence=json.loads(row.evidence),
            ambiguous=row.ambiguous,
            status=row.status,
            created_at=row.created_at,
        )

    # -- deciding --------------------------------------------------------------------------

    def confirm(self, candidate_id: int, officer: str, session: Session | None = None) -> Candidate:
        """The record is the candidate worker: its worker is merged into the candidate."""
        now = datetime.now(UTC)
        with writing(self.engine, session) as s:
            hold_crosswalk_lock(s.connection())
            row = self._pending(s, candidate_id)
            record = s.get(AgencyRecordRow, (row.agency, row.local_id))
            if record is None:
                raise _not_found_candidate()
            source = canonical_id(s, record.worker_id)
            target = canonical_id(s, row.worker_id)
            if source != target:
                mine, theirs = _niks(s, source), _niks(s, target)
                if mine and theirs and mine != theirs:
                    raise ReviewError(
                        "NIK_CONFLICT",
                        "Rekaman ini dan pekerja itu memiliki NIK berbeda; tidak dapat digabung",
                        "The record and the worker hold different NIKs; they cannot be merged",
                        "id",
                    )
                s.exec(
                    update(AgencyRecordRow)
                    .where(col(AgencyRecordRow.worker_id) == source)
                    .values(worker_id=target)
                )
                s.exec(
                    update(WorkerRow).where(col(WorkerRow.id) == source).values(merged_into=target)
                )
                s.expire_all()
                record = s.get(AgencyRecordRow, (row.agency, row.local_id))
                row = s.get(MatchCandidateRow, candidate_id)  # type: ignore[assignment]
                assert record is not None and row is not None
            record.method, record.confidence, record.updated_at = MatchMethod.MANUAL, 1.0, now
            s.add(record)
            self._decide(s, row, CONFIRMED, officer, now)
            s.add(_decision("CONFIRM", (row.agency, row.local_id), target, officer, now, row.id))
            self._supersede_others(s, row)
            s.flush()
            return self._view(s, row)

    def reject(self, candidate_id: int, officer: str, session: Session | None = None) -> Candidate:
        """The record is not the candidate worker, now and on every later sync."""
        now = datetime.now(UTC)
        with writing(self.engine, session) as s:
            hold_crosswalk_lock(s.connection())
            row = self._pending(s, candidate_id)
            target = canonical_id(s, row.worker_id)
            self._decide(s, row, REJECTED, officer, now)
            s.add(_decision("REJECT", (row.agency, row.local_id), target, officer, now, row.id))
            s.flush()
            return self._view(s, row)

    def split(
        self,
        worker_id: str,
        records: Sequence[RecordId],
        officer: str,
        session: Session | None = None,
    ) -> str:
        """Move ``records`` out of the worker to a new worker; return its id. The two are
        kept apart from then on."""
        wanted = list(dict.fromkeys(records))
        if not wanted:
            raise ReviewError(
                "BAD_USER_INPUT",
                "Sebutkan paling sedikit satu rekaman yang dipisahkan",
                "Name at least one record to split off",
                "records",
            )
        now = datetime.now(UTC)
        with writing(self.engine, session) as s:
            hold_crosswalk_lock(s.connection())
            worker = s.get(WorkerRow, worker_id)
            if worker is None:
                raise ReviewError(
                    "NOT_FOUND", "Pekerja tidak ditemukan", "No such worker", "workerId"
                )
            current = canonical_id(s, worker_id)
            held = {
                (r.agency, r.local_id): r
                for r in s.exec(
                    select(AgencyRecordRow).where(col(AgencyRecordRow.worker_id) == current)
                )
            }
            strangers = [rid for rid in wanted if rid not in held]
            if strangers:
                raise ReviewError(
                    "RECORD_NOT_IN_WORKER",
                    "Rekaman tidak tertaut ke pekerja ini: "
                    + ", ".join(f"{a}/{i}" for a, i in strangers),
                    "Records not linked to this worker: "
                    + ", ".join(f"{a}/{i}" for a, i in strangers),
                    "records",
                )
            staying = [rid for rid in held if rid not in wanted]
            if not staying:
                raise ReviewError(
                    "BAD_USER_INPUT",
                    "Semua rekaman pekerja dipilih; tidak ada yang dipisahkan",
                    "Every record of the worker was named; nothing would be split",
                    "records",
                )
            moving_niks = _record_niks(s, wanted)
            if moving_niks & _record_niks(s, staying):
                raise ReviewError(
                    "NIK_CONFLICT",
                    "Rekaman yang dipisahkan memiliki NIK yang sama dengan yang tersisa; "
                    "perbaiki NIK di instansi asal",
                    "The records split off share a NIK with those that stay; correct the NIK "
                    "at the agency that holds it",
                    "records",
                )
            new = new_worker_id()
            s.add(WorkerRow(id=new, created_at=now))
            s.flush()
            for rid in wanted:
                record = held[rid]
                record.worker_id, record.method, record.confidence = new, MatchMethod.MANUAL, 1.0
                record.updated_at = now
                s.add(record)
                s.add(_decision("SPLIT", rid, current, officer, now))
            for rid in staying:
                s.add(_decision("SPLIT", rid, new, officer, now))
            s.flush()
            return new

    # -- helpers ---------------------------------------------------------------------------

    def _pending(self, s: Session, candidate_id: int) -> MatchCandidateRow:
        row = s.get(MatchCandidateRow, candidate_id)
        if row is None:
            raise _not_found_candidate()
        if row.status != PENDING:
            raise ReviewError(
                "CANDIDATE_NOT_PENDING",
                f"Kandidat sudah diputuskan ({row.status})",
                f"The candidate was already decided ({row.status})",
                "id",
            )
        return row

    @staticmethod
    def _decide(
        s: Session, row: MatchCandidateRow, status: str, officer: str, now: datetime
    ) -> None:
        row.status, row.decided_at, row.decided_by = status, now, officer[:120]
        s.add(row)

    @staticmethod
    def _supersede_others(s: Session, row: MatchCandidateRow) -> None:
        s.exec(
            update(MatchCandidateRow)
            .where(
                col(MatchCandidateRow.agency) == row.agency,
                col(MatchCandidateRow.local_id) == row.local_id,
                col(MatchCandidateRow.status) == PENDING,
                col(MatchCandidateRow.id) != row.id,
            )
            .values(status=SUPERSEDED)
        )


def _decision(
    kind: str,
    rid: RecordId,
    worker: str,
    officer: str,
    now: datetime,
    candidate_id: int | None = None,
) -> IdentityDecisionRow:
    return IdentityDecisionRow(
        kind=kind,
        agency=rid[0],
        local_id=rid[1],
        worker_id=worker,
        candidate_id=candidate_id,
        decided_by=officer[:120],
        decided_at=now,
    )


def _niks(s: Session, worker: str) -> set[str]:
    """The NIK digests the worker's records hold."""
    k, r = RecordKeyRow, AgencyRecordRow
    return set(
        s.exec(
            select(k.digest)
            .join(r, (col(r.agency) == col(k.agency)) & (col(r.local_id) == col(k.local_id)))
            .where(col(k.kind) == NIK, col(r.worker_id) == worker)
        ).all()
    )


def _record_niks(s: Session, records: Sequence[RecordId]) -> set[str]:
    k, connection = RecordKeyRow.__table__, s.connection()  # type: ignore[attr-defined]
    found: set[str] = set()
    for agency, local_ids in by_agency(records).items():
        found.update(
            connection.execute(
                select(k.c.digest).where(
                    k.c.kind == NIK,
                    k.c.agency == agency,
                    member_of(connection, k.c.local_id, local_ids),
                )
            ).scalars()
        )
    return found
