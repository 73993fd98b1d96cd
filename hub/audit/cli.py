"""``pmihub audit``: verify the chain, report access, sign a checkpoint, purge old entries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from hub.audit.signing import AuditSigner, SigningKeyError
from hub.audit.trail import AuditTrail

audit_cli = typer.Typer(
    name="audit",
    help="The audit trail: verify, report, checkpoint, purge.",
    no_args_is_help=True,
    add_completion=False,
)


@contextmanager
def _trail() -> Iterator[AuditTrail]:
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    try:
        signer = AuditSigner.from_environ()
    except SigningKeyError as exc:
        typer.echo(f"Kunci tanda tangan audit tidak tersedia / {exc}", err=True)
        raise typer.Exit(2) from None
    engine = make_engine(database_url())
    try:
        upgrade(engine)
        yield AuditTrail(engine, signer)
    except SQLAlchemyError as exc:
        typer.echo(
            "Basis data hub tidak dapat dibaca / The hub database cannot be read "
            f"({type(exc).__name__})",
            err=True,
        )
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


@audit_cli.command()
def verify() -> None:
    """Check the chain and the signed checkpoints; exit 1 naming the first bad entry."""
    with _trail() as trail:
        report = trail.verify()
    typer.echo(report.text())
    if not report.ok:
        raise typer.Exit(1)


@audit_cli.command()
def report(
    since: Annotated[str, typer.Option(help="First day to count, YYYY-MM-DD (UTC).")],
) -> None:
    """Access per client and purpose since a day, for a supervisor."""
    try:
        start = datetime.fromisoformat(since).replace(tzinfo=UTC)
    except ValueError:
        typer.echo(f"--since harus/must be YYYY-MM-DD, got {since!r}", err=True)
        raise typer.Exit(2) from None
    with _trail() as trail:
        rows = trail.report(start)
    typer.echo(f"{'client':<24} {'agency':<22} {'purpose':<24} reads break_glass refused workers")
    for r in rows:
        typer.echo(
            f"{r.client_id:<24} {r.agency or '-':<22} {r.purpose or '-':<24} "
            f"{r.reads:>5} {r.break_glass:>11} {r.refused:>7} {r.workers:>7}"
        )
    if not rows:
        typer.echo(f"(tidak ada akses sejak {since} / no access since {since})")


@audit_cli.command()
def checkpoint() -> None:
    """Sign the chain head with the hub's audit key."""
    with _trail() as trail:
        made = trail.checkpoint()
    typer.echo(f"checkpoint seq={made.seq} head={made.head_hash[:16]}… key={made.key_id}")


@audit_cli.command()
def purge(
    older_than: Annotated[int, typer.Option(min=1, help="Delete entries older than DAYS days.")],
) -> None:
    """Delete old entries behind a signed checkpoint, so the rest still verifies."""
    before = datetime.now(UTC) - timedelta(days=older_than)
    with _trail() as trail:
        gone = trail.purge(before)
    typer.echo(f"{gone} entri dihapus / {gone} entries purged (before {before:%Y-%m-%d %H:%M} UTC)")


__all__ = ["audit_cli"]
