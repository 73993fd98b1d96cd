"""``pmihub crosswalk``: export the links for measurement, list the review queue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

crosswalk_cli = typer.Typer(
    name="crosswalk",
    help="The identity crosswalk: export the links, list the review queue.",
    no_args_is_help=True,
    add_completion=False,
)


def _engine():  # type: ignore[no-untyped-def]
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    engine = make_engine(database_url())
    upgrade(engine)
    return engine


def _unreadable(exc: SQLAlchemyError) -> typer.Exit:
    typer.echo(
        "Basis data hub tidak dapat dibaca / The hub database cannot be read "
        f"({type(exc).__name__})",
        err=True,
    )
    return typer.Exit(2)


@crosswalk_cli.command()
def export(
    out: Annotated[
        Path | None, typer.Option(help="CSV file to write (default: standard output).")
    ] = None,
) -> None:
    """Write worker_id,agency,local_id,method,confidence for every linked agency record."""
    from hub.crosswalk.export import write_csv

    try:
        engine = _engine()
        if out is None:
            count = write_csv(engine, sys.stdout)
        else:
            partial = out.with_name(out.name + ".partial")
            with partial.open("w", encoding="utf-8", newline="") as handle:
                count = write_csv(engine, handle)
            partial.replace(out)
    except SQLAlchemyError as exc:
        raise _unreadable(exc) from None
    except OSError as exc:
        typer.echo(f"Berkas tidak dapat ditulis / Cannot write the file: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{count} rekaman diekspor / {count} records exported", err=True)


@crosswalk_cli.command()
def review(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many pairs to list.")] = 50,
) -> None:
    """List the pairs waiting for an identity officer (ids and scores, no personal data)."""
    from hub.identity.review import ReviewQueue

    try:
        page = ReviewQueue(_engine()).pending(first=limit)
    except SQLAlchemyError as exc:
        raise _unreadable(exc) from None
    typer.echo("id\tagency\tlocal_id\tworker_id\tconfidence\tambiguous")
    for c in page.items:
        typer.echo(
            f"mc_{c.id}\t{c.agency}\t{c.local_id}\t{c.worker_id}\t{c.confidence:.4f}\t"
            f"{'yes' if c.ambiguous else 'no'}"
        )
    typer.echo(f"{page.total} menunggu / {page.total} pending", err=True)
