"""``pmihub users add|list|disable|reset-password``: the people who sign in at the hub.

Every refusal is one line on stderr and exit code 2, and changes nothing: the input is checked
before the database is opened, and a missing SQLite file is never created (the factory
``auth.cli.use_database`` was given refuses it: run ``pmihub migrate`` first). A password the
hub generates is printed once, on stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from auth.clients import ClientError
from auth.passwords import PasswordRejected, check_password, generate_password
from auth.roles import ROLES
from auth.users import add_user, disable_user, list_users, reset_password

users_app = typer.Typer(help="People who sign in at the hub (officers, workers...).")
ROLE_NAMES = ", ".join(ROLES)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@contextmanager
def database() -> Iterator[Engine]:
    """The hub database (the mounting program's factory: ``auth.cli.use_database``); a missing
    one (never created here) and database errors as one line."""
    from auth.cli import open_engine

    try:
        engine = open_engine()
    except ValueError as exc:  # the factory's configuration errors: no database file...
        raise _fail(f"configuration error: {str(exc).splitlines()[0]}") from None
    try:
        yield engine
    except SQLAlchemyError as exc:
        kind = type(exc).__name__
        raise _fail(f"database error ({kind}): is it migrated (`pmihub migrate`)?") from None
    finally:
        engine.dispose()


def _password(stdin: bool, username: str) -> tuple[str, bool]:
    """The password to set and whether the hub made it (then it is printed once)."""
    if not stdin:
        return generate_password(), True
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        check_password(password, username)
    except PasswordRejected as exc:
        raise _fail(f"refused: {exc}") from None
    return password, False


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="User name, e.g. petugas.hkg.ani.")],
    role: Annotated[str, typer.Option(help=f"One of: {ROLE_NAMES}.")],
    mission: Annotated[
        str | None, typer.Option(help="An officer's mission code (HKG, KUL, TPE...).")
    ] = None,
    worker_id: Annotated[str | None, typer.Option(help="A worker's hub worker id.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency code (default: the role's).")] = None,
    scope: Annotated[
        list[str] | None, typer.Option(help="Narrow the role's scopes to these (repeat).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a user; without --password-stdin a password is generated and printed once."""
    if role not in ROLES:
        raise _fail(f"refused: role must be one of {ROLE_NAMES}")
    password, generated = _password(password_stdin, username)
    scopes = [s for item in scope for s in item.split()] if scope else None
    with database() as engine:
        try:
            user = add_user(
                engine,
                username=username,
                password=password,
                role=role,
                display_name=name or "",
                agency=agency,
                mission=mission,
                scopes=scopes,
                worker_id=worker_id,
            )
        except ClientError as exc:
            raise _fail(f"refused: {exc}") from None
    typer.echo(f"user: {user.username} ({user.role}{', ' + user.mission if user.mission else ''})")
    if generated:
        typer.echo(f"password: {password}")
        typer.echo("(the password is shown only now)", err=True)
    if user.second_factor:
        typer.echo("second factor: TOTP, set up at the first sign-in (a QR code)", err=True)


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List users (never their passwords or TOTP secrets)."""
    with database() as engine:
        users = list_users(engine)
    rows = [
        {
            "username": u.username,
            "role": u.role,
            "mission": u.mission,
            "agency": u.agency,
            "worker_id": u.worker_id,
            "disabled": u.disabled,
            "second_factor": ("enrolled" if u.totp_enrolled else "pending")
            if u.second_factor
            else "none",
            "scopes": sorted(u.scopes),
        }
        for u in users
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = "disabled" if r["disabled"] else "active"
        typer.echo(
            f"{r['username']:<28} {r['role']:<18} {r['mission'] or '-':<5} {state:<9} "
            f"totp:{r['second_factor']}"
        )


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable a user: no sign-in; their tokens stop working."""
    with database() as engine:
        if not disable_user(engine, username):
            raise _fail(f"no user {username[:80]!r}")
    typer.echo(f"disabled {username}")


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Argument()],
    totp: Annotated[
        bool, typer.Option("--totp", help="Also a new TOTP enrolment (a lost phone).")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Set a new password (generated and printed once, or from stdin); ends their sessions."""
    password, generated = _password(password_stdin, username)
    with database() as engine:
        try:
            reset_password(engine, username, password, second_factor=totp)
        except ClientError as exc:
            raise _fail(f"refused: {exc}") from None
    typer.echo(f"new password for {username}" + (" and a new TOTP enrolment" if totp else ""))
    if generated:
        typer.echo(f"password: {password}")
        typer.echo("(the password is shown only now)", err=True)


__all__ = ["database", "users_app"]
