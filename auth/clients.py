"""The client registry: who may ask for tokens, for which agency, with which scopes and grants.

Confidential clients (agency systems) authenticate with a secret stored as a scrypt hash;
public clients (frontends) use authorization code + PKCE and have no secret. Asking for a scope
outside ``scopes`` is refused with ``invalid_scope``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from auth.hashing import hash_secret, new_secret, verify_secret
from auth.models import OAuthClientRow
from auth.revocation import Revocations
from auth.scopes import Scope, UnknownScope, parse_scopes, partner_alone, scope_string
from auth.standing import forget_everywhere

R = TypeVar("R", bound=SQLModel)

GRANT_TYPES = frozenset({"client_credentials", "authorization_code", "refresh_token"})
CLIENT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,79}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def insert_row(engine: Engine, row: R, key: str, *, replace: bool, what: str) -> R:
    """Store ``row`` under ``key``; an existing one is replaced only when ``replace``."""
    with Session(engine) as session:
        existing = session.get(type(row), key)
        if existing is not None:
            if not replace:
                raise ClientError(f"{what} already exists")
            session.delete(existing)
            session.flush()
        session.add(row)
        session.commit()
        session.refresh(row)
        stored = row
    forget_everywhere(key)
    return stored


class ClientError(ValueError):
    """A client registration is refused; the message says why."""


@dataclass(frozen=True, slots=True)
class ClientInfo:
    client_id: str
    name: str
    agency: str
    scopes: frozenset[str]
    grant_types: frozenset[str]
    redirect_uris: tuple[str, ...]
    public: bool
    disabled: bool
    created_at: datetime

    @classmethod
    def of(cls, row: OAuthClientRow) -> ClientInfo:
        return cls(
            client_id=row.client_id,
            name=row.name,
            agency=row.agency,
            scopes=frozenset(row.scopes.split()),
            grant_types=frozenset(row.grant_types.split()),
            redirect_uris=tuple(row.redirect_uris.split()),
            public=row.public,
            disabled=row.disabled,
            created_at=row.created_at,
        )


def add_client(
    engine: Engine,
    *,
    client_id: str,
    name: str,
    agency: str,
    scopes: Iterable[str],
    grant_types: Iterable[str],
    redirect_uris: Iterable[str] = (),
    public: bool = False,
    replace: bool = False,
    secret: str | None = None,
    clock: Callable[[], float] = time.time,
) -> tuple[ClientInfo, str | None]:
    """Register a client; returns it and its secret (None for a public client).

    A confidential client gets a new random secret unless ``secret`` is given (the demo keeps
    its credentials across restarts); ``replace=True`` re-registers an existing client.
    """
    if not CLIENT_ID_RE.fullmatch(client_id):
        raise ClientError("client id: 3-80 letters, digits, '.', '_' or '-'")
    if not name.strip() or not agency.strip():
        raise ClientError("name and agency are required")
    try:
        allowed = parse_scopes(scopes)
    except UnknownScope as exc:
        raise ClientError(str(exc)) from None
    grants = frozenset(grant_types)
    uris = tuple(dict.fromkeys(redirect_uris))
    _check(allowed, grants, uris, public)
    if public:
        secret = None
    elif secret is None:
        secret = new_secret()
    elif len(secret) < 24:
        raise ClientError("a client secret needs at least 24 characters")
    row = OAuthClientRow(
        client_id=client_id,
        name=name.strip(),
        agency=agency.strip().upper(),
        secret_hash=hash_secret(secret) if secret else None,
        scopes=scope_string(allowed),
        grant_types=" ".join(sorted(grants)),
        redirect_uris=" ".join(uris),
        public=public,
        created_at=datetime.fromtimestamp(clock(), UTC),
    )
    stored = insert_row(engine, row, client_id, replace=replace, what=f"client {client_id!r}")
    return ClientInfo.of(stored), secret


def _check(
    scopes: frozenset[str], grants: frozenset[str], uris: tuple[str, ...], public: bool
) -> None:
    if not scopes:
        raise ClientError("a client needs at least one scope")
    if not grants or not grants <= GRANT_TYPES:
        raise ClientError(f"grant types must be among: {', '.join(sorted(GRANT_TYPES))}")
    if public and "client_credentials" in grants:
        raise ClientError("a public client cannot use client_credentials (RFC 6749 §4.4)")
    if "refresh_token" in grants and "authorization_code" not in grants:
        raise ClientError("refresh_token is issued only with authorization_code")
    if "authorization_code" in grants and not uris:
        raise ClientError("authorization_code needs at least one redirect URI")
    if "client_credentials" in grants and not partner_alone(scopes):
        raise ClientError("a partner client holds the scope partner alone, never an agency's")
    if Scope.SELF in scopes and "authorization_code" not in grants:
        raise ClientError("scope self is for workers signing in through a frontend")
    for uri in uris:
        parts = urlsplit(uri)
        if parts.fragment or not parts.hostname or parts.scheme not in ("https", "http"):
            raise ClientError(f"redirect URI {uri!r} must be absolute https without a fragment")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise ClientError(f"redirect URI {uri!r}: plain http only for loopback addresses")


def list_clients(engine: Engine) -> list[ClientInfo]:
    with Session(engine) as session:
        rows = session.exec(select(OAuthClientRow).order_by(col(OAuthClientRow.client_id))).all()
        return [ClientInfo.of(r) for r in rows]


def get_client(engine: Engine, client_id: str) -> ClientInfo | None:
    with Session(engine) as session:
        row = session.get(OAuthClientRow, client_id)
        return ClientInfo.of(row) if row is not None else None


def disable_client(
    engine: Engine, client_id: str, *, clock: Callable[[], float] = time.time
) -> bool:
    """Disable a client and revoke its refresh tokens; its access tokens are refused too."""
    with Session(engine) as session:
        row = session.get(OAuthClientRow, client_id)
        if row is None:
            return False
        row.disabled = True
        session.add(row)
        session.commit()
    forget_everywhere(client_id)
    Revocations(engine, clock=clock).revoke_client(client_id, "client_disabled")
    return True


def authenticate_client(engine: Engine, client_id: str, secret: str) -> ClientInfo | None:
    """The enabled confidential client with this id and secret, else None (constant work)."""
    with Session(engine) as session:
        row = session.get(OAuthClientRow, client_id)
        stored = row.secret_hash if row is not None and not row.disabled else None
        info = ClientInfo.of(row) if row is not None else None
    return info if verify_secret(secret, stored) else None


__all__ = [
    "GRANT_TYPES",
    "ClientError",
    "ClientInfo",
    "add_client",
    "authenticate_client",
    "disable_client",
    "get_client",
    "list_clients",
]
