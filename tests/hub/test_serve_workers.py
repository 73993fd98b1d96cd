"""``pmihub serve --workers 2``: two processes behind one port, one database, one audit chain.

The real command against a real stack's sandboxes and database (SQLite, and PostgreSQL where
it answers): concurrent reads are all answered, both processes take requests, and the audit
chain the two processes appended to verifies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from connectors.sandbox.serve import free_port
from hub.audit import AuditSigner, AuditTrail
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.databases import throwaway_postgres
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.e2e
PMIHUB = Path(sys.executable).with_name("pmihub")
NIKS = ["3506124508900003", "3201011507880007", "3525146102930001", "3174055011000004"]
BY_NIK = "query($n: String!) { workerBy(nik: $n) { id identity { nik } } }"


@pytest.fixture(params=["sqlite", "postgres"])
def served(
    request: pytest.FixtureRequest,
    small_scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Stack, str, subprocess.Popen[bytes]]]:
    with ExitStack() as resources:
        url = None
        if request.param == "postgres":
            url = resources.enter_context(throwaway_postgres("pmihub_serve"))
        folder = tmp_path_factory.mktemp(f"serve-{request.param}")
        stack = resources.enter_context(running_stack(small_scenario, folder, database_url=url))
        port = free_port()
        process = subprocess.Popen(
            [str(PMIHUB), "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, **stack.environ, "HUB_LOG_LEVEL": "WARNING"},
            start_new_session=True,
        )
        try:
            hub = f"http://127.0.0.1:{port}"
            wait_ready(hub, process)
            yield stack, hub, process
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):  # a readiness poll, not a timing assertion
        assert process.poll() is None, "pmihub serve exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("pmihub serve --workers 2 never became ready")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()]


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_two_processes_share_the_port_the_database_and_the_audit_chain(
    served: tuple[Stack, str, subprocess.Popen[bytes]],
) -> None:
    stack, hub, process = served
    workers = [p for p in children(process.pid) if "resource_tracker" not in cmdline(p)]
    assert len(workers) >= 2, {p: cmdline(p) for p in children(process.pid)}
    before = {pid: cpu_ticks(pid) for pid in workers}
    token = stack.token()
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "EMERGENCY"}

    # when 200 reads arrive on separate connections, 16 at a time
    def ask(i: int) -> httpx.Response:
        body = {"query": BY_NIK, "variables": {"n": NIKS[i % len(NIKS)]}}
        return httpx.post(f"{hub}/graphql", json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(200)))

    # then every one is answered, both processes served, and the shared audit chain verifies
    assert [a.status_code for a in answers] == [200] * 200
    assert all(a.json()["data"]["workerBy"]["identity"]["nik"] in NIKS for a in answers)
    alive = children(process.pid)  # uvicorn replaces a worker that misses its health ping
    busy = [pid for pid in workers if pid in alive and cpu_ticks(pid) > before[pid]]
    assert len(busy) >= 2, "one process took every request"
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        report = AuditTrail(engine, AuditSigner.from_environ(stack.environ)).verify()
        assert report.ok, report
    finally:
        engine.dispose()
