"""Production mode: an operator adds an officer with ``pmihub users add``; the officer signs in
at the console in Chromium with the password, enrols TOTP from the QR page (reading the key the
page also shows as text), gives a code, and reads a worker. One browser session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from auth.clients import add_client
from auth.console_client import CONSOLE_CLIENT, CONSOLE_GRANTS, CONSOLE_SCOPES
from auth.totp import code_at, provisioning_uri, qr_svg
from connectors.sandbox.serve import LoopbackServer, free_port
from hub.app import create_app
from hub.cli import app as pmihub
from hub.settings import Settings
from hub.storage import make_engine
from tests.console._support import new_page
from tests.console.conftest import SITI, ConsoleStack

OFFICER = "petugas.hkg.sari"


@pytest.fixture(scope="module")
def production(console: ConsoleStack) -> Iterator[tuple[str, dict[str, str]]]:
    """A second hub on the console stack's database and agencies, in production mode (no demo
    banner, no GraphiQL), and the console registered at its address too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **console.stack.environ,
        "HUB_ENV": "production",
        "HUB_AUTH_DEMO": "false",
        "HUB_PUBLIC_URL": url,
        "HUB_AUTH_CONSOLE_REDIRECT": f"{url}/console/callback",
    }
    engine = make_engine(env["HUB_DATABASE_URL"])
    try:  # both hubs' consoles: the demo-mode one the other tests use, and this one
        add_client(
            engine,
            client_id=CONSOLE_CLIENT,
            name="PMI Hub Console",
            agency="PMIHUB",
            scopes=CONSOLE_SCOPES,
            grant_types=CONSOLE_GRANTS,
            redirect_uris=[f"{console.stack.hub_url}/console/callback", f"{url}/console/callback"],
            public=True,
            replace=True,
        )
    finally:
        engine.dispose()
    with LoopbackServer(create_app(Settings.from_environ(env)), port=port) as server:
        assert server.url == url
        yield url, env


def test_an_officer_enrols_totp_signs_in_and_reads_a_worker(
    browser: Any, console: ConsoleStack, production: tuple[str, dict[str, str]]
) -> None:
    url, env = production
    # given an operator adds the officer (the password is printed once)
    added = CliRunner().invoke(
        pmihub,
        ["users", "add", OFFICER, "--role", "officer", "--mission", "HKG", "--name", "Sari"],
        env=env,
    )
    assert added.exit_code == 0, added.stderr
    password = added.stdout.split("password: ")[1].strip()
    page = new_page(browser, width=360, height=780)  # a phone
    page.goto(f"{url}/console/")
    page.click("#sign-in")
    page.wait_for_url("**/oauth/authorize?**")
    # the form comes first, the plain-language scopes below it, no demo banner
    html = page.content()
    assert html.index('id="password"') < html.index("meminta akses")
    assert "Mode demo" not in html and "<code>" not in html.split("meminta akses")[1]
    page.fill("#username", OFFICER)
    page.fill("#password", password)
    page.click("button[value=approve]")
    # the first sign-in enrols the second factor: a QR code and the same key as text
    page.wait_for_selector("#totp-secret")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert page.locator(".qr svg").count() == 1
    drawn = page.eval_on_selector(".qr", "e => e.innerHTML")
    assert _same_svg(drawn, qr_svg(provisioning_uri(secret, OFFICER)))
    page.fill("#code", code_at(secret, _now()))
    page.click("button[value=approve]")
    # then the console is signed in, and reads a worker
    page.wait_for_selector("#who")
    assert page.inner_text("#who") == OFFICER
    worker_id = console.worker_ids[SITI]
    page.goto(f"{url}/console/#/worker/{worker_id}")
    page.wait_for_selector("#section-sources")
    assert SITI in page.inner_text("main")  # her full NIK: the officer holds worker.nik:read
    assert page.script_errors == []
    page.context.close()
    # the sign-in is in the audit trail, with the mission, and so is the read
    engine = make_engine(env["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT operation, outcome FROM audit_entry WHERE subject = :s ORDER BY seq"),
                {"s": OFFICER},
            ).all()
    finally:
        engine.dispose()
    assert rows[0] == ("oauth:password:signedIn:HKG", "SIGN_IN")
    assert any(outcome == "READ" for _, outcome in rows[1:])


def _now() -> float:
    import time

    return time.time()


def _same_svg(drawn: str, expected: str) -> bool:
    """The browser's serialisation of the inline SVG against segno's (attribute quoting and
    self-closing tags may differ): the same path data."""

    def paths(svg: str) -> list[Any]:
        return re.findall(r'\sd="([^"]+)"', svg)

    return bool(paths(expected)) and paths(drawn) == paths(expected)
