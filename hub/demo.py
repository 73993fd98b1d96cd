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

from hub.cli_environment import env_file_lines
from hub.demo_secrets import (
    complete,
    hub_secret_environ,
    new_hub_secrets,
    private_directory,
    write_private,
)
from hub.demo_text import banner
from schema.scenario import load_scenario

HOST = "127.0.0.1"


STATISTICS_WAIT = 600.0  # seconds the first release waits for the census at most


def census_settled(database_url: str) -> bool:
    """Whether the hub's census has taken every worker marked for it (its first round takes
    everyone the sync marked)."""
    from sqlalchemy import func, select

    from hub.census.run import PENDING
    from hub.storage import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return not connection.execute(select(func.count()).select_from(PENDING)).scalar()
    finally:
        engine.dispose()


class DemoError(RuntimeError):
    """The demo cannot start; the message says why, in Indonesian and English."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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
    jobs: list[subprocess.Popen[bytes]] = field(default_factory=list)  # one-shot, may end
    hub_env: dict[str, str] = field(default_factory=dict)
    auth: dict[str, Any] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. the bench lifts rate limits
    to_try: dict[str, str] = field(default_factory=dict)  # DEMO_NIK, DEMO_NAME...
    # when the first statistics release is to start (time.monotonic()), at the latest; it
    # starts earlier, as soon as the hub's census has taken every worker (census_settled)
    statistics_due: float | None = None

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
        creds: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        if complete(creds.get("hub", {})):
            return creds
        if creds:  # an older demo's: its hub.db was sealed under the published dev secret
            for suffix in ("", "-wal", "-shm"):
                (self.directory / f"hub.db{suffix}").unlink(missing_ok=True)
            creds.pop("auth", None)
        creds.setdefault(
            "agencies",
            {
                "kemnaker": {"client_id": "pmihub", "client_secret": _secret()},
                "p2mi": {"api_key": _secret()},
                "bpjs": {"cons_id": "12345", "secret": _secret(), "user_key": _secret()},
                "embassy": {},
            },
        )
        creds["hub"] = new_hub_secrets()
        write_private(path, json.dumps(creds, indent=2))
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
            "HUB_PUBLIC_URL": f"http://{HOST}:{self.hub_port}",
            "HUB_DATABASE_URL": f"sqlite:///{(self.directory / 'hub.db').resolve()}",
            **hub_secret_environ(creds["hub"]),
        }
        env.setdefault("HUB_LOG_LEVEL", os.environ.get("HUB_LOG_LEVEL", "WARNING"))
        # the census (verdicts, alerts, cohorts) runs in the hub; the first round takes everyone
        env.setdefault("HUB_CENSUS_SECONDS", os.environ.get("HUB_CENSUS_SECONDS", "60"))
        env.update(self.extra_env)
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
                    raise DemoError(
                        f"Sebuah proses demo berhenti / A demo process exited early "
                        f"(status {process.returncode})"
                    )
            with socket.socket() as sock:
                sock.settimeout(0.2)
                if sock.connect_ex((HOST, port)) == 0:
                    return
            time.sleep(0.1)
        raise DemoError(f"Port {port} tidak menjawab / Nothing answered on port {port}")

    def stop(self) -> None:
        # A second Ctrl-C or SIGTERM while stopping must not leave children behind.
        previous = {
            sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for process in [*self.jobs, *self.processes]:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in [*self.jobs, *self.processes]:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # -- the run -------------------------------------------------------------------------

    def check_ports_free(self) -> None:
        for port in [*self.ports.values(), self.hub_port]:
            with socket.socket() as sock:
                if sock.connect_ex((HOST, port)) == 0:
                    raise DemoError(
                        f"Port {port} sudah dipakai (demo lain masih berjalan?) / "
                        f"Port {port} is already in use (another demo still running?)"
                    )

    def start(self, *, quiet: bool = False) -> str | None:
        """Start the sandboxes, sync, start the hub; return a worker known everywhere."""
        self.check_ports_free()
        private_directory(self.directory)  # before anything is written: 0700, umask 077
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
        creds["auth"] = self.register_clients(worker_id, creds.get("auth"))
        write_private(self.directory / "credentials.json", json.dumps(creds, indent=2))
        self.auth = creds["auth"]
        self.to_try = self.person_to_try(worker_id)
        write_private(self.directory / "env", env_file_lines({**self.hub_env, **self.to_try}))
        self.spawn(["serve", "--port", str(self.hub_port)], self.hub_env)
        self.wait_for_port(self.hub_port)
        return worker_id

    def run(self) -> None:
        # SIGTERM (a supervisor, `kill`) stops the demo as cleanly as Ctrl-C does.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            worker_id = self.start()
            text = banner(self.endpoints(), self.directory, worker_id, self.auth, self.to_try)
            print(text, flush=True)
            print("ready", flush=True)
            self.statistics_release()
            while all(p.poll() is None for p in self.processes):
                self.start_statistics()
                time.sleep(1.0)
            raise DemoError("Sebuah proses demo berhenti / A demo process stopped unexpectedly")
        except KeyboardInterrupt:
            print("\nstopping ...", flush=True)
        finally:
            self.stop()

    def statistics_release(self) -> None:
        """A coverage statistics release of the population, computed in the background on
        the first start (docs/statistics.md); a later start keeps the one there is."""
        from hub.settings import Settings
        from hub.statistics.releases import Releases
        from hub.storage import make_engine

        engine = make_engine(Settings.from_environ({**os.environ, **self.hub_env}).database_url)
        try:
            latest = Releases(engine).latest()
        finally:
            engine.dispose()
        if latest is not None:
            print(f"statistics: release {latest.id} (pmihub stats run makes a new one)")
            return
        print(
            "statistics: computing a release in the background once the census has every "
            "worker (pmihub stats list)"
        )
        self.statistics_due = time.monotonic() + STATISTICS_WAIT

    def start_statistics(self) -> None:
        """Start the first release once the hub's census has taken every worker the sync
        marked, so the release reads the census, not the four agencies again (or at
        ``statistics_due`` if the census never settles: an agency down)."""
        due = self.statistics_due
        if due is None:
            return
        if time.monotonic() < due and not census_settled(self.hub_env["HUB_DATABASE_URL"]):
            return
        self.statistics_due = None
        self.jobs.append(
            subprocess.Popen(
                [sys.executable, "-m", "hub.cli", "stats", "run"],
                env={**os.environ, **self.hub_env},
                start_new_session=True,
            )
        )

    def register_clients(self, worker_id: str | None, previous: Any) -> dict[str, Any]:
        """One OAuth client per agency, the console frontend, an embassy officer, a worker
        (signing in as ``worker_id``), and the partner organisation SBMI with its client and
        a case worker; the same secrets as last time when there was one."""
        from auth.demo import register_demo
        from auth.settings import AuthSettings
        from hub.partners.demo import register_partner_demo
        from hub.settings import Settings
        from hub.storage import make_engine

        env = {**os.environ, **self.hub_env}
        engine = make_engine(Settings.from_environ(env).database_url)
        settings = AuthSettings.from_environ(env)
        try:
            auth = register_demo(engine, settings, worker_id=worker_id, previous=previous)
            client, case_worker = register_partner_demo(engine, settings, previous)
            auth["clients"][client["client_id"]] = client
            auth["users"]["case-worker"] = case_worker
            return auth
        finally:
            engine.dispose()

    def person_to_try(self, worker_id: str | None) -> dict[str, str]:
        from hub.demo_text import person_to_try
        from hub.settings import Settings
        from hub.storage import make_engine

        engine = make_engine(Settings.from_environ({**os.environ, **self.hub_env}).database_url)
        try:
            return person_to_try(engine, self.scenario_path, worker_id)
        finally:
            engine.dispose()

    def access_token(self, client: str = "embassy-system") -> str:
        """A token for a demo client, by client credentials at the hub's token endpoint."""
        import httpx

        secret = self.auth["clients"][client]["client_secret"]
        response = httpx.post(
            f"{self.endpoints()['hub']}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client, secret),
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    @property
    def hub_pid(self) -> int:
        return self.processes[-1].pid

    async def sync(self, env: dict[str, str], *, quiet: bool = False) -> str | None:
        from hub.crosswalk import Pseudonymizer
        from hub.demo_text import showcase_worker
        from hub.runtime import hub_services
        from hub.settings import Settings
        from hub.sync import sync_all

        settings = Settings.from_environ({**os.environ, **env})
        async with hub_services(settings) as (engine, connectors):
            started = time.perf_counter()
            report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
            if not quiet:
                print(
                    f"synced {report.records:,} agency records in "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            return showcase_worker(engine, list(connectors), self.scenario_path)
