"""Revoked tokens: access tokens by ``jti`` (RFC 7009) and refresh token families.

Revoking a refresh token family (on reuse, on revocation, on disabling a client) also revokes
the unexpired access tokens issued with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from auth.models import RefreshTokenRow, RevokedTokenRow

REVOKED = RevokedTokenRow.__table__  # type: ignore[attr-defined]
# Core, not the ORM: every request asks, and loading an entity costs more than the query
IS_REVOKED = sa_select(REVOKED.c.jti).where(REVOKED.c.jti == bindparam("jti"))


class Revocations:
    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    def revoked(self, jti: str) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(IS_REVOKED, {"jti": jti}).first() is not None

    def revoke_access(self, jti: str, client_id: str, expires_at: int, reason: str) -> None:
        now = self._now()
        expiry = datetime.fromtimestamp(expires_at, UTC)
        if expiry <= now:
            return  # already dead; nothing to remember
        with Session(self.engine) as session:
            if session.get(RevokedTokenRow, jti) is not None:
                return
            session.add(
                RevokedTokenRow(
                    jti=jti, client_id=client_id, expires_at=expiry, revoked_at=now, reason=reason
                )
            )
            try:
                session.commit()
            except IntegrityError:  # revoked concurrently: the same outcome
                session.rollback()

    def revoke_family(self, family_id: str, reason: str) -> int:
        """Revoke every refresh token of a family and its live access tokens; how many."""
        return self._revoke_where(col(RefreshTokenRow.family_id) == family_id, reason)

    def revoke_subject(self, subject: str, reason: str) -> int:
        """Revoke a user's refresh tokens (and their live access tokens), by user name."""
        return self._revoke_where(col(RefreshTokenRow.subject) == subject, reason)

    def revoke_client(self, client_id: str, reason: str) -> int:
        return self._revoke_where(col(RefreshTokenRow.client_id) == client_id, reason)

    def prune(self) -> int:
        """Forget revocations of tokens that have expired anyway."""
        with Session(self.engine) as session:
            result = session.exec(
                delete(RevokedTokenRow).where(col(RevokedTokenRow.expires_at) <= self._now())
            )
            session.commit()
            return int(result.rowcount or 0)

    def _revoke_where(self, condition: object, reason: str) -> int:
        now = self._now()
        with Session(self.engine) as session:
            rows = session.exec(select(RefreshTokenRow).where(condition)).all()
            access = [(r.access_jti, r.client_id, r.access_expires_at) for r in rows]
            session.exec(
                update(RefreshTokenRow)
                .where(condition)
                .where(col(RefreshTokenRow.revoked_at).is_(None))
                .values(revoked_at=now)
            )
            session.commit()
        for jti, client_id, expires in access:
            self.revoke_access(jti, client_id, int(expires.timestamp()), reason)
        return len(rows)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


__all__ = ["Revocations"]
