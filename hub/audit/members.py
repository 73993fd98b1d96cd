"""The workers a bulk entry listed (a cohort), findable per worker, never a list of ids.

A cohort read is one audit entry with no worker id (hub/graphql/audit.py). So that each
worker's access log still shows the cohorts they appeared in, the entry keeps one row per
listed worker in ``audit_member``: a keyed digest of the worker id (HMAC-SHA256 under
``HUB_PSEUDONYM_KEY``, its own domain, 128 bits), which the hub can compute for the worker
whose log is asked for but which gives no id back to whoever reads the table. The entry
itself carries ``members``, a SHA-256 over its sorted member digests, inside the hashed
chain: ``check_members`` (run by ``verify``) finds a member row deleted, added or moved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_
from sqlalchemy.engine import Engine

from hub.audit.tables import AuditEntryRow, AuditMemberRow

if TYPE_CHECKING:
    from hub.crosswalk.keys import Pseudonymizer

MEMBER = AuditMemberRow.__table__  # type: ignore[attr-defined]
ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
DOMAIN = "AUDIT_MEMBER"  # the HMAC's domain: never the same message as an identifier key
PAGE = 5000


def member_key(pseudo: Pseudonymizer, worker_id: str) -> str:
    """The keyed digest a bulk entry keeps for a worker it listed."""
    return pseudo.digest(DOMAIN, worker_id)[:32]


def commitment(members: Iterable[str]) -> str:
    """SHA-256 over the sorted member digests, one a line: what the entry's hash covers."""
    digest = hashlib.sha256()
    for i, member in enumerate(sorted(members)):
        digest.update(f"{chr(10) if i else ''}{member}".encode())
    return digest.hexdigest()


def _keyset(engine: Engine, columns: list[Any], *where: Any) -> Iterator[Any]:
    """Rows of ``columns`` in their order, one keyset page in memory at a time."""
    last: tuple[Any, ...] | None = None
    while True:
        query = select(*columns).where(*where).order_by(*columns).limit(PAGE)
        if last is not None:
            query = query.where(tuple_(*columns) > last)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        yield from rows
        if len(rows) < PAGE:
            return
        last = tuple(rows[-1])


def check_members(engine: Engine) -> int | None:
    """The first entry whose member rows do not match its commitment, or the first member
    row of an entry that has none (None: all match). Streams both in seq order."""
    rows = _keyset(engine, [MEMBER.c.seq, MEMBER.c.member])
    pending = next(rows, None)
    for entry in _keyset(engine, [ENTRY.c.seq, ENTRY.c.members], ENTRY.c.members.is_not(None)):
        if pending is not None and pending.seq < entry.seq:
            return int(pending.seq)  # rows of no bulk entry (or of a plain one)
        digest, count = hashlib.sha256(), 0
        while pending is not None and pending.seq == entry.seq:
            digest.update(f"{chr(10) if count else ''}{pending.member}".encode())
            count += 1
            pending = next(rows, None)
        if digest.hexdigest() != entry.members:
            return int(entry.seq)
    return int(pending.seq) if pending is not None else None


__all__ = ["DOMAIN", "MEMBER", "check_members", "commitment", "member_key"]
