"""Who is asking: the client, the acting officer or worker, their scopes and declared purpose."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from auth.errors import Forbidden
from auth.purpose import Purpose, purpose_required
from auth.scopes import Scope


@dataclass(frozen=True, slots=True)
class Principal:
    """A verified access token, seen from the hub.

    ``subject`` is the token's ``sub``: the client id for client credentials, the officer's
    user name, or — for a ``self`` token — the hub worker id (then also ``worker_id``).
    ``mission`` is the officer's mission (``pmihub users add NAME --role officer --mission
    HKG``): an officer of a case's mission may change the case (hub/cases/owners.py).
    """

    client_id: str
    subject: str
    scopes: frozenset[str]
    token_id: str
    issuer: str
    expires_at: int
    agency: str | None = None
    purpose: Purpose | None = None
    worker_id: str | None = None
    mission: str | None = None  # the mission code an officer belongs to (the ``mission`` claim)
    claims: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_self(self) -> bool:
        return self.worker_id is not None

    @property
    def is_partner(self) -> bool:
        """A partner organisation's token: it reads only what a worker consented to, and its
        ``agency`` claim is the organisation's code (hub/partners)."""
        return Scope.PARTNER in self.scopes

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    def require(self, scope: str) -> None:
        """Raise ``Forbidden`` naming ``scope`` when the token does not hold it."""
        if scope not in self.scopes:
            raise Forbidden(scope)

    def require_purpose(self) -> Purpose:
        """The declared purpose; ``PurposeError`` (PURPOSE_REQUIRED) when there is none."""
        if self.purpose is None:
            raise purpose_required()
        return self.purpose

    def may_read_worker(self, worker_id: str) -> bool:
        """A ``self`` principal reads only its own record; others are limited by scopes."""
        return not self.is_self or worker_id == self.worker_id

    def with_purpose(self, purpose: Purpose | None) -> Principal:
        return replace(self, purpose=purpose)


def self_worker(subject: str, scopes: frozenset[str]) -> str | None:
    """The worker a token speaks for: its subject when it holds ``self``."""
    return subject if Scope.SELF in scopes else None


__all__ = ["Principal", "self_worker"]
