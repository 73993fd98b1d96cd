"""Hub users: the people who sign in at the hub's login page (``pmihub users ...``).

A staff user's token has ``sub`` = user name, the scopes of their role (``auth.roles``) and, for
an officer, their ``mission``; a worker's token has ``sub`` = the hub worker id and only the
``self`` scope. Passwords follow ``auth.passwords`` and are stored as scrypt hashes. Disabling a
user revokes their refresh tokens, and the verifier refuses their access tokens
(``auth.standing`` reads the user's row).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from auth.clients import ClientError, insert_row
from auth.hashing import hash_secret, verify_secret
from auth.models import UserRow
from auth.passwords import PasswordRejected, check_password
from auth.revocation import Revocations
from auth.roles import ROLES, UnknownRole, find_role
from auth.scopes import UnknownScope, parse_scopes, scope_string
from auth.standing import forget_everywhere
from auth.totp import seal_secret
from schema.missions import MISSIONS

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")
MISSION_CODES = frozenset(m.code for m in MISSIONS)


@dataclass(frozen=True, slots=True)
class User:
    username: str
    display_name: str
    role: str
    agency: str
    scopes: frozenset[str]
    worker_id: str | None = None
    mission: str | None = None
    disabled: bool = False
    totp_enrolled: bool = False
    created_at: datetime | None = None

    @property
    def subject(self) -> str:
        return self.worker_id if self.role == "worker" and self.worker_id else self.username

    @property
    def second_factor(self) -> bool:
        """Whether this user signs in with a TOTP code too (their role says)."""
        found = ROLES.get(self.role)
        return found is None or found.second_factor

    def get_user_id(self) -> str:  # authlib's user protocol
        return self.subject

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(
            username=row.username,
            display_name=row.display_name,
            role=row.role,
            agency=row.agency,
            scopes=frozenset(row.scopes.split()),
            worker_id=row.worker_id,
            mission=row.mission,
            disabled=row.disabled,
            totp_enrolled=row.totp_sealed is not None,
            created_at=row.created_at,
        )


def add_user(
    engine: Engine,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    agency: str | None = None,
    mission: str | None = None,
    scopes: Iterable[str] | None = None,
    worker_id: str | None = None,
    replace: bool = False,
    totp: tuple[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> User:
    """Register a user; ``ClientError`` (one line, naming the rule) when anything is off.

    ``scopes`` narrows the role's scopes (default: all of them). ``totp`` is
    ``(HUB_AUTH_KEY_SECRET, base32 secret)`` for a user enrolled from the start (the demo).
    """
    if not USERNAME_RE.fullmatch(username):
        raise ClientError("user name: 3-80 lower-case letters, digits, '.', '_' or '-'")
    try:
        kind = find_role(role)
        held = kind.scopes if scopes is None else parse_scopes(scopes)
    except (UnknownRole, UnknownScope) as exc:
        raise ClientError(str(exc)) from None
    if not held or not held <= kind.scopes:
        extra = " ".join(sorted(held - kind.scopes)) or "(none)"
        raise ClientError(f"role {kind.name} cannot hold scope(s): {extra}")
    code = _mission(kind.mission, mission)
    if kind.worker != bool(worker_id):
        raise ClientError(
            "a worker needs --worker-id (the hub worker id)"
            if kind.worker
            else "only a worker has a worker id"
        )
    if kind.organisation and not (agency or "").strip():
        raise ClientError("a case worker needs --agency: the partner organisation's code")
    _password(password, username)
    row = UserRow(
        username=username,
        password_hash=hash_secret(password),
        display_name=(display_name or username).strip()[:200],
        role=kind.name,
        agency=(kind.agency if agency is None else agency).strip().upper()[:40],
        mission=code,
        worker_id=worker_id,
        scopes=scope_string(held),
        created_at=datetime.fromtimestamp(clock(), UTC),
        totp_sealed=seal_secret(totp[0], username, totp[1]) if totp else None,
    )
    return User.of(insert_row(engine, row, username, replace=replace, what=f"user {username!r}"))


def get_user(engine: Engine, username: str) -> User | None:
    """The enabled user of this name, else None."""
    with Session(engine) as session:
        row = session.get(UserRow, username) if len(username) <= 80 else None
        return User.of(row) if row is not None and not row.disabled else None


def list_users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        rows = session.exec(select(UserRow).order_by(col(UserRow.username))).all()
        return [User.of(r) for r in rows]


def authenticate_user(engine: Engine, username: str, password: str) -> User | None:
    """The enabled user with this name and password, else None (the same work either way)."""
    with Session(engine) as session:
        row = session.get(UserRow, username) if len(username) <= 80 else None
        stored = row.password_hash if row is not None and not row.disabled else None
        user = User.of(row) if row is not None else None
    return user if verify_secret(password, stored) else None


def disable_user(engine: Engine, username: str, *, clock: Callable[[], float] = time.time) -> bool:
    """Disable a user: no sign-in, refresh tokens revoked, access tokens refused (the verifier
    reads the row: at once in this process, within ``Registry.ttl`` in others)."""
    with Session(engine) as session:
        row = session.get(UserRow, username) if len(username) <= 80 else None
        if row is None:
            return False
        row.disabled = True
        subjects = {row.username, row.worker_id or row.username}
        session.add(row)
        session.commit()
    for subject in subjects:
        forget_everywhere(subject)
    Revocations(engine, clock=clock).revoke_subject(username, "user_disabled")
    return True


def reset_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    second_factor: bool = False,
    clock: Callable[[], float] = time.time,
) -> User:
    """Give a user a new password (and with ``second_factor`` a new TOTP enrolment at the next
    sign-in); their refresh tokens are revoked and trusted devices forgotten."""
    with Session(engine) as session:
        row = session.get(UserRow, username) if len(username) <= 80 else None
        if row is None:
            raise ClientError(f"no user {username[:80]!r}")
        _password(password, username)
        row.password_hash = hash_secret(password)
        if second_factor:
            row.totp_sealed = row.totp_pending_sealed = row.totp_last_step = None
        session.add(row)
        session.commit()
        session.refresh(row)
        user = User.of(row)
    forget_everywhere(username)
    Revocations(engine, clock=clock).revoke_subject(username, "password_reset")
    return user


def _mission(required: bool, mission: str | None) -> str | None:
    if not required:
        if mission:
            raise ClientError("only an officer belongs to a mission")
        return None
    if not mission:
        raise ClientError("an officer needs --mission (a mission code such as HKG)")
    code = mission.strip().upper()
    if code not in MISSION_CODES:
        known = ", ".join(sorted(MISSION_CODES))
        raise ClientError(f"unknown mission {mission[:12]!r}; known: {known}")
    return code


def _password(password: str, username: str) -> None:
    try:
        check_password(password, username)
    except PasswordRejected as exc:
        raise ClientError(str(exc)) from None


__all__ = [
    "MISSION_CODES",
    "User",
    "add_user",
    "authenticate_user",
    "disable_user",
    "get_user",
    "list_users",
    "reset_password",
]
