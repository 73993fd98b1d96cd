"""The hub as a subgraph of a real Apollo gateway (Node): composition from `_service`, and a
second subgraph's references to `Worker` filled through the hub's `_entities`.

The gateway's packages come from the npm registry (pinned in tests/e2e/apollo/package-lock.json)
and are installed once per lock file under .venv/. Without Node and npm the test skips locally
and fails under CI=true.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from connectors.sandbox.serve import free_port
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

APOLLO = Path(__file__).parent / "apollo"
NIKS = ["3506124508900003", "3201011507880007"]
GATEWAY = "federation-gateway"  # its token holds federation:gateway (_service, _entities)
PURPOSE = "CLAIM_PROCESSING"
FLAGS = "{ flags { reason worker { id identity { fullName } socialSecurity { kpj } } } }"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Apollo gateway test must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def gateway_modules() -> Path:
    """A folder holding gateway.mjs and its installed node_modules, reused while the lock
    file stays the same."""
    if not shutil.which("node") or not shutil.which("npm"):
        _unavailable("Node.js and npm are not installed")
    lock = (APOLLO / "package-lock.json").read_bytes()
    folder = Path(__file__).parents[2] / ".venv" / f"apollo-{hashlib.sha256(lock).hexdigest()[:12]}"
    if not (folder / "node_modules").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(APOLLO / name, folder / name)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            shutil.rmtree(folder / "node_modules", ignore_errors=True)
            _unavailable(f"npm ci failed: {done.stderr.strip()[-500:]}")
    shutil.copy(APOLLO / "gateway.mjs", folder / "gateway.mjs")
    return folder


@pytest.fixture(scope="module")
def gateway(stack: Stack, gateway_modules: Path) -> Iterator[tuple[str, list[str]]]:
    """The gateway's URL and the hub workers its second subgraph flags."""
    found = stack.graphql(
        "query($n: [String!]!) { workersByNik(niks: $n) { id } }", {"n": NIKS}
    ).json()["data"]["workersByNik"]
    flagged = [w["id"] for w in found]
    port, monitor = free_port(), free_port()
    environ = {
        **os.environ,
        "HUB_TOKEN": stack.token(GATEWAY),
        "HUB_PURPOSE": PURPOSE,
        "FLAGGED_WORKERS": ",".join(flagged),
    }
    process = subprocess.Popen(
        ["node", "gateway.mjs", f"{stack.hub_url}/graphql", str(port), str(monitor)],
        cwd=gateway_modules,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("ready"):
                break
            if not line and process.poll() is not None:
                pytest.fail(f"the gateway stopped (exit {process.returncode})")
        else:
            pytest.fail("the gateway did not start within 60 s")
        yield f"http://127.0.0.1:{port}/", flagged
    finally:
        process.terminate()
        process.wait(timeout=10)


def ask(url: str, query: str, token: str | None, purpose: str = PURPOSE) -> dict:
    headers = {"x-purpose": purpose, **({"authorization": f"Bearer {token}"} if token else {})}
    response = httpx.post(url, json={"query": query}, headers=headers, timeout=30)
    return response.json()


def test_a_gateway_fills_another_subgraphs_workers_from_the_hub(
    stack: Stack, gateway: tuple[str, list[str]]
) -> None:
    url, flagged = gateway
    body = ask(url, FLAGS, stack.token(GATEWAY))
    assert "errors" not in body, body.get("errors")
    flags = body["data"]["flags"]
    assert [f["worker"]["id"] for f in flags] == flagged
    direct = stack.graphql(
        "query($ids: [ID!]!) { workers(ids: $ids) { identity { fullName } "
        "socialSecurity { kpj } } }",
        {"ids": flagged},
    ).json()["data"]["workers"]
    assert [{k: v for k, v in f["worker"].items() if k != "id"} for f in flags] == direct
    assert flags[0]["worker"]["identity"]["fullName"]  # real data came through


def test_the_callers_token_travels_through_the_gateway(
    stack: Stack, gateway: tuple[str, list[str]]
) -> None:
    url, flagged = gateway
    anonymous = ask(url, FLAGS, None)
    assert anonymous.get("data") is None or all(
        f["worker"].get("identity") is None for f in anonymous["data"]["flags"]
    )
    assert anonymous["errors"]  # the hub refused; nothing was read without a token
    one = f'{{ worker(id: "{flagged[0]}") {{ identity {{ fullName }} }} }}'
    root = ask(url, one, stack.token(GATEWAY))
    assert root["data"]["worker"]["identity"]["fullName"]
