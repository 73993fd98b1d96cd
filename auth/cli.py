"""``pmihub`` commands for OAuth administration; mount with ``app.add_typer(auth_cli)``.

``clients add|add-console|list|disable``, ``keys rotate|list``, ``token``, ``grants list``,
``users add|list|disable|reset-password`` (auth/users_cli.py). The database is
opened by the factory the program mounting these commands gives ``use_database`` (``pmihub``:
``HUB_DATABASE_URL``), so ``auth`` never imports the hub; settings come from the environment.
Secrets are printed once, on stdout, and never logged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy.engine import Engine

from auth.breakglass import BreakGlassService
from auth.clients import ClientError, add_client, disable_client, list_clients
from auth.keys import ALGORITHMS, KeyStore
from auth.settings import AuthSettings, AuthSettingsError
from auth.users_cli import database, users_app

auth_cli = typer.Typer(no_args_is_help=True, add_completion=False)
clients_app = typer.Typer(help="Registered OAuth clients.", no_args_is_help=True)
keys_app = typer.Typer(help="Token signing keys.", no_args_is_help=True)
grants_app = typer.Typer(help="Break-glass grants, for review.", no_args_is_help=True)
auth_cli.add_typer(clients_app, name="clients")
auth_cli.add_typer(keys_app, name="keys")
auth_cli.add_typer(grants_app, name="grants")
auth_cli.add_typer(users_app, name="users")


_database: list[Callable[[], Engine]] = []


def use_database(factory: Callable[[], Engine]) -> None:
    """Open the database with ``factory`` (the mounting program's, e.g. ``pmihub``'s)."""
    _database[:] = [factory]


def open_engine() -> Engine:
    """The database, by the mounting program's factory (``use_database``)."""
    return _engine()


def _engine() -> Engine:
    if not _database:
        raise _fail("configuration error: no database for the auth commands (use_database)")
    return _database[0]()


def _settings() -> AuthSettings:
    try:
        return AuthSettings.from_environ(os.environ)
    except AuthSettingsError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@clients_app.command("add")
