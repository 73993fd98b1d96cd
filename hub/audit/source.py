"""Reading the trail for verification in constant memory: entries in keyset pages.

Only the checkpoints (one an hour by default: about 8,800 a year) and one page of entries are
held at a time; the lookups that name the kind of a break run as indexed or scanning queries
after the break is found, never over rows held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hub.audit.chain import FIELDS
from hub.audit.keys import TrustedKeys
from hub.audit.members import check_members
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow
from hub.audit.verify import VerifyReport, verify_chain

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]
PAGE = 5000
COLUMNS = [ENTRY.c[name] for name in FIELDS] + [ENTRY.c.hash]


class DatabaseTrail:
    """The chain as stored: what ``verify_chain`` reads."""

    def __init__(self, engine: Engine, page: int = PAGE) -> None:
        self.engine = engine
        self.page = page

    def entries(self) -> Iterator[Any]:
        """Every entry by seq, one page in memory at a time (keyset, not offset)."""
        last: int | None = None
        while True:
            query = select(*COLUMNS).order_by(ENTRY.c.seq).limit(self.page)
            if last is not None:
                query = query.where(ENTRY.c.seq > last)
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            full, last = len(rows) == self.page, rows[-1].seq if rows else last
            yield from rows
            del rows  # before the next page is read: one page in memory, not two
            if not full:
                return

    def checkpoints(self) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(CHECKPOINT).order_by(CHECKPOINT.c.id)).all())

    def head(self) -> Any | None:
        with self.engine.connect() as conn:
            return conn.execute(select(HEAD).where(HEAD.c.id == 1)).first()

    def seq_of_hash(self, entry_hash: str) -> int | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(ENTRY.c.seq).where(ENTRY.c.hash == entry_hash).limit(1))
            return found.scalar()

    def linked_from(self, prev_hash: str, seq: int) -> bool:
        """Whether an entry at ``seq`` or later links to ``prev_hash``."""
        query = select(ENTRY.c.seq).where(ENTRY.c.prev_hash == prev_hash, ENTRY.c.seq >= seq)
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None


def verify_database(engine: Engine, keys: TrustedKeys, witness: Sequence[Any] = ()) -> VerifyReport:
    """Verify the trail in ``engine`` with public keys only (and a witness's checkpoints),
    then the workers each bulk entry listed against the commitment its hash covers."""
    report = verify_chain(DatabaseTrail(engine), keys, witness)
    if not report.ok:
        return report
    seq = check_members(engine)
    if seq is None:
        return report
    return replace(
        report,
        ok=False,
        first_bad_seq=seq,
        problem="altered",
        message="the workers a bulk entry listed do not match it",
    )


__all__ = ["DatabaseTrail", "verify_database"]
