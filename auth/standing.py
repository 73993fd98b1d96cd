"""What the registry says about a well-signed token: a token means only what its client's and
user's registrations allow.

``check_lifetime`` (``exp - iat`` within ``HUB_AUTH_MAX_LIFETIME``) applies to every token,
the external provider's too. ``check_standing`` applies to the hub's own tokens: the client is
registered and enabled, the scopes are within its registration, and a user's token (``sub``
other than the client id) names an enabled user whose registration holds those scopes too, and
carries that user's ``mission`` (an officer moved to another mission needs a new token).
``map_scopes`` turns an external provider's scope names into hub scopes (``HUB_AUTH_SCOPE_MAP``).

``Registry`` reads client and user rows (synchronously: the verifier runs it where it runs its
other reads) and keeps them ``ttl`` seconds (5), bounded; ``disable_client`` in this process
forgets the client at once, other processes see a change within ``ttl``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from auth.errors import InvalidToken, TokenReason
from auth.models import OAuthClientRow, UserRow
from auth.oidc.models import PREFIX as OIDC_PREFIX
from auth.oidc.models import OidcAccountRow
from auth.scopes import Scope

_REGISTRIES: weakref.WeakSet[Registry] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class Registered:
    """A client or user as the registry holds it."""

    scopes: frozenset[str]
    enabled: bool
    mission: str | None = None


class Registry:
    def __init__(
        self,
        engine: Engine,
        *,
        ttl: float = 5.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self.reads = 0
        self._cache: OrderedDict[tuple[str, str], tuple[float, Registered | None]] = OrderedDict()
        self._lock = threading.Lock()
        _REGISTRIES.add(self)

    def client(self, client_id: str) -> Registered | None:
        return self._cached(("client", client_id), lambda s: _client(s, client_id))

    def user(self, subject: str, *, worker: bool) -> Registered | None:
        """The user a token's ``sub`` names: a worker by hub worker id, an officer by name."""
        kind = "worker" if worker else "officer"
        return self._cached((kind, subject), lambda s: _user(s, subject, worker=worker))

    def forget(self, name: str) -> None:
        """Drop cached entries for a client id or user subject (disabled, changed)."""
        with self._lock:
            for key in [k for k in self._cache if k[1] == name]:
                del self._cache[key]

    def _cached(self, key: tuple[str, str], read: Callable[[Session], Any]) -> Registered | None:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        with Session(self.engine) as session:
            value: Registered | None = read(session)
        self.reads += 1
        with self._lock:
            self._cache[key] = (now, value)
            self._cache.move_to_end(key)
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return value


def forget_everywhere(name: str) -> None:
    """Every registry in this process forgets ``name`` (a client or user just changed)."""
    for registry in list(_REGISTRIES):
        registry.forget(name)


def check_lifetime(claims: dict[str, Any], max_lifetime: int) -> None:
    if claims["exp"] - claims["iat"] > max_lifetime:
        raise InvalidToken(TokenReason.LIFETIME_TOO_LONG)


def check_standing(claims: dict[str, Any], registry: Registry) -> None:
    """Raise ``InvalidToken`` unless the registry backs what the token claims."""
    client_id: str = claims["client_id"]
    scopes = frozenset(str(claims.get("scope", "")).split())
    client = registry.client(client_id)
    if client is None:
        raise InvalidToken(TokenReason.UNKNOWN_CLIENT)
    if not client.enabled:
        raise InvalidToken(TokenReason.CLIENT_DISABLED)
    if not scopes <= client.scopes:
        raise InvalidToken(TokenReason.SCOPE_NOT_REGISTERED)
    subject: str = claims["sub"]
    if subject == client_id and Scope.SELF not in scopes:
        return  # client credentials: the client speaks for itself
    user = registry.user(subject, worker=Scope.SELF in scopes)
    if user is None or not user.enabled:
        raise InvalidToken(TokenReason.UNKNOWN_SUBJECT)
    if not scopes <= user.scopes:
        raise InvalidToken(TokenReason.SCOPE_NOT_REGISTERED)
    if claims.get("mission") != user.mission:
        raise InvalidToken(TokenReason.INVALID_CLAIM, "mission")


def map_scopes(claims: dict[str, Any], mapping: Iterable[tuple[str, str]]) -> None:
    """Rewrite an external token's ``scope`` to hub scopes by ``mapping`` (when there is one):
    mapped names become their hub scopes, every other name is dropped."""
    pairs = tuple(mapping)
    if not pairs:
        return
    held = str(claims.get("scope", "")).split()
    claims["scope"] = " ".join(sorted({hub for outside, hub in pairs if outside in held}))


def _client(session: Session, client_id: str) -> Registered | None:
    row = session.get(OAuthClientRow, client_id) if len(client_id) <= 80 else None
    if row is None:
        return None
    return Registered(frozenset(row.scopes.split()), not row.disabled)


def _user(session: Session, subject: str, *, worker: bool) -> Registered | None:
    if len(subject) > 80:
        return None
    if not worker and subject.startswith(OIDC_PREFIX):  # signed in at the provider (auth.oidc)
        account = session.get(OidcAccountRow, subject)
        if account is None:
            return None
        return Registered(frozenset(account.scopes.split()), bool(account.scopes), account.mission)
    if worker:
        row = session.exec(select(UserRow).where(col(UserRow.worker_id) == subject)).first()
    else:
        row = session.get(UserRow, subject)
    if row is None:
        return None
    return Registered(frozenset(row.scopes.split()), not row.disabled, row.mission)


__all__ = [
    "Registered",
    "Registry",
    "check_lifetime",
    "check_standing",
    "forget_everywhere",
    "map_scopes",
]
