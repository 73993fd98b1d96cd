"""One writer of the crosswalk at a time: ``hold_crosswalk_lock(connection)``.

Linking reads what a page touches, decides in memory, then writes (hub.crosswalk.page). Two
linkers doing that at once (``pmihub sync`` and a live link on the request path, or two live
links for one person) could each decide on a state the other is changing: both insert the
same agency record (a unique-key error), or each create a worker for one NIK. So every
transaction that links or moves records takes the crosswalk's write lock *before* its first
read and holds it to its commit:

- PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``); other readers are
  not blocked, and READ COMMITTED statements after it see everything committed before it.
- SQLite: the database's write lock, taken by a write that changes nothing (Python's sqlite3
  opens the transaction before it); the reads that follow see the newest commit, and a
  waiting linker waits out the busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT.

Linkers are already serial inside ``pmihub sync`` (one page at a time), so the lock costs the
sync nothing; a live link waits for the page being linked, in a worker thread
(hub/storage/offload.py), never on the event loop.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

# Any fixed 64-bit number, the same in every process: "PMIHUBXW" in ASCII.
CROSSWALK_LOCK = int.from_bytes(b"PMIHUBXW", "big") & 0x7FFF_FFFF_FFFF_FFFF


def hold_crosswalk_lock(connection: Connection) -> None:
    """Take the crosswalk write lock for the rest of ``connection``'s transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CROSSWALK_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE worker SET id = id WHERE 0"))


__all__ = ["CROSSWALK_LOCK", "hold_crosswalk_lock"]
