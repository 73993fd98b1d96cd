"""A fifth agency needs one package and one line of configuration, and no change to hub/.

The immigration registry in tests/fixtures/imigrasi is configured through the environment
only; the hub runs as its own process (``pmihub sync`` then ``pmihub serve``), so nothing in
this test process can have prepared the hub for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from auth.demo import register_demo
from auth.settings import AuthSettings
from connectors.sandbox.serve import free_port
from hub.settings import DEFAULT_CONNECTORS
from hub.storage import make_engine
from tests.conftest import FIXTURES
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

QUERY = """query($nik: String!) { workerBy(nik: $nik) {
  identity { links { agency localId matchMethod } passports { number } }
  sources { agency state }
} }"""


def test_a_fifth_agency_plugs_in_by_configuration(stack: Stack, tmp_path: Path) -> None:
    # given the four sandboxes plus one more connector, configured by environment alone
    env = {
        **os.environ,
        **stack.environ,
        "HUB_CONNECTORS": DEFAULT_CONNECTORS + ",imigrasi=tests.fixtures.imigrasi",
        "HUB_AGENCY_IMIGRASI_URL": "memory://simkim",
        "HUB_AGENCY_IMIGRASI_SCENARIO": str(FIXTURES / "small_scenario.json"),
        "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'five.db'}",
        "PYTHONPATH": str(ROOT),
    }
    cli = [sys.executable, "-m", "hub.cli"]
    # docs/deploy.md's order: the database is made by `pmihub migrate`, never by a side effect
    made = subprocess.run([*cli, "migrate"], env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    sync = subprocess.run([*cli, "sync"], env=env, capture_output=True, text=True, timeout=120)
    assert sync.returncode == 0, sync.stderr
    assert "IMIGRASI" in sync.stdout
    engine = make_engine(env["HUB_DATABASE_URL"])
    register_demo(engine, AuthSettings.from_environ(env))
    engine.dispose()
    issued = subprocess.run(
        [*cli, "token", "--client", "embassy-system", "--purpose", "EMERGENCY"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    port = free_port()
    hub = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env)
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        # when
        response = httpx.post(
            url,
            json={"query": QUERY, "variables": {"nik": "3525146102930001"}},
            headers={"Authorization": f"Bearer {token}"},
        )
        # then the new agency's record is linked and reported like the others
        worker = response.json()["data"]["workerBy"]
        sources = {s["agency"]: s["state"] for s in worker["sources"]}
        assert sources["IMIGRASI"] == "OK" and len(sources) == 5
        links = {link["agency"]: link["matchMethod"] for link in worker["identity"]["links"]}
        assert links["IMIGRASI"] == "NIK"
        assert {p["number"] for p in worker["identity"]["passports"]} == {"X2233445", "E9988776"}
    finally:
        hub.terminate()
        hub.wait(timeout=10)
