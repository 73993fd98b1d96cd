"""``pmihub``: generate populations, run sandboxes, migrate, sync, serve and demo the hub."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from schema.scenario import ScenarioError

app = typer.Typer(
    name="pmihub",
    help="PMI Hub: one view of each Indonesian migrant worker's protection status.",
    no_args_is_help=True,
    add_completion=False,
)

SANDBOXES = ("kemnaker", "p2mi", "bpjs", "embassy")


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Where to write the scenario JSON.")],
    people: Annotated[int, typer.Option(min=1, help="How many people.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same bytes.")] = 2026,
    as_of: Annotated[
        str | None, typer.Option(help="Evaluation date YYYY-MM-DD (default: the hub clock).")
    ] = None,
) -> None:
    """Generate a realistic synthetic PMI population (a scenario file, SCENARIO.md)."""
    from schema.clock import today
    from schema.population import generate as run_generate

    try:
        day = date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise fail(f"--as-of must be YYYY-MM-DD, got {as_of!r}") from None
    stats = run_generate(out, people=people, seed=seed, as_of=day)
    typer.echo(f"wrote {out}: {stats}")


@app.command()
def sandbox(
    agency: Annotated[str, typer.Option(help="kemnaker, p2mi, bpjs or embassy.")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")],
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario file (default: generated 10,000 people).")
    ] = None,
    certs: Annotated[
        Path | None, typer.Option(help="Embassy only: directory for the mTLS certificates.")
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
) -> None:
    """Run one agency sandbox: that agency's API, in its own dialect, over a scenario."""
    run_sandbox = _sandbox_runner()
    if agency not in SANDBOXES:
        raise fail(f"--agency must be one of {', '.join(SANDBOXES)}")
    try:
        run_sandbox(agency, port=port, host=host, scenario=scenario, certs=certs)
    except ScenarioError as exc:
        raise fail(str(exc)) from None


@app.command()
def migrate() -> None:
    """Create or upgrade the hub database (HUB_DATABASE_URL) to the latest schema."""
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    url = database_url()
    upgrade(make_engine(url))
    typer.echo("database is up to date")


@app.command()
def sync(
    follow: Annotated[bool, typer.Option(help="Keep polling the feeds for new changes.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls with --follow.")] = 5.0,
) -> None:
    """Link the agencies' person records into the crosswalk from their changes feeds."""
    from hub.runtime import run_sync

    ok = asyncio.run(run_sync(follow=follow, interval=interval, echo=typer.echo))
    if not ok:
        raise typer.Exit(1)


@app.command()
def status(
    nik: Annotated[str | None, typer.Option(help="The worker's NIK.")] = None,
    worker_id: Annotated[str | None, typer.Option("--id", help="The hub's worker id.")] = None,
    lang: Annotated[str, typer.Option(help="ID (Bahasa Indonesia) or EN.")] = "ID",
    purpose: Annotated[
        str, typer.Option(help="Purpose of use: EMERGENCY, CASE_HANDLING, CLAIM_PROCESSING, ...")
    ] = "EMERGENCY",
) -> None:
    """Print one worker's protection verdict, for officers without the console."""
    from auth.purpose import OFFICER_PURPOSES
    from hub.audit import AuditUnavailable
    from hub.runtime import StatusError, worker_status

    if lang.upper() not in ("ID", "EN"):
        raise fail("--lang harus ID atau EN / --lang must be ID or EN")
    if purpose.upper() not in {p.value for p in OFFICER_PURPOSES}:  # an officer's, recorded
        named = ", ".join(p.value for p in OFFICER_PURPOSES)
        raise fail(f"Tujuan bukan tujuan petugas / Not an officer's purpose: {named}")
    try:
        text = asyncio.run(
            worker_status(nik=nik, worker_id=worker_id, lang=lang.upper(), purpose=purpose.upper())
        )
    except StatusError as exc:
        raise fail(str(exc)) from None
    except AuditUnavailable as exc:
        raise fail(f"{exc.message_id} / {exc.message_en}", code=1) from None
    if text is None:
        raise fail("Pekerja tidak ditemukan / Worker not found", code=1)
    typer.echo(text)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes (shared state: docs in hub/serving.py).")
    ] = 1,
) -> None:
    """Run the hub (GraphQL at /graphql) under uvicorn, in one process or several."""
    from auth.settings import AuthSettings, AuthSettingsError
    from hub.gc_tuning import gc_threshold
    from hub.serving import serve as run
    from hub.settings import Settings, SettingsError

    try:
        gc_threshold(os.environ)
        settings = Settings.from_environ()
        AuthSettings.from_environ(settings.environ)  # HUB_AUTH_*, HUB_OIDC_*: before any process
    except (SettingsError, AuthSettingsError) as exc:
        raise fail(f"configuration error: {exc}") from None
    run(settings, host, port, workers)


