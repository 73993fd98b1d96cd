"""Break-glass: emergency access to one worker's record, for a limited time, always recorded.

Only an officer signed in (a human subject, not a client-credentials machine client and not a
worker's own token) holding ``emergency`` opens a grant, only under purpose EMERGENCY (the
access policy declares it), for one worker, with a reason that is words and not filler
(``auth.substance``: 20 non-space characters, four real words). At most
``HUB_BREAK_GLASS_PER_HOUR`` (5) grants per officer in any hour: the next is refused with
BREAK_GLASS_LIMIT, which the caller raises as an alert (metric and audit entry). For
``HUB_BREAK_GLASS_MINUTES`` (60) the grant lifts field scopes for that worker, for that client
and subject, and only for requests made under purpose EMERGENCY. Grants are never deleted:
they are listed for review (``pmihub grants list``). Checking that the worker exists is the
caller's.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from auth.errors import BadBreakGlass, BreakGlassRefused, Forbidden, PurposeError
from auth.models import BreakGlassGrantRow
from auth.principal import Principal
from auth.purpose import Purpose
from auth.scopes import Scope
from auth.substance import Substance

MIN_REASON = 20
MIN_REASON_WORDS = 4
MAX_REASON = 1000
REASON = Substance(MIN_REASON, MIN_REASON_WORDS)
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


GRANT = BreakGlassGrantRow.__table__  # type: ignore[attr-defined]
# A holder's live grants for some workers (asked for every worker read under EMERGENCY):
# Core, not the ORM, built once, its columns in ``BreakGlass``'s order
ACTIVE = (
    sa_select(*(GRANT.c[f.name] for f in fields(BreakGlass)))
    .where(GRANT.c.client_id == bindparam("client_id"))
    .where(GRANT.c.subject == bindparam("subject"))
    .where(GRANT.c.worker_id.in_(bindparam("ids", expanding=True)))
    .where(GRANT.c.expires_at > bindparam("now"))
    .order_by(GRANT.c.expires_at)
)


def check_reason(reason: str) -> str:
    """The reason, whitespace normalised; ``BadBreakGlass`` unless it is substantive."""
    text = " ".join(reason.split())
    if not text.isprintable() or len(text) > MAX_REASON:
        raise BadBreakGlass(
            f"Alasan paling banyak {MAX_REASON} karakter tanpa karakter kontrol",
            f"The reason must be at most {MAX_REASON} characters without control characters",
        )
    if REASON.problem(text) is not None:
        raise BadBreakGlass(
            f"Alasan harus jelas: minimal {MIN_REASON} karakter (tanpa spasi) dan "
            f"{MIN_REASON_WORDS} kata sungguhan, bukan isian (lorem ipsum, asdf, huruf berulang)",
            f"The reason must be substantive: at least {MIN_REASON} non-space characters and "
            f"{MIN_REASON_WORDS} real words, not filler (lorem ipsum, asdf, repeated letters)",
        )
    return text


def is_human(principal: Principal) -> bool:
    """An officer signed in: not a worker's own token, not a client-credentials client (whose
    subject is the client itself)."""
    return not principal.is_self and principal.subject != principal.client_id


class BreakGlassService:
    def __init__(
        self,
        engine: Engine,
        *,
        minutes: int = 60,
        per_hour: int = 5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.minutes = minutes
        self.per_hour = per_hour
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
        if not is_human(principal):
            raise BreakGlassRefused(
                "HUMAN_ONLY",
                "Break-glass hanya untuk petugas yang masuk (login), bukan klien mesin",
                "Break-glass is for an officer signed in, not a machine client",
            )
        if principal.purpose is not Purpose.EMERGENCY:
            raise PurposeError(
                "PURPOSE_NOT_ALLOWED",
                "Break-glass hanya dengan tujuan EMERGENCY",
                "Break-glass only under purpose EMERGENCY",
                status=403,
            )
        if not WORKER_ID_RE.fullmatch(worker_id):
            raise BadBreakGlass(
                "ID pekerja tidak sah", "The worker id is not valid", argument="workerId"
            )
        text = check_reason(reason)
        now = self.now()
        if self._opened_within_hour(principal, now, session) >= self.per_hour:
            raise BreakGlassRefused(
                "LIMIT",
                f"Batas break-glass tercapai: {self.per_hour} per jam per petugas; "
                "hubungi pengawas",
                f"Break-glass limit reached: {self.per_hour} per hour per officer; "
                "ask a supervisor",
                status=429,
            )
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

    def _opened_within_hour(
        self, principal: Principal, now: datetime, session: Session | None
    ) -> int:
        query = (
            select(func.count())
            .select_from(BreakGlassGrantRow)
            .where(col(BreakGlassGrantRow.client_id) == principal.client_id)
            .where(col(BreakGlassGrantRow.subject) == principal.subject)
            .where(col(BreakGlassGrantRow.created_at) > now - timedelta(hours=1))
        )
        if session is not None:
            return int(session.exec(query).one())
        with Session(self.engine) as own:
            return int(own.exec(query).one())

    def active(self, principal: Principal, worker_id: str) -> BreakGlass | None:
        return self.active_for(principal, [worker_id]).get(worker_id)

    def active_for(self, principal: Principal, worker_ids: Iterable[str]) -> dict[str, BreakGlass]:
        """The principal's live grants for any of ``worker_ids``, by worker (one query); none
        unless the request is made under purpose EMERGENCY."""
        ids = sorted(set(worker_ids))
        if not ids or not principal.has(Scope.EMERGENCY):
            return {}
        if principal.purpose is not Purpose.EMERGENCY:
            return {}
        held = {
            "client_id": principal.client_id,
            "subject": principal.subject,
            "ids": ids,
            "now": self.now(),
        }
        with self.engine.connect() as connection:
            return {row.worker_id: BreakGlass(*row) for row in connection.execute(ACTIVE, held)}

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


__all__ = ["MIN_REASON", "BreakGlass", "BreakGlassService", "check_reason", "is_human"]
