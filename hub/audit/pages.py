"""Reading the trail: a worker's access log, page by page, and the supervisor's report."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Engine

from hub.audit.entry import Outcome, decode_categories
from hub.audit.tables import AuditEntryRow, AuditMemberRow

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
MEMBER = AuditMemberRow.__table__  # type: ignore[attr-defined]
MAX_PAGE = 100
_CURSOR_PREFIX = "audit:"


class BadPage(ValueError):
    """``first`` out of range or ``after`` not a cursor this trail issued."""

    code = "BAD_USER_INPUT"

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_id} / {message_en}")
        self.message_id, self.message_en = message_id, message_en


@dataclass(frozen=True, slots=True)
class AccessRecord:
    seq: int
    at: datetime  # UTC
    client_id: str
    agency: str | None
    purpose: str | None
    operation: str
    categories: list[str]
    grant_id: str | None
    outcome: str

    @property
    def cursor(self) -> str:
        return encode_cursor(self.seq)


@dataclass(frozen=True, slots=True)
class AccessLogPage:
    entries: list[AccessRecord]
    has_next: bool
    end_cursor: str | None


@dataclass(frozen=True, slots=True)
class ReportRow:
    client_id: str
    agency: str | None
    purpose: str | None
    reads: int
    break_glass: int
    refused: int
    workers: int


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(cursor)
        return int(text.removeprefix(_CURSOR_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadPage("Kursor halaman tidak sah", "The page cursor is not valid") from None


def access_page(
    engine: Engine, worker_id: str, first: int, after: str | None, member: str | None = None
) -> AccessLogPage:
    """The worker's entries, and with ``member`` (their keyed digest) the bulk entries that
    listed them (hub.audit.members), newest first."""
    if not 1 <= first <= MAX_PAGE:
        raise BadPage(
            f"first harus antara 1 dan {MAX_PAGE}", f"first must be between 1 and {MAX_PAGE}"
        )
    whose = ENTRY.c.worker_id == worker_id
    if member is not None:
        listed = select(MEMBER.c.seq).where(MEMBER.c.member == member)
        whose = or_(whose, ENTRY.c.seq.in_(listed))
    query = (
        select(ENTRY)
        .where(whose, ENTRY.c.outcome != Outcome.REFUSED.value)
        .order_by(ENTRY.c.seq.desc())
        .limit(first + 1)
    )
    if after is not None:
        query = query.where(ENTRY.c.seq < decode_cursor(after))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    entries = [
        AccessRecord(
            seq=r.seq,
            at=r.at,
            client_id=r.client_id,
            agency=r.agency,
            purpose=r.purpose,
            operation=r.operation,
            categories=decode_categories(r.categories),
            grant_id=r.grant_id,
            outcome=r.outcome,
        )
        for r in rows[:first]
    ]
    end = entries[-1].cursor if entries else None
    return AccessLogPage(entries, has_next=len(rows) > first, end_cursor=end)


def report_rows(engine: Engine, since: datetime) -> list[ReportRow]:
    def count(outcome: Outcome):  # type: ignore[no-untyped-def]
        return func.sum(case((ENTRY.c.outcome == outcome.value, 1), else_=0))

    keys = (ENTRY.c.client_id, ENTRY.c.agency, ENTRY.c.purpose)
    query = (
        select(
            *keys,
            count(Outcome.READ),
            count(Outcome.BREAK_GLASS),
            count(Outcome.REFUSED),
            func.count(func.distinct(ENTRY.c.worker_id)),
        )
        .where(ENTRY.c.at >= since)
        .group_by(*keys)
        .order_by(*keys)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        ReportRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0), int(r[5] or 0), int(r[6]))
        for r in rows
    ]


__all__ = [
    "MAX_PAGE",
    "AccessLogPage",
    "AccessRecord",
    "BadPage",
    "ReportRow",
    "access_page",
    "decode_cursor",
    "encode_cursor",
    "report_rows",
]
