"""``pmihub stats``: run a release, list releases, withdraw one, export a table as CSV."""

from __future__ import annotations

import asyncio
import csv
import getpass
import sys
from datetime import date
from typing import Annotated

import typer

stats_cli = typer.Typer(
    name="stats",
    help="Coverage statistics: run a release (counts only), list, withdraw, export CSV.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(text: str, code: int = 2) -> typer.Exit:
    typer.echo(text, err=True)
    return typer.Exit(code)


def _releases():  # type: ignore[no-untyped-def]
    from hub.statistics.releases import Releases
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    engine = make_engine(database_url())
    upgrade(engine)
    return Releases(engine)


@stats_cli.command()
def run(
    as_of: Annotated[
        str | None, typer.Option(help="Reference date YYYY-MM-DD (default: the hub clock).")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=5000, help="Workers per page.")] = 500,
    source: Annotated[
        str,
        typer.Option(
            help="census (refused unless current for the date), agencies (read them all "
            "again), or auto: the census when current, else the agencies."
        ),
    ] = "auto",
) -> None:
    """Count every linked worker at the reference date and store a release of counts."""
    from hub.audit import AuditUnavailable
    from hub.runtime import hub_services
    from hub.service import Hub
    from hub.settings import Settings, SettingsError
    from hub.statistics.run import SOURCES, CensusNotCurrent, StatisticsRun
    from schema.clock import today

    if source not in SOURCES:
        raise _fail(f"--source: {', '.join(SOURCES)}")
    try:
        day = date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise _fail(
            f"--as-of harus YYYY-MM-DD / --as-of must be YYYY-MM-DD, got {as_of!r}"
        ) from None

    async def go() -> str:
        settings = Settings.from_environ()
        async with hub_services(settings) as (engine, connectors):
            hub = Hub(settings=settings, engine=engine, connectors=connectors)
            try:
                report = await StatisticsRun(hub, batch=batch, operator=getpass.getuser()).run(
                    day, source
                )
            finally:
                await hub.cases.aclose()
            return report.line()

    try:
        typer.echo(asyncio.run(go()))
    except SettingsError as exc:
        raise _fail(f"configuration error: {exc}") from None
    except (AuditUnavailable, CensusNotCurrent) as exc:
        raise _fail(f"{exc.message_id} / {exc.message_en}", code=1) from None


@stats_cli.command(name="list")
def list_releases() -> None:
    """Every release: id, reference date, status, rules version, tables."""
    releases = _releases()
    for release in releases.all():
        names = releases.table_names(release.id)
        typer.echo(
            f"{release.id}  {release.reference_date}  {release.status:9}  "
            f"{release.rules_version}  {len(names)} tables  {release.meta.get('workers')} workers"
        )


@stats_cli.command()
def withdraw(
    release: Annotated[str, typer.Argument(help="The release id.")],
    reason: Annotated[str, typer.Option(help="Why (published with the withdrawal).")],
) -> None:
    """Withdraw a release: it stays stored, unchanged, and is no longer served."""
    from hub.statistics.releases import ReleaseError
    from schema.clock import now

    try:
        done = _releases().withdraw(release, reason, now())
    except ReleaseError as exc:
        raise _fail(str(exc), code=1) from None
    typer.echo(f"{done.id} {done.status}: {done.withdrawn_reason}")


@stats_cli.command(name="csv")
def export_csv(
    table: Annotated[str, typer.Argument(help="Table name (pmihub stats list shows releases).")],
    release: Annotated[str | None, typer.Option(help="Release id (default: the latest).")] = None,
) -> None:
    """Write one table of a release as CSV, its metadata in leading ``#`` lines."""
    from hub.statistics.releases import ReleaseError, csv_rows

    releases = _releases()
    try:
        found = releases.resolve(release)
    except ReleaseError as exc:
        raise _fail(str(exc), code=1) from None
    body = releases.table(found.id, table)
    if body is None:
        raise _fail("Tabel tidak ada / No such table", code=1)
    csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(found, body))


__all__ = ["stats_cli"]
