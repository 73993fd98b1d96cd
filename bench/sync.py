"""Sync throughput: the four sandboxes' changes feeds linked into an empty crosswalk.

Target (issue #7): 1,000,000 people in under 5 minutes. ``python -m bench.sync [--people N]``
generates a fixed-seed population, starts the four sandboxes as their own processes on
loopback (as ``pmihub demo`` does: real HTTP, BPJS encryption, SOAP over mutual TLS), runs
``pmihub sync``'s code against an empty database in this process, and prints people/s,
records/s, the projection to 1,000,000 people and its ratio to the 300 s target.
``--database postgres`` syncs into a throwaway PostgreSQL database instead of SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text

from connectors.sandbox.serve import free_port
from hub.crosswalk import Pseudonymizer
from hub.demo import Demo
from hub.runtime import hub_services
from hub.settings import Settings
from hub.storage import make_engine
from hub.sync import SyncReport, sync_all

TARGET_PEOPLE = 1_000_000
TARGET_SECONDS = 300.0
DEFAULT_PEOPLE = 100_000
SEED = 7
AS_OF = date(2026, 11, 24)
AGENCIES = ("kemnaker", "p2mi", "bpjs", "embassy")
PG_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class SyncRun:
    """One measured sync: what was synced, where, how long it took."""

    people: int
    scenario: Path
    database_url: str
    environ: dict[str, str]
    report: SyncReport
    seconds: float

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds

    @property
    def projected_seconds(self) -> float:
        """The time 1,000,000 people would take at this rate."""
        return TARGET_PEOPLE / self.people_per_second


def schema_fingerprint(root: Path | None = None) -> str:
    """A digest of the ``schema`` package's sources (the generator and the scenario format):
    worktrees and branches share the temp directory, and a population cached by another
    version of the generator may not load here (a new record field is an unknown key to an
    older scenario loader) or may lack what this version generates."""
    import schema

    root = root or Path(schema.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def scenario_file(people: int, seed: int = SEED, directory: Path | None = None) -> Path:
    """The fixed-seed population, generated once into the temp directory and reused by the
    runs of the same generator (its name carries ``schema_fingerprint()``)."""
    from schema.population import generate

    folder = directory or Path(tempfile.gettempdir())
    path = folder / f"pmihub-bench-{people}-{seed}-{AS_OF}-{schema_fingerprint()}.json"
    if not path.exists():
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")  # runs side by side
        generate(partial, people=people, seed=seed, as_of=AS_OF)
        partial.replace(path)
    return path


@contextmanager
def sandboxes(scenario: Path, directory: Path) -> Iterator[Demo]:
    """The four sandboxes, each its own process, serving ``scenario``; no hub process."""
    ports = {name: free_port() for name in AGENCIES}
    demo = Demo(directory, hub_port=free_port(), ports=ports, scenario=scenario)
    creds = demo.credentials()
    certs = demo.certificates()
    try:
        for name, port in ports.items():
            env = {
                f"SANDBOX_{name.upper()}_{k.upper()}": v for k, v in creds["agencies"][name].items()
            }
            args = ["sandbox", "--agency", name, "--port", str(port), "--scenario", str(scenario)]
            if name == "embassy":
                args += ["--certs", str(directory / "certs")]
            demo.spawn(args, env)
        for port in ports.values():
            demo.wait_for_port(port, timeout=1800)
        demo.hub_env = demo.hub_environ(creds, certs)
        yield demo
    finally:
        demo.stop()


@contextmanager
def database(kind: str, directory: Path) -> Iterator[str]:
    """An empty database URL: SQLite in ``directory`` or a throwaway PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'hub.db'}"
        return
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pmihub_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def _sync(environ: dict[str, str]) -> tuple[SyncReport, float]:
    settings = Settings.from_environ(environ)
    async with hub_services(settings) as (engine, connectors):
        started = time.perf_counter()
        report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
        return report, time.perf_counter() - started


def measure(people: int, demo: Demo, database_url: str) -> SyncRun:
    environ = {**os.environ, **demo.hub_env, "HUB_DATABASE_URL": database_url}
    report, seconds = asyncio.run(_sync(environ))
    if not report.ok:
        failed = {a.agency: a.error for a in report.agencies if a.error}
        raise RuntimeError(f"sync stopped: {failed}")
    return SyncRun(people, demo.scenario_path, database_url, environ, report, seconds)


def print_run(run: SyncRun, label: str) -> None:
    projected = run.projected_seconds
    print(
        f"sync ({label}): 1,000,000 people projected in {projected:.0f} s "
        f"(target {TARGET_SECONDS:.0f} s: ratio {projected / TARGET_SECONDS:.2f})"
    )
    print(
        f"   {run.people:,} people, {run.report.records:,} records in {run.seconds:.1f} s = "
        f"{run.people_per_second:,.0f} people/s, {run.report.records / run.seconds:,.0f} records/s"
    )
    for agency in run.report.agencies:
        print(
            f"   {agency.agency:22} {agency.records:9,} records {agency.pages:5} pages "
            f"{agency.seconds:7.1f} s"
        )


@contextmanager
def synced(people: int, kind: str = "sqlite", label: str | None = None) -> Iterator[SyncRun]:
    """Sandboxes over ``people`` fixed-seed people, synced into an empty database and printed;
    the run (sandboxes still up, database kept) is yielded for the linkage benchmark."""
    scenario = scenario_file(people)
    with tempfile.TemporaryDirectory(prefix="pmihub-bench-sync-") as tmp:
        directory = Path(tmp)
        with sandboxes(scenario, directory) as demo, database(kind, directory) as url:
            run = measure(people, demo, url)
            print_run(run, label or kind)
            yield run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="population size")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    with synced(args.people, args.database):
        pass


if __name__ == "__main__":
    main()
