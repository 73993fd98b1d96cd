"""``AuditTrail``: append entries to the chain (fail closed), sign checkpoints, purge, verify.

Appends are serialised so the chain stays linear across threads and processes: PostgreSQL takes
a transaction-scoped advisory lock, SQLite ``BEGIN IMMEDIATE``. A request costs one batched
INSERT and one head update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from hub.audit.chain import GENESIS, as_utc, entry_hash
from hub.audit.entry import AccessEntry, AuditUnavailable, encode_categories
from hub.audit.keys import TrustedKeys, encode_public
from hub.audit.members import MEMBER, commitment
from hub.audit.pages import AccessLogPage, ReportRow, access_page, report_rows
from hub.audit.signing import AuditSigner, checkpoint_payload
from hub.audit.source import verify_database
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow
from hub.audit.verify import VerifyReport

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]
LOCK_KEY = 0x504D_4948_4155_4454  # "PMIHAUDT": the advisory lock of the audit chain
# Every request's append runs these: built once, not per append (SQLAlchemy caches their SQL,
# but building a statement and its cache key again costs about as much as running it).
LOCK = text("SELECT pg_advisory_xact_lock(:key)")
READ_HEAD = select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1)
MOVE_HEAD = (
    update(HEAD)
    .where(HEAD.c.id == 1)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)
ADD_ENTRIES = insert(ENTRY)
ADD_MEMBERS = insert(MEMBER)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AuditedChange:
    """The session a change writes through, and the audit entries that commit with it."""

    session: Session
    entries: list[AccessEntry] = field(default_factory=list)

    def record(self, *entries: AccessEntry) -> None:
        self.entries.extend(entries)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    head_hash: str
    signed_at: datetime
    key_id: str
    purged_before_seq: int | None = None
    next_public_key: str | None = None


class AuditTrail:
    def __init__(
        self,
        engine: Engine,
        signer: AuditSigner,
        clock: Callable[[], datetime] = _utc_now,
        *,
        publish: bool = True,
    ) -> None:
        self.engine = engine
        self.signer = signer
        self.clock = clock
        self.publish = publish  # queue each checkpoint to the witnesses (hub.audit.publish)
        self._postgres = engine.dialect.name == "postgresql"

    # -- the request path -----------------------------------------------------------------------

    def record(self, entries: Sequence[AccessEntry]) -> None:
        """Append one request's entries in one transaction; ``AuditUnavailable`` on any failure."""
        if not entries:
            return
        try:
            with self.engine.connect() as conn:
                self._append(conn, self._lock_head(conn), entries)
                conn.commit()
        except (SQLAlchemyError, OSError) as exc:
            raise AuditUnavailable(type(exc).__name__) from exc

    @contextmanager
    def unit(self) -> Iterator[AuditedChange]:
        """A change and its audit entries in one transaction: the chain is locked first, the
        change writes through ``unit.session`` (``hub.storage.unit.writing``) and adds its
        entries with ``unit.record``; both commit at the end of the block or neither does.
        ``AuditUnavailable`` when the chain cannot be locked or written (nothing changed)."""
        with self.engine.connect() as conn:
            try:
                head = self._lock_head(conn)
            except (SQLAlchemyError, OSError) as exc:
                raise AuditUnavailable(type(exc).__name__) from exc
            with Session(bind=conn) as session:
                change = AuditedChange(session)
                yield change  # an exception here rolls the change back with the connection
                session.flush()
            try:
                self._append(conn, head, change.entries)
                conn.commit()
            except (SQLAlchemyError, OSError) as exc:
                raise AuditUnavailable(type(exc).__name__) from exc

    # -- administration -------------------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """Sign the current chain head."""
        with self.engine.connect() as conn:
            seq, head_hash, _ = self._lock_head(conn)
            made = self._sign(conn, seq, head_hash, None)
            conn.commit()
        return made

    def purge(self, before: datetime) -> int:
        """Delete entries older than ``before`` behind a signed checkpoint; how many went."""
        cutoff = as_utc(before)
        with self.engine.connect() as conn:
            seq, head_hash, _ = self._lock_head(conn)
            self._sign(conn, seq, head_hash, None)
            first = conn.execute(select(func.min(ENTRY.c.seq))).scalar()
            newer = conn.execute(select(func.min(ENTRY.c.seq)).where(ENTRY.c.at >= cutoff)).scalar()
            cut = newer if newer is not None else seq + 1
            if first is None or cut <= first:
                conn.commit()
                return 0
            anchor = conn.execute(select(ENTRY.c.hash).where(ENTRY.c.seq == cut - 1)).scalar()
            if anchor is None:
                raise AuditUnavailable("the entry before the cut is missing: run audit verify")
            self._sign(conn, cut - 1, anchor, cut)
            gone = conn.execute(delete(ENTRY).where(ENTRY.c.seq < cut)).rowcount
            conn.execute(delete(MEMBER).where(MEMBER.c.seq < cut))
            conn.commit()
        return int(gone or 0)

    def handover(self, next_public: Ed25519PublicKey) -> Checkpoint:
        """Sign the chain head with the current key, naming the key that signs from now on:
        whoever trusts the current key then trusts the next (key rotation)."""
        with self.engine.connect() as conn:
            seq, head_hash, _ = self._lock_head(conn)
            made = self._sign(conn, seq, head_hash, None, encode_public(next_public))
            conn.commit()
        return made

    def verify(self, keys: TrustedKeys | None = None, witness: Sequence[Any] = ()) -> VerifyReport:
        """Check the chain, streaming it; with ``keys`` (public keys only) instead of the
        signer's, and against the checkpoints a witness kept."""
        return verify_database(self.engine, keys or TrustedKeys(self.signer.trusted), witness)

    # -- reading --------------------------------------------------------------------------------

    def access_log(
        self, worker_id: str, first: int = 20, after: str | None = None, member: str | None = None
    ) -> AccessLogPage:
        """Who read this worker's data, newest first (refused attempts are not reads); with
        ``member`` (hub.audit.members.member_key), the bulk entries that listed the worker too."""
        return access_page(self.engine, worker_id, first, after, member)

    def report(self, since: datetime) -> list[ReportRow]:
        """Access per client and purpose since ``since``."""
        return report_rows(self.engine, as_utc(since))

    # -- internals ------------------------------------------------------------------------------

    def _append(
        self, conn: Connection, head: tuple[int, str, bool], entries: Sequence[AccessEntry]
    ) -> None:
        """Insert ``entries`` after ``head`` (locked) and move the head; the caller commits."""
        seq, prev, exists = head
        if not entries:
            return
        at = as_utc(self.clock())
        rows: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for entry in entries:
            seq += 1
            values = _values(entry, seq, at, prev)
            prev = values["hash"] = entry_hash(values)
            rows.append(values)
            members += [{"seq": seq, "member": m} for m in sorted(entry.members)]
        conn.execute(ADD_ENTRIES, rows)
        if members:
            conn.execute(ADD_MEMBERS, members)
        self._set_head(conn, seq, prev, exists)

    def _lock_head(self, conn: Connection) -> tuple[int, str, bool]:
        if self._postgres:
            conn.execute(LOCK, {"key": LOCK_KEY})
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        row = conn.execute(READ_HEAD).first()
        if row is None:
            return 0, GENESIS, False
        return int(row.seq), str(row.hash), True

    def _set_head(self, conn: Connection, seq: int, head_hash: str, exists: bool) -> None:
        if exists:
            conn.execute(MOVE_HEAD, {"head_seq": seq, "head_hash": head_hash})
        else:
            conn.execute(insert(HEAD).values(id=1, seq=seq, hash=head_hash))

    def _sign(
        self,
        conn: Connection,
        seq: int,
        head_hash: str,
        purged: int | None,
        next_public: str | None = None,
    ) -> Checkpoint:
        signed_at = as_utc(self.clock())
        kid = self.signer.key_id
        payload = checkpoint_payload(seq, head_hash, signed_at, purged, kid, next_public)
        signature = self.signer.sign(payload)
        conn.execute(
            insert(CHECKPOINT).values(
                seq=seq,
                head_hash=head_hash,
                signed_at=signed_at,
                signature=signature,
                key_id=kid,
                purged_before_seq=purged,
                next_public_key=next_public,
            )
        )
        if self.publish:  # in the same transaction: never signed without being published
            from hub.audit.publish import queue_checkpoint  # imports the cases' tables
            from hub.audit.witness import WitnessCheckpoint

            made = WitnessCheckpoint(seq, head_hash, signed_at, kid, signature, purged, next_public)
            queue_checkpoint(conn, made)
        return Checkpoint(seq, head_hash, signed_at, kid, purged, next_public)


def _values(entry: AccessEntry, seq: int, at: datetime, prev: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at,
        "client_id": entry.client_id,
        "agency": entry.agency,
        "subject": entry.subject,
        "purpose": entry.purpose,
        "operation": entry.operation,
        "worker_id": entry.worker_id,
        "categories": encode_categories(entry.categories),
        "grant_id": entry.grant_id,
        "request_id": entry.request_id,
        "outcome": str(entry.outcome),
        "reason": entry.reason[:200] if entry.reason else None,
        "prev_hash": prev,
        "members": commitment(entry.members) if entry.members else None,
    }


__all__ = ["AuditTrail", "AuditedChange", "Checkpoint", "VerifyReport"]
