"""Break-glass: emergency access to one worker's record, for a limited time, always recorded.

A principal holding ``emergency`` opens a grant for one worker with a substantive reason (at
least 20 non-space characters, two words or more, not one character repeated). For
``HUB_BREAK_GLASS_MINUTES`` (60) the grant lifts field scopes for that worker, for that client
and subject (it outlives a token refresh, not the officer). Grants are never deleted: they are
listed for review (``pmihub grants list``). Checking that the worker exists is the caller's.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from auth.errors import BadBreakGlass, Forbidden
from auth.models import BreakGlassGrantRow
from auth.principal import Principal
from auth.scopes import Scope

MIN_REASON = 20
MAX_REASON = 1000
WORKER_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,39}")


@dataclass(frozen=True, slots=True)
class BreakGlass:
    id: str
    client_id: str
    subject: str
    worker_id: str
    reason: str
    token_id: str
    created_at: datetime
    expires_at: datetime

    def active(self, now: datetime) -> bool:
        return self.created_at <= now < self.expires_at

    @classmethod
    def of(cls, row: BreakGlassGrantRow) -> BreakGlass:
        return cls(
            row.id,
            row.client_id,
            row.subject,
            row.worker_id,
            row.reason,
            row.token_id,
            row.created_at,
            row.expires_at,
        )


def check_reason(reason: str) -> str:
    """The reason, whitespace normalised; ``BadBreakGlass`` unless it is substantive."""
    text = " ".join(reason.split())
    if not text.isprintable() or len(text) > MAX_REASON:
        raise BadBreakGlass(
            f"Alasan paling banyak {MAX_REASON} karakter tanpa karakter kontrol",
            f"The reason must be at most {MAX_REASON} characters without control characters",
        )
    letters = text.replace(" ", "")
    if len(letters) < MIN_REASON or len(text.split()) < 2 or len(set(letters.lower())) < 5:
        raise BadBreakGlass(
            f"Alasan harus jelas: minimal {MIN_REASON} karakter (tanpa spasi), dua kata atau lebih",
            f"The reason must be substantive: at least {MIN_REASON} non-space characters, "
            "two words or more",
        )
    return text


class BreakGlassService:
    def __init__(
        self, engine: Engine, *, minutes: int = 60, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.minutes = minutes
        self.clock = clock

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def open(
        self,
        principal: Principal,
        worker_id: str,
        reason: str,
        session: Session | None = None,
    ) -> BreakGlass:
        if not principal.has(Scope.EMERGENCY) or principal.is_self:
            raise Forbidden(Scope.EMERGENCY)
        if not WORKER_ID_RE.fullmatch(worker_id):
            raise BadBreakGlass(
                "ID pekerja tidak sah", "The worker id is not valid", argument="workerId"
            )
        text = check_reason(reason)
        now = self.now()
        row = BreakGlassGrantRow(
            id=uuid.uuid4().hex,
            client_id=principal.client_id,
            subject=principal.subject,
            worker_id=worker_id,
            reason=text,
            token_id=principal.token_id,
            created_at=now,
            expires_at=now + timedelta(minutes=self.minutes),
        )
        grant = BreakGlass.of(row)
        if session is not None:  # the caller's transaction, committed with its audit entry
            session.add(row)
            session.flush()
            return grant
        with Session(self.engine) as own:
            own.add(row)
            own.commit()
        return grant

    def active(self, principal: Principal, worker_id: str) -> BreakGlass | None:
        return self.active_for(principal, [worker_id]).get(worker_id)

    def active_for(self, principal: Principal, worker_ids: Iterable[str]) -> dict[str, BreakGlass]:
        """The principal's live grants for any of ``worker_ids``, by worker (one query)."""
        ids = sorted(set(worker_ids))
        if not ids or not principal.has(Scope.EMERGENCY):
            return {}
        now = self.now()
        query = (
            select(BreakGlassGrantRow)
            .where(col(BreakGlassGrantRow.client_id) == principal.client_id)
            .where(col(BreakGlassGrantRow.subject) == principal.subject)
            .where(col(BreakGlassGrantRow.worker_id).in_(ids))
            .where(col(BreakGlassGrantRow.expires_at) > now)
            .order_by(col(BreakGlassGrantRow.expires_at))
        )
        with Session(self.engine) as session:
            return {row.worker_id: BreakGlass.of(row) for row in session.exec(query).all()}

    def list(
        self,
        *,
        since: datetime | None = None,
        worker_id: str | None = None,
        active_only: bool = False,
        limit: int = 100,
    ) -> list[BreakGlass]:
        """Grants for review, newest first."""
        query = select(BreakGlassGrantRow)
        if since is not None:
            query = query.where(col(BreakGlassGrantRow.created_at) >= since)
        if worker_id is not None:
            query = query.where(col(BreakGlassGrantRow.worker_id) == worker_id)
        if active_only:
            query = query.where(col(BreakGlassGrantRow.expires_at) > self.now())
        query = query.order_by(col(BreakGlassGrantRow.created_at).desc()).limit(limit)
        with Session(self.engine) as session:
            return [BreakGlass.of(r) for r in session.exec(query).all()]


__all__ = ["MIN_REASON", "BreakGlass", "BreakGlassService", "check_reason"]
