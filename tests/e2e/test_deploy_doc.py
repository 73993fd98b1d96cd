"""docs/deploy.md, followed: a production hub on PostgreSQL and Redis in two processes.

The environment is exactly the variables of the document's environment file (their values for
this machine: the sandboxes' addresses and credentials, a throwaway PostgreSQL database, a
Redis, new secrets); the commands are the document's, in its order, run by the installed
``pmihub`` (the ports and the process count are this test's). Then the probes answer, two
processes serve, and an officer the document's ``pmihub users add`` made signs in at the
console in Chromium (password, TOTP enrolment, code) and reads a worker. No TLS proxy here:
the hub's own address stands in for the proxy's.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from connectors.kit.auth.mtls import generate_certificates
from connectors.sandbox.run import build_sandbox_app, sandbox_credentials
from connectors.sandbox.serve import LoopbackServer, free_port
from schema.scenario import load_scenario
from tests.console._support import fresh_code
from tests.console.conftest import CHROMIUM_ARGS, SITI, chromium  # noqa: F401 - the fixture
from tests.databases import throwaway_postgres
from tests.e2e.stack import AGENCIES

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deploy.md").read_text()
PMIHUB = str(ROOT / ".venv" / "bin" / "pmihub")
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
FIXTURES = ROOT / "tests" / "fixtures"
DOC_HOST = "https://hub.example.go.id"


def doc_block(first_line: str) -> str:
    for body in re.findall(r"^```sh\n(.*?)^```", DOC, re.S | re.M):
        if body.startswith(first_line):
            return str(body)
    raise AssertionError(f"docs/deploy.md has no sh block starting {first_line!r}")


def doc_variables() -> list[str]:
    return re.findall(r"^(HUB_[A-Z0-9_]+)=", doc_block("HUB_ENV=production"), re.M)


def doc_commands() -> list[list[str]]:
    """The document's commands, one argument list each (continuations joined)."""
    text = doc_block("pmihub migrate").replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in text.splitlines() if line.strip()]


def redis_or_skip() -> None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must answer in CI at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")


@dataclass
class Deployment:
    url: str
    env: dict[str, str]
    outputs: dict[str, str]  # a command's arguments -> what it printed

    def printed(self, start: str) -> tuple[str, str]:
        [(command, out)] = [(k, v) for k, v in self.outputs.items() if k.startswith(start)]
        return command, out

    server: subprocess.Popen[str]


def values_for(
    names: list[str],
    sandboxes: dict[str, LoopbackServer],
    directory: Path,
    port: int,
    database: str,
) -> dict[str, str]:
    """This machine's value of each variable the document's environment file names."""
    certs = generate_certificates(directory / "certs")
    known = {
        "HUB_ENV": "production",
        "HUB_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HUB_DATABASE_URL": database.replace("postgresql+psycopg://", "postgresql://"),
        "HUB_REDIS_URL": REDIS_URL,
        "HUB_PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "HUB_AUTH_KEY_SECRET": secrets.token_urlsafe(32),
        "HUB_AUDIT_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        "HUB_LOG_FORMAT": "json",
        "HUB_AGENCY_EMBASSY_CA_CERT": str(certs.ca_cert),
        "HUB_AGENCY_EMBASSY_CLIENT_CERT": str(certs.client_cert),
        "HUB_AGENCY_EMBASSY_CLIENT_KEY": str(certs.client_key),
    }
    for agency, server in sandboxes.items():
        known[f"HUB_AGENCY_{agency.upper()}_URL"] = server.url
        for key, value in sandbox_credentials(agency, {}).items():
            known[f"HUB_AGENCY_{agency.upper()}_{key.upper()}"] = value
    return {name: known[name] for name in names}


