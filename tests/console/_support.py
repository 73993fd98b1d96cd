"""Signing in through the real login page, and small page helpers for the console tests."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import PASSWORD, WORKER, ConsoleStack

TIMEOUT = 15_000  # ms: a worker page reads four agencies over loopback


def new_page(browser: Any, *, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.script_errors = errors  # the test asserts none at the end
    return page


def sign_in(page: Any, console: ConsoleStack, username: str, password: str | None = None) -> None:
    """Console -> Masuk -> the hub's login page -> back with a code -> signed in."""
    if password is None:
        officer = console.stack.credentials["users"]["embassy-officer"]
        password = officer["password"] if username == officer["username"] else PASSWORD
    page.goto(console.url)
    page.click("#sign-in")
    page.wait_for_url("**/oauth/authorize?**")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[value=approve]")
    page.wait_for_selector("#who")
    worker = username == WORKER
    assert page.inner_text("#who") == ("pekerja (data saya sendiri)" if worker else username)


def officer(console: ConsoleStack) -> str:
    return console.stack.credentials["users"]["embassy-officer"]["username"]


def open_worker(page: Any, console: ConsoleStack, worker_id: str) -> None:
    page.goto(f"{console.url}#/worker/{worker_id}")
    page.wait_for_selector("#section-sources")
