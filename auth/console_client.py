"""The console's OAuth client: public, authorization code + PKCE, redirect to the hub's own
``/console/callback``. The demo registers it; in production ``pmihub clients add-console``."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from auth.clients import ClientInfo, add_client
from auth.scopes import READ_SCOPES, Scope
from auth.settings import AuthSettings

CONSOLE_CLIENT = "console-frontend"
CONSOLE_SCOPES = frozenset(READ_SCOPES | {Scope.CASE_WRITE, Scope.EMERGENCY, Scope.SELF})
CONSOLE_GRANTS = ("authorization_code", "refresh_token")


def register_console(engine: Engine, settings: AuthSettings, *, replace: bool = True) -> ClientInfo:
    """Register (or re-register) the console at ``HUB_AUTH_CONSOLE_REDIRECT``."""
    info, _ = add_client(
        engine,
        client_id=CONSOLE_CLIENT,
        name="PMI Hub Console",
        agency="PMIHUB",
        scopes=CONSOLE_SCOPES,
        grant_types=CONSOLE_GRANTS,
        redirect_uris=[settings.console_redirect_uri],
        public=True,
        replace=replace,
    )
    return info


__all__ = ["CONSOLE_CLIENT", "CONSOLE_GRANTS", "CONSOLE_SCOPES", "register_console"]
