"""Crisis roll-call marks: whether a mission reached a worker of a cohort.

A mark is its own record (table ``contact_mark``), not a case: it opens nothing, sends no case
event and no webhook, and does not change the verdict. Only a worker the census holds can be
marked (a cohort lists census workers), and an officer bound to a mission marks its workers
only; the mark keeps the worker's mission as the census has it. Marks are appended; a
worker's latest is the one a cohort shows. The caller writes the audit entry in the same
transaction (``hub.graphql.marks``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine

from hub.census.run import CENSUS
from hub.census.tables import ContactMarkRow

MARK = ContactMarkRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ContactMark:
    worker_id: str
    reached: bool
    marked_at: datetime
    mission_code: str | None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    """Who marks: the token's subject and client, its purpose, the mission it is bound to."""

    subject: str
    client_id: str
    purpose: str
    mission: str | None  # None: any census worker (a national desk, the embassy system)


class NotMarkable(LookupError):
    """The worker is not in the census, or not of the marker's mission: NOT_FOUND either way
    (an officer learns nothing of another mission's workers)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why  # for the audit trail's reason: "census" or "mission"


def record_mark(
    connection: Connection, worker_id: str, reached: bool, by: Marker, at: datetime
) -> ContactMark:
    """Append a mark for a census worker (canonical id) in the caller's transaction."""
    mission = connection.execute(
        select(CENSUS.c.mission_code).where(CENSUS.c.worker_id == worker_id)
    ).first()
    if mission is None:
        raise NotMarkable("census")
    if by.mission is not None and mission.mission_code != by.mission:
        raise NotMarkable("mission")
    made = connection.execute(
        insert(MARK).values(
            worker_id=worker_id,
            reached=reached,
            mission_code=mission.mission_code,
            marked_at=at,
            marked_by=by.subject[:120],
            client_id=by.client_id[:80],
            purpose=by.purpose[:40],
        )
    )
    return ContactMark(worker_id, reached, at, mission.mission_code, made.inserted_primary_key[0])


def mark_of(engine: Engine, mark_id: int) -> ContactMark | None:
    """One mark by its id (an idempotent retry answers with the mark its first attempt made)."""
    query = select(
        MARK.c.worker_id, MARK.c.reached, MARK.c.marked_at, MARK.c.mission_code, MARK.c.id
    ).where(MARK.c.id == mark_id)
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return ContactMark(*row) if row is not None else None


def latest_marks(engine: Engine, worker_ids: Sequence[str]) -> dict[str, ContactMark]:
    """Each worker's latest mark, for a page of a cohort: one indexed query."""
    if not worker_ids:
        return {}
    latest = (
        select(func.max(MARK.c.id).label("id"))
        .where(MARK.c.worker_id.in_(list(worker_ids)))
        .group_by(MARK.c.worker_id)
        .subquery()
    )
    query = select(MARK.c.worker_id, MARK.c.reached, MARK.c.marked_at, MARK.c.mission_code).join(
        latest, MARK.c.id == latest.c.id
    )
    with engine.connect() as connection:
        return {row.worker_id: ContactMark(*row) for row in connection.execute(query)}


__all__ = ["ContactMark", "Marker", "NotMarkable", "latest_marks", "mark_of", "record_mark"]