def clean_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "SANDBOX_"))}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    redis_or_skip()
    directory = tmp_path_factory.mktemp("deploy")
    scenario = load_scenario(FIXTURES / "small_scenario.json")
    with ExitStack() as stack:
        database = stack.enter_context(throwaway_postgres("deploy_readme"))
        sandboxes = {}
        for agency in AGENCIES:
            app, ssl = build_sandbox_app(
                agency, scenario, sandbox_credentials(agency, {}), directory / "certs"
            )
            sandboxes[agency] = stack.enter_context(LoopbackServer(app, ssl=ssl))
        port = free_port()
        env = values_for(doc_variables(), sandboxes, directory, port, database)
        run_env = {**clean_environ(), **env}
        outputs: dict[str, str] = {}
        server: subprocess.Popen[str] | None = None
        for command in doc_commands():
            args = [w.replace(DOC_HOST, f"http://127.0.0.1:{port}") for w in command[1:]]
            if args[0] == "serve":
                args = [str(port) if a == "8000" else "2" if a == "4" else a for a in args]
                server = subprocess.Popen(
                    [PMIHUB, *args], env=run_env, cwd=directory, text=True, start_new_session=True
                )
                stack.callback(stop, server)
                continue
            done = subprocess.run(
                [PMIHUB, *args],
                env=run_env,
                cwd=directory,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, (command, done.stderr[-2000:])
            outputs[" ".join(args)] = done.stdout
        assert server is not None
        url = env["HUB_PUBLIC_URL"]
        wait_ready(url, server)
        stack.callback(forget_redis_keys)
        yield Deployment(url, env, outputs, server)


def wait_ready(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert server.poll() is None, "pmihub serve stopped"
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("the hub did not become ready")


def stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def forget_redis_keys() -> None:
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter("pmihub:*"))
    if keys:
        client.delete(*keys)


def test_the_environment_is_only_what_the_document_lists(deployment: Deployment) -> None:
    assert sorted(deployment.env) == sorted(doc_variables())
    assert deployment.env["HUB_ENV"] == "production"
    assert deployment.env["HUB_DATABASE_URL"].startswith("postgresql://")


def test_two_processes_answer_the_probes(deployment: Deployment) -> None:
    # when
    children = Path(f"/proc/{deployment.server.pid}/task/{deployment.server.pid}/children")
    ready = httpx.get(f"{deployment.url}/readyz", timeout=30).json()
    # then
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children.read_text().split()]
    assert len([c for c in commands if b"resource_tracker" not in c]) == 2
    assert httpx.get(f"{deployment.url}/healthz", timeout=10).status_code == 200
    assert ready["status"] == "ok" and ready["database"] == "ok"
    assert "pmihub_http_requests_total" in httpx.get(f"{deployment.url}/metrics").text
    graphiql = httpx.get(f"{deployment.url}/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 405  # production: no GraphiQL
    behind_proxy = httpx.get(f"{deployment.url}/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind_proxy.headers  # the proxy ends TLS (section 3)


def test_an_officer_signs_in_at_the_console_and_reads_a_worker(
    deployment: Deployment,
    chromium: Path,  # noqa: F811 - the fixture imported above
) -> None:
    from playwright.sync_api import sync_playwright

    # given: the officer and the agency client the document's commands made
    command, printed = deployment.printed("users add")
    officer = command.split()[2]
    password = re.findall(r"password: (\S+)", printed)[0]
    secret = re.findall(r"client_secret: (\S+)", deployment.printed("clients add embassy")[1])[0]
    token = httpx.post(
        f"{deployment.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("embassy-system", secret),
    ).json()["access_token"]
    found = httpx.post(
        f"{deployment.url}/graphql",
        json={"query": "query($n: String!) { workerBy(nik: $n) { id } }", "variables": {"n": SITI}},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "EMERGENCY"},
    ).json()
    worker_id = found["data"]["workerBy"]["id"]
    # when
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="id-ID")
            page.set_default_timeout(30_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{deployment.url}/console/")
            page.click("#sign-in")
            page.wait_for_url("**/oauth/authorize?**")
            page.fill("#username", officer)
            page.fill("#password", password)
            page.click("button[value=approve]")
            page.wait_for_selector("#totp-secret")  # the first sign-in enrols TOTP
            page.fill("#code", fresh_code(page.inner_text("#totp-secret").replace(" ", "")))
            page.click("button[value=approve]")
            page.wait_for_selector("#who")
            who = page.inner_text("#who")
            page.goto(f"{deployment.url}/console/#/worker/{worker_id}")
            page.wait_for_selector("#section-sources")
            text = page.inner_text("main")
        finally:
            browser.close()
    # then
    assert who == officer
    assert SITI in text  # the full NIK: an officer holds worker.nik:read
    assert errors == []
