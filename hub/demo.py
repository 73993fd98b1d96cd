"""``pmihub demo``: four sandboxes and the hub on loopback, a population, synced, explained.

Everything it makes lives in the demo directory (``.demo/`` by default, git-ignored): the
scenario, ``hub.db``, the embassy's certificates, ``endpoints.json`` and ``credentials.json``.
A second run reuses them and starts in seconds. Ctrl-C stops every process.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.demo_text import banner
from schema.scenario import load_scenario

HOST = "127.0.0.1"


def _secret() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Demo:
    directory: Path
    hub_port: int
    ports: dict[str, int]
    people: int = 10_000
    scenario: Path | None = None
    seed: int = 2026
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    hub_env: dict[str, str] = field(default_factory=dict)

    # -- files -------------------------------------------------------------------------

    @property
    def scenario_path(self) -> Path:
        return self.scenario or self.directory / f"scenario-{self.people}-{self.seed}.json"

    def prepare_scenario(self) -> None:
        if self.scenario is not None:
            load_scenario(self.scenario)  # fail early, naming every error by JSON path
            return
        if not self.scenario_path.exists():
            from schema.clock import today
            from schema.population import generate

            print(f"generating {self.people:,} people ...", flush=True)
            partial = self.scenario_path.with_suffix(".partial")
            generate(partial, people=self.people, seed=self.seed, as_of=today())
            partial.replace(self.scenario_path)

    def reset_if_scenario_changed(self) -> None:
        """hub.db and its sync cursors belong to one scenario: start afresh on another."""
        state = self.directory / "state.json"
        source = self.scenario_path.resolve()
        stat = source.stat()
        current = {"scenario": str(source), "size": stat.st_size, "mtime": stat.st_mtime}
        if state.exists() and json.loads(state.read_text()) == current:
            return
        for suffix in ("", "-wal", "-shm"):
            (self.directory / f"hub.db{suffix}").unlink(missing_ok=True)
        state.write_text(json.dumps(current))

    def credentials(self) -> dict[str, Any]:
        path = self.directory / "credentials.json"
        if path.exists():
            return json.loads(path.read_text())
        creds: dict[str, Any] = {
            "agencies": {
                "kemnaker": {"client_id": "pmihub", "client_secret": _secret()},
                "p2mi": {"api_key": _secret()},
                "bpjs": {"cons_id": "12345", "secret": _secret(), "user_key": _secret()},
                "embassy": {},
            },
            "hub": {"pseudonym_key": _secret()},
        }
        path.write_text(json.dumps(creds, indent=2))
        path.chmod(0o600)
        return creds

    def certificates(self) -> dict[str, str]:
        from connectors.kit.auth.mtls import generate_certificates

        paths = generate_certificates(self.directory / "certs")
        return {
            "ca_cert": str(paths.ca_cert),
            "client_cert": str(paths.client_cert),
            "client_key": str(paths.client_key),
        }

    def endpoints(self) -> dict[str, str]:
        urls = {
            name: f"{'https' if name == 'embassy' else 'http'}://{HOST}:{port}"
            for name, port in self.ports.items()
        }
        urls["hub"] = f"http://{HOST}:{self.hub_port}"
        return urls

    def hub_environ(self, creds: dict[str, Any], certs: dict[str, str]) -> dict[str, str]:
        env = {
            "HUB_ENV": "dev",
            "HUB_DATABASE_URL": f"sqlite:///{(self.directory / 'hub.db').resolve()}",
            "HUB_PSEUDONYM_KEY": creds["hub"]["pseudonym_key"],
        }
        urls = self.endpoints()
        for name in self.ports:
            prefix = f"HUB_AGENCY_{name.upper()}_"
            env[prefix + "URL"] = urls[name]
            values = dict(creds["agencies"][name])
            if name == "embassy":
                values.update(certs)
            for key, value in values.items():
                env[prefix + key.upper()] = value
        return env

    # -- processes -----------------------------------------------------------------------

    def spawn(self, args: list[str], env: dict[str, str]) -> None:
        full_env = {**os.environ, **env}
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "hub.cli", *args], env=full_env, start_new_session=True
        )
        self.processes.append(process)

    def wait_for_port(self, port: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a demo process exited early (status {process.returncode})")
            with socket.socket() as sock:
                sock.settimeout(0.2)
                if sock.connect_ex((HOST, port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    # -- the run -------------------------------------------------------------------------

    def start(self, *, quiet: bool = False) -> str | None:
        """Start the sandboxes, sync, start the hub; return a worker known everywhere."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prepare_scenario()
        self.reset_if_scenario_changed()
        creds = self.credentials()
        certs = self.certificates()
        (self.directory / "endpoints.json").write_text(json.dumps(self.endpoints(), indent=2))
        for name, port in self.ports.items():
            env = {
                f"SANDBOX_{name.upper()}_{k.upper()}": v for k, v in creds["agencies"][name].items()
            }
            args = [
                "sandbox",
                "--agency",
                name,
                "--port",
                str(port),
                "--scenario",
                str(self.scenario_path),
            ]
            if name == "embassy":
                args += ["--certs", str(self.directory / "certs")]
            self.spawn(args, env)
        for port in self.ports.values():
            self.wait_for_port(port)
        self.hub_env = self.hub_environ(creds, certs)
        worker_id = asyncio.run(self.sync(self.hub_env, quiet=quiet))
        self.spawn(["serve", "--port", str(self.hub_port)], self.hub_env)
        self.wait_for_port(self.hub_port)
        return worker_id

    def run(self) -> None:
        try:
            worker_id = self.start()
            print(banner(self.endpoints(), self.directory, worker_id), flush=True)
            print("ready", flush=True)
            while all(p.poll() is None for p in self.processes):
                time.sleep(0.5)
            raise RuntimeError("a demo process stopped unexpectedly")
        except KeyboardInterrupt:
            print("\nstopping ...", flush=True)
        finally:
            self.stop()

    @property
    def hub_pid(self) -> int:
        return self.processes[-1].pid

    async def sync(self, env: dict[str, str], *, quiet: bool = False) -> str | None:
        from hub.crosswalk import Pseudonymizer
        from hub.demo_text import showcase_worker
        from hub.registry import build_connectors
        from hub.settings import Settings
        from hub.storage import make_engine
        from hub.storage.migrate import upgrade
        from hub.sync import sync_all

        settings = Settings.from_environ({**os.environ, **env})
        engine = make_engine(settings.database_url)
        upgrade(engine)
        connectors = build_connectors(settings.agencies)
        try:
            started = time.perf_counter()
            report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
            if not quiet:
                print(
                    f"synced {report.records:,} agency records in "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            return showcase_worker(engine, list(connectors))
        finally:
            for connector in connectors.values():
                await connector.aclose()
            engine.dispose()
