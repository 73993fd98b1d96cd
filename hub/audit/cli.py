"""``pmihub audit``: verify the chain (also with public keys only, and against a witness), print
the public key, report access, sign a checkpoint, hand over to a new key, purge old entries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from hub.audit.keys import TrustedKeys, public_pem, read_public_keys
from hub.audit.signing import AuditSigner, SigningKeyError, key_id
from hub.audit.source import verify_database
from hub.audit.trail import AuditTrail
from hub.audit.witness import WitnessError, read_witness

audit_cli = typer.Typer(
    name="audit",
    help="The audit trail: verify, public-key, report, checkpoint, handover, purge.",
    no_args_is_help=True,
    add_completion=False,
)


def _signer() -> AuditSigner:
    try:
        return AuditSigner.from_environ()
    except SigningKeyError as exc:
        typer.echo(f"Kunci tanda tangan audit tidak tersedia / {exc}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def _database(*, migrate: bool = True) -> Iterator[Engine]:
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    engine = make_engine(database_url())
    try:
        if migrate:
            upgrade(engine)
        yield engine
    except SQLAlchemyError as exc:
        typer.echo(
            "Basis data hub tidak dapat dibaca / The hub database cannot be read "
            f"({type(exc).__name__})",
            err=True,
        )
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


@contextmanager
def _trail() -> Iterator[AuditTrail]:
    signer = _signer()
    with _database() as engine:
        yield AuditTrail(engine, signer)


@audit_cli.command()
def verify(
    trusted_keys: Annotated[
        Path | None,
        typer.Option(
            "--trusted-keys",
            help="PEM public keys to verify with: no private key and no HUB_ENV needed, only "
            "HUB_DATABASE_URL (the database is only read).",
        ),
    ] = None,
    witness: Annotated[
        Path | None,
        typer.Option(help="Checkpoints an agency archived (JSON lines), to check against."),
    ] = None,
) -> None:
    """Check the chain and the signed checkpoints; exit 1 naming the first bad entry."""
    try:
        seen = read_witness(witness) if witness else []
        keys = TrustedKeys(read_public_keys(trusted_keys)) if trusted_keys else None
    except (WitnessError, SigningKeyError) as exc:
        typer.echo(f"Berkas tidak dapat dipakai / File unusable: {exc}", err=True)
        raise typer.Exit(2) from None
    if keys is not None:
        with _database(migrate=False) as engine:
            report = verify_database(engine, keys, seen)
    else:
        with _trail() as trail:
            report = trail.verify(witness=seen)
    typer.echo(report.text())
    if not report.ok:
        raise typer.Exit(1)


@audit_cli.command("public-key")
def public_key() -> None:
    """Print the public key of HUB_AUDIT_SIGNING_KEY (PEM), for auditors and witnesses."""
    typer.echo(public_pem(_signer().public), nl=False)


@audit_cli.command()
def handover(
    next_public_key: Annotated[
        Path, typer.Option(help="PEM public key of the signing key that takes over.")
    ],
) -> None:
    """Rotate the audit key: the current key signs a checkpoint naming the next one. Then set
    HUB_AUDIT_SIGNING_KEY to the new key and add this key's public half to
    HUB_AUDIT_TRUSTED_KEYS."""
    try:
        (public,) = read_public_keys(next_public_key).values()
    except (SigningKeyError, ValueError) as exc:
        typer.echo(f"Kunci berikutnya tidak dapat dipakai / Next key unusable: {exc}", err=True)
        raise typer.Exit(2) from None
    with _trail() as trail:
        if key_id(public) == trail.signer.key_id:
            typer.echo("Kunci berikutnya sama / The next key is the current one", err=True)
            raise typer.Exit(2)
        made = trail.handover(public)
    typer.echo(f"hand-over seq={made.seq} from key={made.key_id} to key={key_id(public)}")


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
