"""``pmihub demo``: one command starts everything, prints ``ready``, and stops cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from connectors.sandbox.serve import free_port

pytestmark = pytest.mark.e2e


def test_demo_starts_answers_with_its_printed_credentials_and_stops(tmp_path: Path) -> None:
    ports = {name: free_port() for name in ("hub", "kemnaker", "p2mi", "bpjs", "embassy")}
    args = [
        sys.executable,
        "-m",
        "hub.cli",
        "demo",
        "--people",
        "300",
        "--dir",
        str(tmp_path),
        "--port",
        str(ports["hub"]),
        *(f"--{n}-port={p}" for n, p in ports.items() if n != "hub"),
    ]
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    lines: list[str] = []
    output = read_on(process)  # always drained: a full pipe would block the demo and its hub
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = next_line(output, max(0.1, deadline - time.monotonic()))
            if line is None:
                break
            lines.append(line)
            if line.strip() == "ready":
                break
        assert "ready" in lines, "\n".join(lines)
        # what the demo leaves for scripts
        endpoints = json.loads((tmp_path / "endpoints.json").read_text())
        assert endpoints["hub"] == f"http://127.0.0.1:{ports['hub']}"
        credentials = json.loads((tmp_path / "credentials.json").read_text())
        assert oct((tmp_path / "credentials.json").stat().st_mode)[-3:] == "600"
        # secrets and personal data: private from the moment they exist (hub/demo_secrets.py)
        assert oct(tmp_path.stat().st_mode)[-3:] == "700"
        for name in ("hub.db", "scenario-300-2026.json", "certs/client.key"):
            assert oct((tmp_path / name).stat().st_mode)[-3:] == "600", name
        assert set(credentials["hub"]) == {"pseudonym_key", "key_secret", "audit_signing_key"}
        secret = credentials["auth"]["clients"]["embassy-system"]["client_secret"]
        assert secret in "\n".join(lines)
        # the printed example works
        worker_id = next(line for line in lines if line.startswith('{"id": "wk_'))
        token = httpx.post(
            f"{endpoints['hub']}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("embassy-system", secret),
        ).json()["access_token"]
        body = httpx.post(
            f"{endpoints['hub']}/graphql",
            json={
                "query": "query($id: ID!) { worker(id: $id) { sources { agency state } } }",
                "variables": json.loads(worker_id),
            },
            headers={"Authorization": f"Bearer {token}", "X-Purpose": "EMERGENCY"},
        ).json()
        states = {s["agency"]: s["state"] for s in body["data"]["worker"]["sources"]}
        assert set(states.values()) == {"OK"} and len(states) == 4
        # the demo computes a statistics release of its population in the background
        assert any(
            line.startswith("statistics: computing a release")
            for line in [*lines, next_line(output, 60) or ""]
        )
        releases: list[dict[str, object]] = []
        deadline = time.monotonic() + 120
        while not releases and time.monotonic() < deadline:
            releases = httpx.get(f"{endpoints['hub']}/statistics/releases").json()["releases"]
            if not releases:
                time.sleep(0.5)  # the run takes seconds for 300 people
        assert releases and releases[0]["status"] == "PUBLISHED", releases
        made = ""  # after the hub's first census round: from the census, not the agencies
        while not made.startswith("release "):
            made = next_line(output, 120) or "release (the demo's output ended)"
        assert "from the census" in made and "census --full" not in made, made
        tables = httpx.post(
            f"{endpoints['hub']}/graphql",
            json={"query": "{ statisticsTables }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["data"]["statisticsTables"]
        assert "enrolment_by_country" in tables
        # the partner organisation: its client holds partner alone and reads nobody unconsented
        partner = credentials["auth"]["clients"]["partner-sbmi"]
        assert partner["scopes"] == ["partner"] and partner["client_secret"] in "\n".join(lines)
        assert credentials["auth"]["users"]["case-worker"]["username"] == "pendamping.sbmi"
        token = httpx.post(
            f"{endpoints['hub']}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("partner-sbmi", partner["client_secret"]),
        ).json()["access_token"]
        body = httpx.post(
            f"{endpoints['hub']}/graphql",
            json={
                "query": "query($id: ID!) { worker(id: $id) { id } }",
                **{"variables": json.loads(worker_id)},
            },
            headers={"Authorization": f"Bearer {token}", "X-Purpose": "CASE_ASSISTANCE"},
        ).json()
        assert body == {"data": {"worker": None}}  # no consent yet
    finally:
        stop(process, tmp_path)
    for port in ports.values():  # every child stopped with it
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)


def kill_everything_under(folder: Path) -> None:
    """Kill the demo and its children (each in a session of its own): every process whose
    command line names the demo's folder."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(folder) in command:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


def read_on(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's output a line at a time (None at its end), read by a thread of its own
    from start to end, so the demo never blocks on a full pipe while the test is busy."""
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    return lines


def next_line(lines: queue.Queue[str | None], seconds: float) -> str | None:
    """The next line, or None at the end of the output or after ``seconds`` without one."""
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        return None


def ctrl_c_as_in_a_terminal() -> None:
    """SIGINT as a terminal gives it (an ignored SIGINT is inherited across exec, and a test
    runner's process may carry one), so the interrupt below is the user's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process: subprocess.Popen[str], folder: Path) -> None:
    """Ctrl-C, as a user stops it; if the demo has not stopped a minute later (seen only in
    full suite runs, cause not found yet: see the closing note of 2026-12-04), SIGTERM, which
    the demo handles the same way; if that fails too, every process under its folder is
    killed and the test fails."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
        return
    except subprocess.TimeoutExpired:
        print(f"demo: no stop 60 s after SIGINT; wchan {wchan(process.pid)}; sending SIGTERM")
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_everything_under(folder)  # a failed stop leaves no sandbox behind
        raise


def wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return "?"
