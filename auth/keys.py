"""Token signing keys: a key set in the database, one active key, old keys kept for verification.

``rotate()`` adds a new key that signs from then on and retires the previous one; a retired key
still verifies until every token it signed has expired (access lifetime plus leeway), then
``rotate()`` prunes it. The ``kid`` is the key's RFC 7638 thumbprint. Keys are ES256 (P-256) by
default, RS256 on request. Private halves are sealed (``auth.sealing``) and never logged.

A key whose private half cannot be unsealed (``HUB_AUTH_KEY_SECRET`` changed, a copied
database) is logged and kept by its public half: tokens it signed still verify, the others are
untouched, ``unreadable`` names it (``/readyz`` says degraded); only signing with it fails
(``KeyUnavailable``).

``KeyStore`` caches the keys: the signing key is re-read every ``reload_every`` seconds, so a
rotation by ``pmihub keys rotate`` in another process is picked up; an unknown ``kid`` triggers
at most one reload a second.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from joserfc.jwk import ECKey, RSAKey
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from auth.models import SigningKeyRow
from auth.sealing import SealError, seal, unseal
from auth.settings import AuthSettings

log = logging.getLogger("pmihub.auth.keys")
ALGORITHMS = ("ES256", "RS256")
AsymmetricKey = ECKey | RSAKey


@dataclass(frozen=True, slots=True)
class KeyInfo:
    kid: str
    alg: str
    created_at: datetime
    retired_at: datetime | None

    @property
    def active(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    alg: str
    key: AsymmetricKey
    private: bool = True  # False: only the public half could be read (it verifies, not signs)


class KeyUnavailable(RuntimeError):
    """The active signing key cannot be unsealed: no token can be issued until it is rotated
    (``pmihub keys rotate``) or the right ``HUB_AUTH_KEY_SECRET`` is restored."""


def generate_key(alg: str) -> AsymmetricKey:
    if alg == "ES256":
        key: AsymmetricKey = ECKey.generate_key("P-256", private=True)
    elif alg == "RS256":
        key = RSAKey.generate_key(2048, private=True)
    else:
        raise ValueError(f"algorithm must be one of {', '.join(ALGORITHMS)}")
    return key


class KeyStore:
    def __init__(
        self,
        engine: Engine,
        settings: AuthSettings,
        *,
        clock: Callable[[], float] = time.time,
        reload_every: float = 30.0,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.reload_every = reload_every
        self._keys: dict[str, SigningKey] = {}
        self._active: str | None = None
        self._loaded_at: float | None = None
        self._lock = threading.Lock()
        self.unreadable: tuple[str, ...] = ()

    # -- administration -------------------------------------------------------------------------

    def rotate(self, alg: str = "ES256") -> KeyInfo:
        """Add a new signing key, retire the current one, prune keys no token can need."""
        key = generate_key(alg)
        kid = key.thumbprint()
        now = self._now()
        private = key.as_pem(private=True)
        public = {**key.as_dict(private=False), "kid": kid, "alg": alg, "use": "sig"}
        row = SigningKeyRow(
            kid=kid,
            alg=alg,
            public_jwk=json.dumps(public, sort_keys=True),
            private_sealed=seal(self.settings.key_secret, kid, private),
            created_at=now,
        )
        with Session(self.engine) as session:
            session.exec(
                update(SigningKeyRow)
                .where(col(SigningKeyRow.retired_at).is_(None))
                .values(retired_at=now)
            )
            session.add(row)
            for old in session.exec(select(SigningKeyRow)).all():
                if old.retired_at is not None and old.retired_at < self._horizon(now):
                    session.delete(old)
            session.commit()
        self._loaded_at = None
        return KeyInfo(kid, alg, now, None)

    def ensure_key(self, alg: str = "ES256") -> KeyInfo:
        """The active key, creating the first one if there is none."""
        with Session(self.engine) as session:
            row = session.exec(
                select(SigningKeyRow).where(col(SigningKeyRow.retired_at).is_(None))
            ).first()
        if row is not None:
            return KeyInfo(row.kid, row.alg, row.created_at, None)
        return self.rotate(alg)

    def list_keys(self) -> list[KeyInfo]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(SigningKeyRow).order_by(col(SigningKeyRow.created_at).desc())
            ).all()
        return [KeyInfo(r.kid, r.alg, r.created_at, r.retired_at) for r in rows]

    # -- use ------------------------------------------------------------------------------------

    def signing_key(self) -> SigningKey:
        """The active key; on an empty key set the first key is made."""
        if self._stale():
            self.reload()
        if self._active is None:
            self.ensure_key()
            self.reload()
        assert self._active is not None  # ensure_key made one
        key = self._keys[self._active]
        if not key.private:
            raise KeyUnavailable(f"signing key {key.kid} cannot be unsealed")
        return key

    def verification_key(self, kid: str) -> SigningKey | None:
        if self._stale():
            self.reload()
        key = self._keys.get(kid)
        if key is None and self._may_reload():
            self.reload()
            key = self._keys.get(kid)
        return key

    def jwks(self) -> dict[str, Any]:
        """The JWKS document (RFC 7517 §5) of every key that still verifies tokens."""
        if self._stale():
            self.reload()
        keys = [
            {**k.key.as_dict(private=False), "kid": k.kid, "alg": k.alg, "use": "sig"}
            for k in self._keys.values()
        ]
        return {"keys": keys}

    def unsealable(self) -> tuple[str, ...]:
        """The kids of keys that cannot be unsealed (reloading the set when it is stale)."""
        if self._stale():
            self.reload()
        return self.unreadable

    def reload(self) -> None:
        now = self._now()
        with Session(self.engine) as session:
            rows = session.exec(
                select(SigningKeyRow).order_by(col(SigningKeyRow.created_at).desc())
            ).all()
        with self._lock:
            keys: dict[str, SigningKey] = {}
            active: str | None = None
            for row in rows:
                if row.retired_at is not None and row.retired_at < self._horizon(now):
                    continue
                known = self._keys.get(row.kid)
                keys[row.kid] = known if known is not None and known.private else self._load(row)
                if row.retired_at is None and active is None:
                    active = row.kid
            unreadable = tuple(k.kid for k in keys.values() if not k.private)
            if unreadable and unreadable != self.unreadable:
                log.error("signing keys that cannot be unsealed: %s", ", ".join(unreadable))
            self._keys, self._active, self._loaded_at = keys, active, self.clock()
            self.unreadable = unreadable

    def _load(self, row: SigningKeyRow) -> SigningKey:
        try:
            return SigningKey(row.kid, row.alg, self._open(row))
        except SealError:
            public = json.loads(row.public_jwk)
            key = RSAKey.import_key(public) if row.alg == "RS256" else ECKey.import_key(public)
            return SigningKey(row.kid, row.alg, key, private=False)

    def _open(self, row: SigningKeyRow) -> AsymmetricKey:
        pem = unseal(self.settings.key_secret, row.kid, row.private_sealed)
        params = {"kid": row.kid, "alg": row.alg, "use": "sig"}
        if row.alg == "RS256":
            return RSAKey.import_key(pem, parameters=params)
        return ECKey.import_key(pem, parameters=params)

    def _horizon(self, now: datetime) -> datetime:
        """Keys retired before this instant can no longer have unexpired tokens."""
        return now - timedelta(seconds=self.settings.access_ttl + self.settings.leeway)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _stale(self) -> bool:
        return self._loaded_at is None or self.clock() - self._loaded_at >= self.reload_every

    def _may_reload(self) -> bool:
        return self._loaded_at is None or self.clock() - self._loaded_at >= 1.0


__all__ = ["ALGORITHMS", "KeyInfo", "KeyStore", "KeyUnavailable", "SigningKey", "generate_key"]
