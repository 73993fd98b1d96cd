"""Start the Apollo peer: ``npm ci`` once per lock file, the five subgraphs, the gateway.

The npm packages are the pinned ones of bench/peer/package-lock.json, installed into
bench/peer/node_modules (git-ignored) by the bench itself. Without Node.js and npm the peer
cannot run: ``PeerUnavailable`` says why, and the bench skips the peer with that message.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.peer.records import SUBGRAPHS
from connectors.sandbox.serve import free_port

HERE = Path(__file__).parent
STAMP = ".pmihub-lock-sha256"  # in node_modules: the hash of the lock file installed


class PeerUnavailable(RuntimeError):
    """The peer cannot run here (no Node.js or npm, or the install failed)."""


@dataclass
class Peer:
    url: str  # the gateway's GraphQL endpoint
    pids: dict[str, int]  # "gateway" and each subgraph's process id


def install(folder: Path = HERE) -> None:
    """``npm ci`` in ``folder`` when its node_modules does not match its lock file."""
    if not shutil.which("node") or not shutil.which("npm"):
        raise PeerUnavailable("Node.js and npm are not installed")
    digest = hashlib.sha256((folder / "package-lock.json").read_bytes()).hexdigest()
    stamp = folder / "node_modules" / STAMP
    if stamp.is_file() and stamp.read_text() == digest:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(folder / "node_modules", ignore_errors=True)
        raise PeerUnavailable(f"npm ci failed: {done.stderr.strip()[-500:]}")
    stamp.write_text(digest)


def _ready(url: str, process: subprocess.Popen[bytes], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    query = {"query": "{ _service { sdl } }"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PeerUnavailable(f"the {what} subgraph exited (status {process.returncode})")
        try:
            if httpx.post(url, json=query, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise PeerUnavailable(f"the {what} subgraph did not answer within {timeout:.0f} s")


def _gateway_url(gateway: subprocess.Popen[bytes], timeout: float) -> str:
    """The URL of the gateway's "ready <url>" line; the rest of its output is drained."""
    lines: queue.Queue[str] = queue.Queue()

    def drain() -> None:
        assert gateway.stdout is not None
        for raw in gateway.stdout:
            lines.put(raw.decode(errors="replace"))
        lines.put("")  # it stopped

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line.startswith("ready "):
            return line.split()[1]
        if not line:
            raise PeerUnavailable(f"the Apollo gateway stopped (exit {gateway.wait()})")
    raise PeerUnavailable(f"the Apollo gateway did not start within {timeout:.0f} s")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def peer_stack(hub_env: Mapping[str, str], timeout: float = 120.0) -> Iterator[Peer]:
    """The peer over the hub's agencies and database (``hub_env``: the hub's settings)."""
    install()
    environ = {**os.environ, **hub_env}
    processes: list[subprocess.Popen[bytes]] = []
    pids: dict[str, int] = {}
    try:
        urls = {}
        for name in SUBGRAPHS:
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.peer.serve", name, str(port)],
                env=environ,
                start_new_session=True,
            )
            processes.append(process)
            pids[name] = process.pid
            urls[name] = f"http://127.0.0.1:{port}/graphql"
        for name, url in urls.items():
            _ready(url, processes[list(urls).index(name)], name, timeout)
        port = free_port()
        gateway = subprocess.Popen(
            ["node", "gateway.mjs", str(port), *(f"{n}={u}" for n, u in urls.items())],
            cwd=HERE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        processes.append(gateway)
        pids["gateway"] = gateway.pid
        yield Peer(url=_gateway_url(gateway, timeout), pids=pids)
    finally:
        _stop(processes)