@app.command()
def demo(
    scenario: Annotated[Path | None, typer.Option(help="Serve this scenario instead.")] = None,
    people: Annotated[int, typer.Option(min=1, help="Generated population size.")] = 10_000,
    port: Annotated[int, typer.Option(help="Hub port.")] = 8000,
    kemnaker_port: Annotated[int, typer.Option(help="Kemnaker sandbox port.")] = 8101,
    p2mi_port: Annotated[int, typer.Option(help="P2MI sandbox port.")] = 8102,
    bpjs_port: Annotated[int, typer.Option(help="BPJS sandbox port.")] = 8103,
    embassy_port: Annotated[int, typer.Option(help="Embassy sandbox port.")] = 8104,
    directory: Annotated[Path, typer.Option("--dir", help="Where the demo keeps its files.")] = (
        Path(".demo")
    ),
) -> None:
    """Start the four sandboxes and the hub with a population, sync, and print how to use it."""
    from hub.demo import Demo, DemoError

    _sandbox_runner()  # the demo runs the sandboxes: a checkout only
    ports = {
        "kemnaker": kemnaker_port,
        "p2mi": p2mi_port,
        "bpjs": bpjs_port,
        "embassy": embassy_port,
    }
    try:
        Demo(directory, hub_port=port, ports=ports, people=people, scenario=scenario).run()
    except ScenarioError as exc:
        raise fail(str(exc)) from None
    except DemoError as exc:
        raise fail(str(exc), code=1) from None


def _sandbox_runner():  # type: ignore[no-untyped-def]
    """The sandboxes ship in a checkout only, never in the production package."""
    try:
        from connectors.sandbox.run import run_sandbox
    except ImportError:
        raise fail(
            "the agency sandboxes are not part of the production package: run them from a "
            "checkout (make demo)"
        ) from None
    return run_sandbox


def _mount_auth_commands() -> None:
    from auth.cli import auth_cli, use_database
    from hub.audit.cli import audit_cli
    from hub.cases.cli import webhooks_cli
    from hub.census.cli import census_command, cohort_command
    from hub.cli_environment import open_database
    from hub.crosswalk.cli import crosswalk_cli
    from hub.partners.cli import consents_cli, partners_cli
    from hub.statistics.cli import stats_cli

    use_database(open_database)
    app.add_typer(auth_cli)
    app.add_typer(audit_cli)
    app.add_typer(crosswalk_cli)
    app.add_typer(webhooks_cli)
    app.command("census")(census_command)
    app.command("cohort")(cohort_command)
    app.add_typer(stats_cli)
    app.add_typer(partners_cli)
    app.add_typer(consents_cli)


_mount_auth_commands()


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from hub.cli_environment import (
        CONFIG_ERRORS,
        command_path,
        fail_in_one_line,
        load_demo_environment,
        needs_database,
        require_database,
    )
    from hub.storage import database_url

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    argv = sys.argv[1:]
    try:
        if command_path(argv)[:1] != ("demo",):
            load_demo_environment(os.environ)  # the running demo's, when HUB_ENV is unset
        if needs_database(argv):
            require_database(database_url())
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except (*CONFIG_ERRORS, SQLAlchemyError) as exc:
        fail_in_one_line(exc)


if __name__ == "__main__":
    main()
