"""Authorization codes and refresh tokens in the database: saved as hashes, consumed atomically.

Consuming is one conditional UPDATE (``used_at IS NULL``), so two concurrent redemptions of
one code or refresh token cannot both win. A second presentation of a consumed one revokes the
family of tokens it started (code reuse, RFC 6749 §4.1.2; refresh reuse, RFC 9700 §4.14.2).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from auth.hashing import digest
from auth.models import AuthorizationCodeRow, RefreshTokenRow
from auth.oauth_models import StoredCode, StoredRefresh, TokenContext
from auth.revocation import Revocations
from auth.settings import AuthSettings
from auth.tokens import IssuedToken

log = logging.getLogger("pmihub.auth")


class GrantStore:
    def __init__(
        self,
        engine: Engine,
        settings: AuthSettings,
        revocations: Revocations,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.revocations = revocations
        self.clock = clock

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def save_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        now = self.now()
        row = AuthorizationCodeRow(
            code_hash=digest(code),
            client_id=request.client.client_id,
            subject=request.user.username,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            purpose=request.purpose,
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            family_id=uuid.uuid4().hex,
            created_at=now,
            expires_at=now + timedelta(seconds=self.settings.code_ttl),
        )
        with Session(self.engine) as session:
            session.exec(
                delete(AuthorizationCodeRow).where(
                    col(AuthorizationCodeRow.expires_at) < now - timedelta(hours=1)
                )
            )
            session.add(row)
            session.commit()

    def consume_code(self, code: str, client_id: str) -> StoredCode | None:
        key, now = digest(code), self.now()
        with Session(self.engine) as session:
            won = session.exec(
                update(AuthorizationCodeRow)
                .where(col(AuthorizationCodeRow.code_hash) == key)
                .where(col(AuthorizationCodeRow.client_id) == client_id)
                .where(col(AuthorizationCodeRow.used_at).is_(None))
                .where(col(AuthorizationCodeRow.expires_at) > now)
                .values(used_at=now)
            ).rowcount
            session.commit()
            row = session.get(AuthorizationCodeRow, key)
            found = StoredCode.of(row) if row is not None else None
            reused = row is not None and row.client_id == client_id and row.used_at is not None
        if won == 1:
            return found
        if reused and found is not None:
            count = self.revocations.revoke_family(found.family_id, "code_reuse")
            log.warning("authorization code presented twice: %d token(s) revoked", count)
        return None

    def consume_refresh(self, token: str, client_id: str) -> StoredRefresh | None:
        key, now = digest(token), self.now()
        with Session(self.engine) as session:
            won = session.exec(
                update(RefreshTokenRow)
                .where(col(RefreshTokenRow.token_hash) == key)
                .where(col(RefreshTokenRow.client_id) == client_id)
                .where(col(RefreshTokenRow.used_at).is_(None))
                .where(col(RefreshTokenRow.revoked_at).is_(None))
                .where(col(RefreshTokenRow.expires_at) > now)
                .values(used_at=now)
            ).rowcount
            session.commit()
            row = session.get(RefreshTokenRow, key)
            found = StoredRefresh.of(row) if row is not None else None
            reused = (
                row is not None
                and row.client_id == client_id
                and row.used_at is not None
                and row.revoked_at is None
            )
        if won == 1:
            return found
        if reused and found is not None:
            count = self.revocations.revoke_family(found.family_id, "refresh_reuse")
            log.warning("refresh token reused: its family (%d token(s)) was revoked", count)
        return None

    def save_refresh(
        self,
        token: str,
        *,
        client_id: str,
        username: str,
        access: IssuedToken,
        context: TokenContext,
    ) -> None:
        now = self.now()
        row = RefreshTokenRow(
            token_hash=digest(token),
            family_id=context.family_id or uuid.uuid4().hex,
            client_id=client_id,
            subject=username,
            scope=context.refresh_scope or access.scope,
            purpose=context.purpose,
            access_jti=access.jti,
            access_expires_at=datetime.fromtimestamp(access.expires_at, UTC),
            created_at=now,
            expires_at=context.family_expires_at
            or now + timedelta(seconds=self.settings.refresh_ttl),
        )
        with Session(self.engine) as session:
            session.add(row)
            session.commit()

    def refresh_row(self, token: str) -> RefreshTokenRow | None:
        with Session(self.engine) as session:
            return session.get(RefreshTokenRow, digest(token))

    def prune(self) -> int:
        """Delete expired codes and refresh tokens whose family has ended."""
        now = self.now()
        with Session(self.engine) as session:
            codes = session.exec(
                delete(AuthorizationCodeRow).where(col(AuthorizationCodeRow.expires_at) < now)
            ).rowcount
            refresh = session.exec(
                delete(RefreshTokenRow).where(col(RefreshTokenRow.expires_at) < now)
            ).rowcount
            session.commit()
        return int(codes or 0) + int(refresh or 0) + self.revocations.prune()


__all__ = ["GrantStore"]
