"""``pmihub census`` and ``pmihub cohort``: the census run, and a cohort exported as a list."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

LEVELS = ("EMERGENCY", "UNPROTECTED", "UNKNOWN", "AT_RISK", "PROTECTED")


def census_command(
    full: Annotated[
        bool, typer.Option("--full", help="Every linked worker, not only those that changed.")
    ] = False,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Workers per batch.")] = 500,
) -> None:
    """Give the workers whose records or dates changed a new verdict; raise their alerts."""
    from hub.census import Census
    from hub.runtime import hub_services
    from hub.service import Hub
    from hub.settings import Settings, SettingsError

    async def run() -> str:
        settings = Settings.from_environ()
        async with hub_services(settings) as (engine, connectors):
            hub = Hub(settings=settings, engine=engine, connectors=connectors)
            report = await Census(hub, batch=batch).run(full=full)
            return report.line()

    try:
        typer.echo(asyncio.run(run()))
    except SettingsError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


def cohort_command(
    out: Annotated[Path, typer.Option(help="Where to write the list (CSV, owner-only).")],
    purpose: Annotated[
        str | None, typer.Option(help="EMERGENCY or CASE_HANDLING (required).")
    ] = None,
    mission: Annotated[str | None, typer.Option(help="Mission code, e.g. TPE.")] = None,
    city: Annotated[str | None, typer.Option(help="Employer's city or lapor diri region.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-2 destination.")] = None,
    level: Annotated[list[str] | None, typer.Option(help="A level (repeatable).")] = None,
    code: Annotated[list[str] | None, typer.Option(help="A finding code (repeatable).")] = None,
    licence: Annotated[str | None, typer.Option(help="Placement company licence number.")] = None,
    contact_older_than: Annotated[
        int | None, typer.Option(help="Last contact with the mission more than N days ago.")
    ] = None,
) -> None:
    """Export a crisis cohort as an evacuation list: name, phone, next of kin, level, address
    abroad, last contact. Recorded as one bulk access; refused without the purpose."""
    from hub.audit import AuditUnavailable
    from hub.census.export import ExportError, export_cohort, purpose_of
    from hub.settings import Settings, SettingsError

    levels = [v.strip().upper() for v in level or []]
    if any(v not in LEVELS for v in levels):
        typer.echo(f"--level: {', '.join(LEVELS)}", err=True)
        raise typer.Exit(2)
    given = {
        "missionCode": mission,
        "city": city,
        "country": country,
        "levels": levels or None,
        "findingCodes": code or None,
        "placementAgencyLicense": licence,
        "lastContactOlderThanDays": contact_older_than,
    }
    cohort_filter = {k: v for k, v in given.items() if v is not None}
    try:
        purpose_of(purpose)  # refused before anything is read
        settings = Settings.from_environ()
        report = asyncio.run(export_cohort(cohort_filter, out, purpose, settings))
    except ExportError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    except SettingsError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    except AuditUnavailable as exc:
        typer.echo(f"{exc.message_id} / {exc.message_en}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{report.rows} pekerja / workers -> {report.path}")


__all__ = ["census_command", "cohort_command"]