def clients_add(
    client_id: Annotated[str, typer.Argument(help="The client id, e.g. bpjs-claims.")],
    agency: Annotated[str, typer.Option(help="Agency code: KEMNAKER, P2MI, BPJS_KETENAGAKERJAAN…")],
    scope: Annotated[list[str], typer.Option(help="A scope it may hold (repeat).")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    grant: Annotated[
        list[str] | None, typer.Option(help="Grant type (repeat); default client_credentials.")
    ] = None,
    redirect_uri: Annotated[list[str] | None, typer.Option(help="Redirect URI (repeat).")] = None,
    public: Annotated[bool, typer.Option(help="A public client (PKCE, no secret).")] = False,
) -> None:
    """Register a client; prints its secret once."""
    scopes = [s for item in scope for s in item.split()]
    try:
        info, secret = add_client(
            _engine(),
            client_id=client_id,
            name=name or client_id,
            agency=agency,
            scopes=scopes,
            grant_types=grant or ["client_credentials"],
            redirect_uris=redirect_uri or [],
            public=public,
        )
    except ClientError as exc:
        raise _fail(f"refused: {exc}") from None
    typer.echo(f"client_id: {info.client_id}")
    if secret is not None:
        typer.echo(f"client_secret: {secret}")
        typer.echo("(the secret is shown only now)", err=True)


@clients_app.command("list")
def clients_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List registered clients (never their secrets)."""
    rows = list_clients(_engine())
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "client_id": c.client_id,
                        "name": c.name,
                        "agency": c.agency,
                        "public": c.public,
                        "disabled": c.disabled,
                        "grant_types": sorted(c.grant_types),
                        "scopes": sorted(c.scopes),
                        "redirect_uris": list(c.redirect_uris),
                    }
                    for c in rows
                ],
                indent=2,
            )
        )
        return
    for c in rows:
        state = "disabled" if c.disabled else ("public" if c.public else "confidential")
        typer.echo(
            f"{c.client_id:<20} {c.agency:<22} {state:<12} "
            f"{','.join(sorted(c.grant_types)):<40} {' '.join(sorted(c.scopes))}"
        )


@clients_app.command("disable")
def clients_disable(client_id: Annotated[str, typer.Argument()]) -> None:
    """Disable a client: no new tokens, its refresh and access tokens refused."""
    if not disable_client(_engine(), client_id):
        raise _fail(f"no client {client_id!r}")
    typer.echo(f"disabled {client_id}")


@keys_app.command("rotate")
def keys_rotate(
    alg: Annotated[str, typer.Option(help=f"One of {', '.join(ALGORITHMS)}.")] = "ES256",
) -> None:
    """Add a new signing key; tokens signed by the old one stay valid until they expire."""
    if alg not in ALGORITHMS:
        raise _fail(f"--alg must be one of {', '.join(ALGORITHMS)}")
    info = KeyStore(_engine(), _settings()).rotate(alg)
    typer.echo(f"new signing key {info.kid} ({info.alg})")


@keys_app.command("list")
def keys_list() -> None:
    """List signing keys (ids and dates only)."""
    for k in KeyStore(_engine(), _settings()).list_keys():
        retired = k.retired_at.isoformat() if k.retired_at else "active"
        typer.echo(f"{k.kid}  {k.alg}  created {k.created_at.isoformat()}  {retired}")


@clients_app.command("add-console")
def clients_add_console() -> None:
    """Register the console (public, PKCE) at HUB_AUTH_CONSOLE_REDIRECT; again to update it."""
    from auth.console_client import register_console

    settings = _settings()
    with database() as engine:
        info = register_console(engine, settings)
    typer.echo(f"client_id: {info.client_id} redirect_uri: {' '.join(info.redirect_uris)}")


@auth_cli.command("token")
def token(
    client: Annotated[
        str | None, typer.Option(help="A registered client-credentials client.")
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="A hub user: the token the console would get.")
    ] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Scope(s) to ask for.")] = None,
    purpose: Annotated[str | None, typer.Option(help="Purpose bound to the token.")] = None,
) -> None:
    """Print an access token for a registered client or a hub user (for scripts)."""
    from auth.server import HubAuthorizationServer

    if (client is None) == (user is None):
        raise _fail("give exactly one of --client or --user")
    settings = _settings()
    wanted = " ".join(s for item in scope or [] for s in item.split()) or None
    with database() as engine:
        server = HubAuthorizationServer(engine, settings)
        try:
            if user is not None:
                issued = server.issue_user_token(user, wanted, purpose)
            else:
                issued = server.issue_client_token(client or "", wanted, purpose)
        except ClientError as exc:
            raise _fail(f"refused: {exc}") from None
    typer.echo(issued.value)


@grants_app.command("list")
def grants_list(
    worker: Annotated[str | None, typer.Option(help="Only this worker's grants.")] = None,
    active: Annotated[bool, typer.Option(help="Only grants still in force.")] = False,
    since: Annotated[str | None, typer.Option(help="Only since this ISO date/time.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List break-glass grants, newest first, for review."""
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise _fail(f"--since must be an ISO date or date-time, got {since!r}") from None
    if start is not None and start.tzinfo is None:
        start = start.astimezone()
    service = BreakGlassService(_engine())
    grants = service.list(since=start, worker_id=worker, active_only=active, limit=limit)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": g.id,
                        "worker_id": g.worker_id,
                        "client_id": g.client_id,
                        "subject": g.subject,
                        "reason": g.reason,
                        "created_at": g.created_at.isoformat(),
                        "expires_at": g.expires_at.isoformat(),
                    }
                    for g in grants
                ],
                indent=2,
            )
        )
        return
    for g in grants:
        typer.echo(
            f"{g.created_at.isoformat()}  {g.worker_id}  {g.client_id}/{g.subject}  "
            f"until {g.expires_at.isoformat()}  {g.reason}"
        )


__all__ = ["auth_cli"]
