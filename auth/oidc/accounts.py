"""Provider accounts as hub users: ``oidc:<sub>``, the scopes and mission their groups gave.

The user name cannot collide with a hub account (those never hold ``:``). Each sign-in
rewrites the row, so a group removed at the provider is gone at the next sign-in, and a
sign-in refused for its groups withdraws the account (``withdraw_account``): its refresh
tokens stop and its access tokens fail the standing check. The authorization code and refresh
grants read the row (``HubAuthorizationServer.find_user``), the verifier too
(``auth.standing``).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from auth.oidc.mapping import Mapped
from auth.oidc.models import PREFIX, OidcAccountRow
from auth.roles import ROLES, Role
from auth.scopes import scope_string
from auth.standing import forget_everywhere
from auth.users import User

_PLAIN_SUB = re.compile(r"[A-Za-z0-9._@-]{1,75}")


def username_for(subject: str) -> str:
    """``oidc:<sub>`` (Keycloak's ids are UUIDs), or a digest of a long or unusual ``sub``."""
    if _PLAIN_SUB.fullmatch(subject):
        return PREFIX + subject
    return PREFIX + "h-" + hashlib.sha256(subject.encode()).hexdigest()[:64]


def is_external(username: str) -> bool:
    return username.startswith(PREFIX)


def save_account(
    engine: Engine,
    *,
    issuer: str,
    subject: str,
    mapped: Mapped,
    clock: Callable[[], float] = time.time,
) -> User:
    now = datetime.fromtimestamp(clock(), UTC)
    username = username_for(subject)
    with Session(engine) as session:
        row = session.get(OidcAccountRow, username)
        if row is None:
            row = OidcAccountRow(
                username=username, issuer=issuer, subject=subject[:255], scopes="",
                created_at=now, signed_in_at=now,
            )  # fmt: skip
        row.issuer = issuer
        row.mission = mapped.mission
        row.scopes = scope_string(mapped.scopes)
        row.signed_in_at = now
        session.add(row)
        session.commit()
        session.refresh(row)
        user = _user(row)
    forget_everywhere(username)  # the token checks see the new scopes at once
    return user


def withdraw_account(engine: Engine, *, subject: str) -> bool:
    """The person's groups no longer map: their account holds nothing from now on, so its
    refresh tokens stop working and its access tokens fail the standing check. True when
    there was an account to withdraw."""
    username = username_for(subject)
    with Session(engine) as session:
        row = session.get(OidcAccountRow, username)
        if row is None or not row.scopes:
            return False
        row.scopes = ""
        row.mission = None
        session.add(row)
        session.commit()
    forget_everywhere(username)
    return True


def find_account(engine: Engine, username: str) -> User | None:
    with Session(engine) as session:
        row = session.get(OidcAccountRow, username) if len(username) <= 80 else None
        return _user(row) if row is not None and row.scopes else None


def _user(row: OidcAccountRow) -> User:
    scopes = frozenset(row.scopes.split())
    role = role_of(scopes, row.mission)
    return User(
        username=row.username,
        display_name="",
        role=role.name,
        agency=role.agency,
        scopes=scopes,
        mission=row.mission,
    )


def role_of(scopes: frozenset[str], mission: str | None) -> Role:
    """With a mission, an officer; else the first staff role without one that covers the
    scopes, else an auditor's standing (agency PMIHUB) for a hand-picked set."""
    if mission:
        return ROLES["officer"]
    fits = (r for r in ROLES.values() if not r.mission and not r.worker and scopes <= r.scopes)
    return next(fits, ROLES["auditor"])


__all__ = [
    "PREFIX",
    "find_account",
    "is_external",
    "role_of",
    "save_account",
    "username_for",
    "withdraw_account",
]
