"""docs/deploy.md, followed: a production hub on PostgreSQL and Redis in two processes.

The environment is exactly the variables of the document's environment file (their values for
this machine: the sandboxes' addresses and credentials, a throwaway PostgreSQL database, a
Redis, new secrets); the commands are the document's, in its order, run by the installed
``pmihub`` (the ports and the process count are this test's). Then the probes answer, two
processes serve, and an officer the document's ``pmihub users add`` made signs in at the
console in Chromium (password, TOTP enrolment, code) and reads a worker, through the
document's own nginx configuration (TLS with a test certificate, Debian's nginx-light, installed
when missing like the console tests' chromium).
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
NGINX = "/usr/sbin/nginx"
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


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def nginx_or_skip() -> str:
    """Debian's nginx-light, apt-get installed when missing (root on the test machines)."""
    if not Path(NGINX).exists() and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx-light"]
        for command in (install, ["apt-get", "update", "-q"], install):
            subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
            if Path(NGINX).exists():
                break
    if not Path(NGINX).exists():
        unavailable("the deployment test needs Debian's nginx (apt-get install nginx-light)")
    return NGINX


def nginx_conf(directory: Path, tls_port: int, http_port: int, hub_port: int) -> Path:
    """The document's nginx configuration, with this machine's ports and certificate, in the
    smallest nginx.conf around it."""
    [site] = re.findall(r"^```nginx\n(.*?)^```", DOC, re.S | re.M)
    certs = generate_certificates(directory / "certs")
    site = (
        site.replace("listen 443 ", f"listen 127.0.0.1:{tls_port} ")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("127.0.0.1:8000", f"127.0.0.1:{hub_port}")
        .replace("/etc/letsencrypt/live/hub.example.go.id/fullchain.pem", str(certs.server_cert))
        .replace("/etc/letsencrypt/live/hub.example.go.id/privkey.pem", str(certs.server_key))
    )
    conf = directory / "nginx.conf"
    conf.write_text(
        f"pid {directory}/nginx.pid;\nerror_log {directory}/nginx-error.log;\n"
        "events {}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {directory}/body;\n"
        f"  proxy_temp_path {directory}/proxy;\n{site}\n}}\n"
    )
    return conf


def redis_or_skip() -> None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except RedisError as exc:
        unavailable(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__}: {exc})")


@dataclass
class Deployment:
    url: str  # the proxy's, over TLS
    hub: str  # the processes' own address, behind it
    ca: ssl.SSLContext  # trusts the test CA that signed the proxy's certificate
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
    public: str,
    database: str,
) -> dict[str, str]:
    """This machine's value of each variable the document's environment file names."""
    certs = generate_certificates(directory / "certs")
    known = {
        "HUB_ENV": "production",
        "HUB_PUBLIC_URL": public,
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
    nginx = nginx_or_skip()
    directory = tmp_path_factory.mktemp("deploy")
    scenario = load_scenario(FIXTURES / "small_scenario.json")
    with ExitStack() as stack:
        database = stack.enter_context(throwaway_postgres("deploy_readme"))
        sandboxes = {}
        for agency in AGENCIES:
            app, tls = build_sandbox_app(
                agency, scenario, sandbox_credentials(agency, {}), directory / "certs"
            )
            sandboxes[agency] = stack.enter_context(LoopbackServer(app, ssl=tls))
        port, tls_port = free_port(), free_port()
        public = f"https://127.0.0.1:{tls_port}"
        env = values_for(doc_variables(), sandboxes, directory, public, database)
        run_env = {**clean_environ(), **env}
        outputs: dict[str, str] = {}
        server: subprocess.Popen[str] | None = None
        for command in doc_commands():
            args = [w.replace(DOC_HOST, public) for w in command[1:]]
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
        hub = f"http://127.0.0.1:{port}"
        wait_ready(hub, server)
        conf = nginx_conf(directory, tls_port, free_port(), port)
        proxy = subprocess.Popen(
            [nginx, "-p", str(directory), "-c", str(conf), "-g", "daemon off;"],
            start_new_session=True,
        )
        stack.callback(stop, proxy)
        ca = ssl.create_default_context(cafile=str(directory / "certs" / "ca.pem"))
        wait_ready(public, proxy, verify=ca)
        stack.callback(forget_redis_keys)
        yield Deployment(public, hub, ca, env, outputs, server)


def wait_ready(
    url: str, server: subprocess.Popen[Any], verify: ssl.SSLContext | bool = True
) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert server.poll() is None, f"{server.args[0]} stopped"
        try:
            if httpx.get(f"{url}/readyz", timeout=5, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("the hub did not become ready")


def stop(server: subprocess.Popen[Any]) -> None:
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
    ready = httpx.get(f"{deployment.hub}/readyz", timeout=30).json()
    # then
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children.read_text().split()]
    assert len([c for c in commands if b"resource_tracker" not in c]) == 2
    assert httpx.get(f"{deployment.hub}/healthz", timeout=10).status_code == 200
    assert ready["status"] == "ok" and ready["database"] == "ok"
    assert "pmihub_http_requests_total" in httpx.get(f"{deployment.hub}/metrics").text
    graphiql = httpx.get(f"{deployment.hub}/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 405  # production: no GraphiQL


def test_the_proxy_ends_tls_sends_hsts_and_keeps_the_metrics_inside(deployment: Deployment) -> None:
    # when: through the document's nginx, from 127.0.0.1 (not in its metrics allow-list)
    with httpx.Client(base_url=deployment.url, verify=deployment.ca, timeout=30) as proxy:
        health, metrics = proxy.get("/healthz"), proxy.get("/metrics")
    plain = httpx.get(f"{deployment.hub}/healthz", timeout=10)
    # then
    assert health.status_code == 200
    assert health.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in plain.headers
    assert metrics.status_code == 403


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
        f"{deployment.hub}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("embassy-system", secret),
    ).json()["access_token"]
    found = httpx.post(
        f"{deployment.hub}/graphql",
        json={"query": "query($n: String!) { workerBy(nik: $n) { id } }", "variables": {"n": SITI}},
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "EMERGENCY"},
    ).json()
    worker_id = found["data"]["workerBy"]["id"]
    # when
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="id-ID", ignore_https_errors=True)  # a test CA
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
