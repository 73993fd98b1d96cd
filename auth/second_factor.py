"""A user's TOTP in the database: enrolment, and the check of a code (``auth.totp``).

``challenge`` says what the sign-in needs after the password: a code for the enrolled secret,
or an enrolment (a pending secret, made once and kept until confirmed, so reloading the page
shows the same QR code). ``confirm`` checks a code and records its time step with one
conditional UPDATE (``totp_last_step`` below it), so two uses of one code cannot both win;
a first good code during enrolment makes the pending secret the user's.
Synchronous (a database read and scrypt to open the sealed secret): run it off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from auth.login_marks import device_binding
from auth.models import UserRow
from auth.sealing import SealError
from auth.standing import forget_everywhere
from auth.totp import matching_step, new_secret, open_secret, seal_secret


@dataclass(frozen=True, slots=True, repr=False)
class Challenge:
    enrolling: bool
    secret: str | None  # only while enrolling: shown once more as QR code and text


def challenge(engine: Engine, key_secret: str, username: str) -> Challenge | None:
    """What the user must do next (None: the user is gone or disabled)."""
    with Session(engine) as session:
        row = session.get(UserRow, username)
        if row is None or row.disabled:
            return None
        if row.totp_sealed is not None:
            return Challenge(enrolling=False, secret=None)
        if row.totp_pending_sealed is not None:
            try:
                return Challenge(True, open_secret(key_secret, username, row.totp_pending_sealed))
            except SealError:
                pass  # sealed under an older HUB_AUTH_KEY_SECRET: start again
        secret = new_secret()
        row.totp_pending_sealed = seal_secret(key_secret, username, secret)
        session.add(row)
        session.commit()
    return Challenge(enrolling=True, secret=secret)


def confirm(engine: Engine, key_secret: str, username: str, code: str, now: float) -> bool:
    """Whether ``code`` is good now for ``username`` and not used before (then it is spent)."""
    with Session(engine) as session:
        row = session.get(UserRow, username)
        if row is None or row.disabled:
            return False
        sealed = row.totp_sealed or row.totp_pending_sealed
    if sealed is None:
        return False
    try:
        secret = open_secret(key_secret, username, sealed)
    except SealError:
        return False
    step = matching_step(secret, code, now)
    if step is None:
        return False
    enrolling = row.totp_sealed is None
    statement = (
        update(UserRow)
        .where(col(UserRow.username) == username)
        .where(col(UserRow.disabled).is_(False))
        .where(or_(col(UserRow.totp_last_step).is_(None), col(UserRow.totp_last_step) < step))
        .values(totp_last_step=step)
    )
    if enrolling:
        statement = statement.where(col(UserRow.totp_pending_sealed) == sealed).values(
            totp_sealed=sealed, totp_pending_sealed=None
        )
    else:
        statement = statement.where(col(UserRow.totp_sealed) == sealed)
    with Session(engine) as session:
        won = session.exec(statement).rowcount == 1  # type: ignore[attr-defined]
        session.commit()
    if won:
        forget_everywhere(username)
    return won


def device_key(engine: Engine, username: str) -> str | None:
    """What a remembered device is bound to for this user (None: disabled or not enrolled)."""
    with Session(engine) as session:
        row = session.get(UserRow, username)
        if row is None or row.disabled or row.totp_sealed is None:
            return None
        return device_binding(row.password_hash, row.totp_sealed)


__all__ = ["Challenge", "challenge", "confirm", "device_key"]
