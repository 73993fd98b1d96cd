"""Sign-ins begun at the provider and not yet back: one database row each, consumed once.

``begin`` stores the console's OAuth request under the hash of a fresh ``state`` and the hash
of a fresh browser secret (the caller puts it in a cookie). The PKCE verifier and the nonce are
HMACs of the browser secret and the state under a key from ``HUB_AUTH_KEY_SECRET``: they are
never stored, and only the browser that began the sign-in can finish it. ``take`` consumes the
row (a conditional update, so a replayed callback finds nothing) and gives the request back.
Rows live ``TTL`` seconds; expired ones are deleted as new sign-ins begin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from auth.hashing import digest
from auth.oidc.models import OidcPendingRow

TTL = 600


@dataclass(frozen=True, slots=True)
class Begun:
    state: str
    browser: str  # the cookie's value
    verifier: str
    nonce: str


class PendingSignIns:
    def __init__(
        self, engine: Engine, key_secret: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.clock = clock
        self._key = hashlib.sha256(b"pmihub-oidc-pending\x00" + key_secret.encode()).digest()

    def begin(self, request: Mapping[str, str]) -> Begun:
        state, browser = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self._now()
        with Session(self.engine) as session:
            session.exec(delete(OidcPendingRow).where(col(OidcPendingRow.expires_at) < now))  # type: ignore[call-overload]
            session.add(
                OidcPendingRow(
                    state_hash=digest(state),
                    browser_hash=digest(browser),
                    request=json.dumps(dict(request), separators=(",", ":")),
                    created_at=now,
                    expires_at=now + timedelta(seconds=TTL),
                )
            )
            session.commit()
        return Begun(state, browser, *self.secrets(browser, state))

    def take(self, state: str, browser: str) -> dict[str, str] | None:
        """The request begun with ``state`` by this browser, once; else None."""
        if not state or not browser or len(state) > 100 or len(browser) > 100:
            return None
        now = self._now()
        with Session(self.engine) as session:
            row = session.get(OidcPendingRow, digest(state))
            if row is None or not hmac.compare_digest(row.browser_hash, digest(browser)):
                return None
            taken = session.exec(  # type: ignore[call-overload]
                update(OidcPendingRow)
                .where(
                    col(OidcPendingRow.state_hash) == row.state_hash,
                    col(OidcPendingRow.used_at).is_(None),
                    col(OidcPendingRow.expires_at) > now,
                )
                .values(used_at=now)
            )
            session.commit()
            if taken.rowcount != 1:
                return None
            request: dict[str, str] = json.loads(row.request)
            return request

    def secrets(self, browser: str, state: str) -> tuple[str, str]:
        """The PKCE verifier (43 characters) and the nonce of this sign-in."""
        verifier = self._mac(b"pkce", browser, state)
        nonce = self._mac(b"nonce", browser, state)
        return verifier, nonce

    def _mac(self, label: bytes, browser: str, state: str) -> str:
        message = label + b"\x00" + browser.encode() + b"\x00" + state.encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


__all__ = ["TTL", "Begun", "PendingSignIns"]
