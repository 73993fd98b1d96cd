"""End to end in Chromium: an officer signs in at the ministry's OpenID Connect provider.

A second hub, in production mode (``HUB_ENV=production``, no demo login) with ``HUB_OIDC_*``
pointing at a real provider (``oidc-provider`` on Node, tests/auth/oidc_provider), serves the
console stack's database and sandboxes. The officer opens the console at ``localhost`` (not
``HUB_PUBLIC_URL``'s 127.0.0.1), clicks "Masuk dengan Keycloak Kemlu", signs in at the
provider's own form, comes back to the console and reads a worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from auth.models import OAuthClientRow
from connectors.sandbox.serve import LoopbackServer, free_port
from hub.app import create_app
from hub.settings import Settings
from hub.storage import make_engine
from tests.auth.oidc_provider import running_provider
from tests.console._support import new_page
from tests.console.conftest import SITI, ConsoleStack

CLIENT, SECRET = "pmihub-console-e2e", "pmihub-e2e-client-secret-0123"
PASSWORD = "provider-password-123"
USERS = {"budi.hkg": {"password": PASSWORD, "groups": ["/missions/HKG/officers"]}}


@pytest.fixture(scope="module")
def production_hub(
    console: ConsoleStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    clients = [
        {
            "client_id": CLIENT,
            "client_secret": SECRET,
            "redirect_uris": [f"{public}/oauth/oidc/callback"],
        }
    ]
    directory: Path = tmp_path_factory.mktemp("oidc-e2e")
    with running_provider(directory, clients=clients, users=USERS) as issuer:
        env = {
            **console.stack.environ,
            "HUB_ENV": "production",
            "HUB_AUTH_DEMO": "false",
            "HUB_PUBLIC_URL": public,
            "HUB_AUTH_CONSOLE_REDIRECT": f"{public}/console/callback",
            "HUB_OIDC_ISSUER": issuer,
            "HUB_OIDC_CLIENT_ID": CLIENT,
            "HUB_OIDC_CLIENT_SECRET": SECRET,
            "HUB_OIDC_SCOPES": "openid profile groups",
            "HUB_OIDC_NAME": "Keycloak Kemlu",
            "HUB_OIDC_GROUP_MAP": "/missions/HKG/officers=officer@HKG",
        }
        _also_redirect_to(
            env["HUB_DATABASE_URL"],
            f"{public}/console/callback",
            f"http://localhost:{port}/console/callback",
        )
        with LoopbackServer(create_app(Settings.from_environ(env)), port=port):
            yield public


def _also_redirect_to(database_url: str, *redirects: str) -> None:
    """The console client may come back to this hub too (the stack's hub keeps its own)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            row = session.get(OAuthClientRow, "console-frontend")
            assert row is not None
            row.redirect_uris = " ".join([row.redirect_uris, *redirects])
            session.add(row)
            session.commit()
    finally:
        engine.dispose()


def test_an_officer_signs_in_at_the_provider_and_reads_a_worker(
    browser: Any, console: ConsoleStack, production_hub: str
) -> None:
    # opened at localhost: the provider's button still leads back through HUB_PUBLIC_URL
    console_at = production_hub.replace("127.0.0.1", "localhost")
    page = new_page(browser)
    page.goto(f"{console_at}/console/")
    page.click("#sign-in")
    page.wait_for_url("**/oauth/authorize?**")
    assert page.inner_text("#provider") == (
        "Masuk dengan Keycloak Kemlu / Sign in with Keycloak Kemlu"
    )
    page.click("#provider")
    page.wait_for_url("**/interaction/**")  # the provider's own login form
    page.fill("#login", "budi.hkg")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#who")
    assert page.inner_text("#who") == "oidc:budi.hkg"
    assert page.url == f"{console_at}/console/"
    token = page.evaluate("JSON.parse(sessionStorage.getItem('pmihub.console.session')).access")
    assert token.count(".") == 2
    page.goto(f"{console_at}/console/#/worker/{console.worker_ids[SITI]}")
    page.wait_for_selector("#section-sources")
    assert "Siti" in page.inner_text("main")
    assert page.script_errors == []
    page.context.close()
    # the sign-in is in the audit trail, and so is the read, under the provider account
    engine = make_engine(console.stack.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT operation, outcome FROM audit_entry WHERE subject = :s ORDER BY seq"),
                {"s": "oidc:budi.hkg"},
            ).all()
    finally:
        engine.dispose()
    assert rows[0] == ("oauth:oidc:signedIn:HKG", "SIGN_IN")
    assert any(outcome == "READ" for _, outcome in rows[1:])
