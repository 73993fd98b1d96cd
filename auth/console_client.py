"""The console's OAuth client: public, authorization code + PKCE, redirect to the hub's own
``/console/callback``. The demo registers it; in production ``pmihub clients add-console``."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.engine import Engine

from auth.clients import ClientInfo, add_client
from auth.scopes import READ_SCOPES, Scope
from auth.settings import AuthSettings

CONSOLE_CLIENT = "console-frontend"
CONSOLE_SCOPES = frozenset(
    READ_SCOPES | {Scope.CASE_WRITE, Scope.EMERGENCY, Scope.SELF, Scope.PARTNER}
)
CONSOLE_GRANTS = ("authorization_code", "refresh_token")


def loopback_twins(uri: str) -> list[str]:
    """``uri``, and on a loopback host the same address by its other name (127.0.0.1 and
    localhost), so the console signs in whichever of the two the browser opened."""
    parts = urlsplit(uri)
    twin = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(parts.hostname or "")
    if twin is None:
        return [uri]
    netloc = twin + (f":{parts.port}" if parts.port else "")
    return [uri, urlunsplit(parts._replace(netloc=netloc))]


def register_console(engine: Engine, settings: AuthSettings, *, replace: bool = True) -> ClientInfo:
    """Register (or re-register) the console at ``HUB_AUTH_CONSOLE_REDIRECT``."""
    info, _ = add_client(
        engine,
        client_id=CONSOLE_CLIENT,
        name="PMI Hub Console",
        agency="PMIHUB",
        scopes=CONSOLE_SCOPES,
        grant_types=CONSOLE_GRANTS,
        redirect_uris=loopback_twins(settings.console_redirect_uri),
        public=True,
        replace=replace,
    )
    return info


__all__ = [
    "CONSOLE_CLIENT",
    "CONSOLE_GRANTS",
    "CONSOLE_SCOPES",
    "loopback_twins",
    "register_console",
]
