"""README.md, followed as a newcomer follows it: every command and example, run as written.

A module-scoped demo runs in a temporary directory that looks like a checkout (``.venv`` is
this checkout's), started with the options of the README's ``make demo ARGS="..."`` line (the
ports swapped for free ones, and 500 people instead of 10,000 to save time: the examples take
their person from ``.demo/env``, whatever the population). Then the README's shell blocks run
in order in one ``bash -e``, its Python example with the virtualenv's ``python`` and its GraphQL
example over HTTP, each checked for what the README says it gives; GraphiQL renders with every
request off loopback refused, and an officer signs in to the console at ``localhost`` and at
``127.0.0.1``. A few blocks are not run, each for the reason ``NOT_RUN`` gives.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.sandbox.serve import free_port
from hub.cli_environment import read_env_file
from tests.console._support import fresh_code
from tests.console.conftest import CHROMIUM_ARGS, chromium  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
README_PORTS = {"hub": 8000, "kemnaker": 8101, "p2mi": 8102, "bpjs": 8103, "embassy": 8104}
ARGS_PORTS = {"hub": 9000, "kemnaker": 9101, "p2mi": 9102, "bpjs": 9103, "embassy": 9104}
NOT_RUN = {
    "make demo    #": "the module runs the demo itself, with the ARGS the README gives make",
    'make demo ARGS="': "run as the module's demo (pmihub demo with these options)",
    "pmihub generate --people 10000 --seed 7": (
        "starts sandboxes that run until stopped; the demo runs each sandbox by this command"
    ),
}
TIMEOUT = 30_000  # ms, for the browser


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README) if lang == language]


def not_run(block: str) -> bool:
    return any(block.lstrip().startswith(start) for start in NOT_RUN)


@dataclass
class RunningDemo:
    directory: Path
    ports: dict[str, int]
    env: dict[str, str]  # .demo/env
    credentials: dict[str, Any]

    @property
    def hub(self) -> str:
        return f"http://127.0.0.1:{self.ports['hub']}"

    def localize(self, text: str) -> str:
        """The README's ports (8000, 8101...; 9000, 9101... in the ARGS line) -> this demo's."""
        for name, port in self.ports.items():
            for readme_port in (README_PORTS[name], ARGS_PORTS[name]):
                text = re.sub(rf"\b{readme_port}\b", str(port), text)
        return text


def clean_environ() -> dict[str, str]:
    """The environment of a newcomer's shell: none of the hub's variables, no virtualenv."""
    drop = ("HUB_", "DEMO_", "SANDBOX_", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT / ".venv"))
    )
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDemo]:
    directory = tmp_path_factory.mktemp("checkout")
    (directory / ".venv").symlink_to(ROOT / ".venv")
    ports = {name: free_port() for name in README_PORTS}
    [args_block] = [b for b in blocks("sh") if b.startswith('make demo ARGS="')]
    args = RunningDemo(directory, ports, {}, {}).localize(args_block).split('"')[1].split()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "demo", *args, "--people", "500"],
        cwd=directory,
        env=clean_environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "ready":
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(600):
            pytest.fail("the demo did not print ready:\n" + "".join(lines[-40:]))
        state = directory / ".demo"
        yield RunningDemo(
            directory,
            ports,
            read_env_file((state / "env").read_text()),
            json.loads((state / "credentials.json").read_text())["auth"],
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def run_bash(demo: RunningDemo, script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=demo.directory,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_readme_shell_and_python_examples_give_what_it_says(demo: RunningDemo) -> None:
    # given: the README's shell blocks in order, then its Python example, in one shell
    runnable = [b for b in blocks("sh") if not not_run(b)]
    [python_example] = blocks("python")
    parts = []
    for i, block in enumerate(runnable):
        parts += [f"printf '\\n@@block {i}\\n'", demo.localize(block)]  # curl ends no line
    parts += [
        'test -n "$TOKEN"',
        "printf '\\n@@python\\n'",
        "python - <<'PY'",
        demo.localize(python_example),
        "PY",
    ]
    # when
    done = run_bash(demo, "\n".join(parts))
    # then
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr == ""
    outputs = dict(re.findall(r"^@@(block \d+|python)\n(.*?)(?=^@@|\Z)", done.stdout, re.S | re.M))
    by_block = {runnable[int(k.split()[1])]: v for k, v in outputs.items() if k != "python"}
    checked = 0
    for block, output in by_block.items():
        if "workerBy(nik:" in block:  # the curl example by NIK: the demo's worker, every agency
            answer = json.loads(output)
            assert "errors" not in answer
            worker = answer["data"]["workerBy"]
            assert worker["id"] == demo.env["DEMO_WORKER"]
            assert {s["state"] for s in worker["sources"]} == {"OK"}
            checked += 1
        elif "pmihub status" in block:  # English, then Indonesian, of the same worker
            assert "Protection status" in output and "Status pelindungan" in output
            assert output.count(demo.env["DEMO_WORKER"]) == 2
            checked += 1
        elif block.startswith((". .venv", "SECRET=")):  # set-up and tokens print nothing
            assert output.strip() == "", (block, output)
        else:  # another section's example: it ran (bash -e) and answered without an error
            assert '"errors"' not in output and "Traceback" not in output, (block, output)
    assert checked == 2
    assert "'fullName'" in outputs["python"] and "'protection'" in outputs["python"]


def test_the_readme_search_finds_the_demo_person_by_a_misspelt_name(demo: RunningDemo) -> None:
    # given: the GraphQL example, with the variables the README says the demo printed
    [search] = [b for b in blocks("graphql") if "searchWorkers" in b]
    client = demo.credentials["clients"]["embassy-system"]
    token = httpx.post(
        f"{demo.hub}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("embassy-system", client["client_secret"]),
    ).json()["access_token"]
    variables = {"name": demo.env["DEMO_NAME"], "born": demo.env["DEMO_BIRTH_DATE"]}
    # when
    answer = httpx.post(
        f"{demo.hub}/graphql",
        json={"query": search, "variables": variables},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "EMERGENCY"},
        timeout=30,
    ).json()
    # then
    assert "errors" not in answer
    edges = answer["data"]["searchWorkers"]["edges"]
    assert edges[0]["node"]["id"] == demo.env["DEMO_WORKER"]
    assert edges[0]["node"]["identity"]["birthDate"] == demo.env["DEMO_BIRTH_DATE"]
    assert edges[0]["node"]["identity"]["fullName"].lower() != demo.env["DEMO_NAME"]


def test_a_command_without_configuration_says_so_in_one_line_and_creates_nothing(
    tmp_path: Path,
) -> None:
    # given: a directory with no demo, and a shell with none of the hub's settings
    pmihub = str(ROOT / ".venv" / "bin" / "pmihub")
    # when
    answers = [
        subprocess.run(
            [pmihub, "token", "--client", "embassy-system", "--purpose", "EMERGENCY"],
            cwd=tmp_path,
            env={**clean_environ(), **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        for extra in ({}, {"HUB_ENV": "dev"})
    ]
    # then
    for answer in answers:
        assert answer.returncode == 2
        assert answer.stdout == ""
        assert len(answer.stderr.strip().splitlines()) == 1, answer.stderr
        assert "pmihub migrate" in answer.stderr and "Traceback" not in answer.stderr
    assert list(tmp_path.iterdir()) == []


def browser_context(browser: Any) -> tuple[Any, list[str]]:
    """A context where every request off loopback is refused (and recorded): no network."""
    context = browser.new_context(locale="id-ID")
    refused: list[str] = []

    def only_loopback(route: Any) -> None:
        host = httpx.URL(route.request.url).host
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return context, refused


def watched_page(context: Any) -> tuple[Any, list[str]]:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def test_graphiql_and_the_console_work_offline_at_localhost_and_127_0_0_1(
    demo: RunningDemo,
    chromium: Path,  # noqa: F811 - the fixture imported above
) -> None:
    from playwright.sync_api import sync_playwright

    officer = demo.credentials["users"]["embassy-officer"]
    port = demo.ports["hub"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            context, refused = browser_context(browser)
            # GraphiQL: its scripts and styles come from the hub
            page, errors = watched_page(context)
            loaded: list[str] = []
            page.on("requestfinished", lambda request: loaded.append(request.url))
            page.goto(f"{demo.hub}/graphql")
            page.wait_for_selector(".graphiql-container")
            assert errors == []
            assert any(url.endswith(".js") and "/graphiql/graphiql-" in url for url in loaded)
            # the console, signed in as the demo officer, at either loopback name
            for host in ("localhost", "127.0.0.1"):
                page, errors = watched_page(context)
                page.goto(f"http://{host}:{port}/console/")
                page.click("#sign-in")
                page.wait_for_url("**/oauth/authorize?**")
                page.fill("#username", officer["username"])
                page.fill("#password", officer["password"])
                page.click("button[value=approve]")
                page.wait_for_selector("#code")  # the demo officer has TOTP, its key printed
                page.fill("#code", fresh_code(officer["totp_secret"]))
                page.click("button[value=approve]")
                page.wait_for_selector("#who")
                assert page.inner_text("#who") == officer["username"]
                page.goto(f"http://{host}:{port}/console/#/worker/{demo.env['DEMO_WORKER']}")
                page.wait_for_selector("#section-sources")
                assert page.url.startswith(f"http://{host}:{port}/console/")
                assert errors == []
            assert refused == []
        finally:
            browser.close()
