"""Demo users for the login page (demo mode only): officers and workers.

An officer's token has ``sub`` = user name and the officer's scopes; a worker's token has
``sub`` = the hub worker id and only the ``self`` scope.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from auth.clients import ClientError, insert_row
from auth.hashing import hash_secret, verify_secret
from auth.models import DemoUserRow
from auth.scopes import Scope, UnknownScope, parse_scopes, scope_string

ROLES = ("officer", "worker")
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")


@dataclass(frozen=True, slots=True)
class User:
    username: str
    display_name: str
    role: str
    agency: str
    scopes: frozenset[str]
    worker_id: str | None = None
    mission: str | None = None

    @property
    def subject(self) -> str:
        return self.worker_id if self.role == "worker" and self.worker_id else self.username

    def get_user_id(self) -> str:  # authlib's user protocol
        return self.subject

    @classmethod
    def of(cls, row: DemoUserRow) -> User:
        return cls(
            username=row.username,
            display_name=row.display_name,
            role=row.role,
            agency=row.agency,
            scopes=frozenset(row.scopes.split()),
            worker_id=row.worker_id,
        )


def add_user(
    engine: Engine,
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    agency: str,
    scopes: Iterable[str],
    worker_id: str | None = None,
    replace: bool = False,
    clock: Callable[[], float] = time.time,
) -> User:
    if not USERNAME_RE.fullmatch(username):
        raise ClientError("user name: 3-80 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise ClientError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 12:
        raise ClientError("a password needs at least 12 characters")
    try:
        held = parse_scopes(scopes)
    except UnknownScope as exc:
        raise ClientError(str(exc)) from None
    if role == "worker" and (held != {Scope.SELF} or not worker_id):
        raise ClientError("a worker has exactly the scope self and a worker id")
    if role == "officer" and (Scope.SELF in held or not held or worker_id):
        raise ClientError("an officer has officer scopes (not self) and no worker id")
    row = DemoUserRow(
        username=username,
        password_hash=hash_secret(password),
        display_name=display_name,
        role=role,
        agency=agency.upper(),
        worker_id=worker_id,
        scopes=scope_string(held),
        created_at=datetime.fromtimestamp(clock(), UTC),
    )
    return User.of(insert_row(engine, row, username, replace=replace, what=f"user {username!r}"))


def get_user(engine: Engine, username: str) -> User | None:
    with Session(engine) as session:
        row = session.get(DemoUserRow, username)
        return User.of(row) if row is not None and not row.disabled else None


def authenticate_user(engine: Engine, username: str, password: str) -> User | None:
    """The enabled user with this name and password, else None (the same work either way)."""
    with Session(engine) as session:
        row = session.get(DemoUserRow, username) if len(username) <= 80 else None
        stored = row.password_hash if row is not None and not row.disabled else None
        user = User.of(row) if row is not None else None
    return user if verify_secret(password, stored) else None


__all__ = ["ROLES", "User", "add_user", "authenticate_user", "get_user"]
