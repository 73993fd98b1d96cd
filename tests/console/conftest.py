"""Browser tests of the console: Debian's chromium driven by Playwright, against a real stack.

Playwright's own browser download is never used (``playwright install`` is not run): the tests
launch ``/usr/bin/chromium`` from Debian's package, installing it when it is missing. Without
it the tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from auth.users import add_user
from connectors.sandbox.serve import free_port
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.e2e.stack import Stack, running_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SITI = "3506124508900003"  # known to all four agencies in the small scenario
RIZKI = "3201011507880007"
LIMITED = "petugas.terbatas"  # an officer whose role reads no BPJS, consular or contact data
WORKER = "pekerja.siti"
PASSWORD = "console-test-password"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the console's browser tests need Debian's chromium: {reason}")
    pytest.skip(f"Debian's chromium is not available: {reason}")


def _install_chromium() -> str | None:
    """apt-get the chromium package (we are root on the test machines); the failure, if any."""
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
    for command in (install, ["apt-get", "update", "-q"], install):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode == 0 and command is install and CHROMIUM.exists():
            return None
    return f"apt-get install chromium failed: {done.stderr.strip()[-500:]}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        problem = _install_chromium()
        if problem is not None:
            _unavailable(problem)
    return CHROMIUM


@dataclass
class ConsoleStack:
    stack: Stack
    worker_ids: dict[str, str]

    @property
    def url(self) -> str:
        return f"{self.stack.hub_url}/console/"


@pytest.fixture(scope="package")
def console(
    small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleStack]:
    """The four sandboxes and the hub, its login page on, the console's redirect URI on the
    hub's real port; an officer with a narrower role and a worker user are added."""
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    extra = {"HUB_PUBLIC_URL": public, "HUB_AUTH_DEMO": "true"}
    directory = tmp_path_factory.mktemp("console")
    with running_stack(small_scenario, directory, extra_env=extra, hub_port=port) as stack:
        ids = {}
        for nik in (SITI, RIZKI):
            body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": nik})
            ids[nik] = body.json()["data"]["workerBy"]["id"]
        engine = make_engine(stack.environ["HUB_DATABASE_URL"])
        try:
            common = {"password": PASSWORD, "replace": True}
            add_user(
                engine,
                username=LIMITED,
                display_name="Petugas (peran terbatas)",
                role="officer",
                agency="EMBASSY",
                scopes=[
                    "worker.identity:read",
                    "placement:read",
                    "protection:read",
                    "case:read",
                    "case:write",
                    "emergency",
                ],
                **common,
            )
            add_user(
                engine,
                username=WORKER,
                display_name="Siti (pekerja)",
                role="worker",
                agency="",
                scopes=["self"],
                worker_id=ids[SITI],
                **common,
            )
        finally:
            engine.dispose()
        yield ConsoleStack(stack, ids)


@pytest.fixture(scope="module")
def browser(chromium: Path, console: ConsoleStack) -> Iterator[object]:
    """One per module, started after the stack: Playwright's sync API keeps an event loop
    current in this thread until it stops, which ``asyncio.run`` (the stack's set-up) and
    anyio tests (in other modules) cannot run beside."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
