"""``pmihub webhooks``: operators add, list and remove agencies' webhooks, and run delivery."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from hub.cases.lifecycle import CaseError
from hub.cases.records import Actor
from hub.cases.settings import CaseSettings
from hub.cases.webhooks import WebhookStore

webhooks_cli = typer.Typer(
    name="webhooks",
    help="Agencies' webhooks for case events: add, list, remove, deliver.",
    no_args_is_help=True,
    add_completion=False,
)


@contextmanager
def _engine() -> Iterator[Engine]:
    from hub.storage import database_url, make_engine
    from hub.storage.migrate import upgrade

    engine = make_engine(database_url())
    try:
        upgrade(engine)
        yield engine
    except SQLAlchemyError as exc:
        typer.echo(
            "Basis data hub tidak dapat dibaca / The hub database cannot be read "
            f"({type(exc).__name__})",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def _store(engine: Engine) -> WebhookStore:
    settings = CaseSettings.from_environ(os.environ)
    return WebhookStore(
        engine,
        allow_http=settings.allow_http,
        allow_loopback=settings.allow_loopback,
        key_secret=settings.key_secret,
    )


@webhooks_cli.command("add")
def add(
    url: Annotated[str, typer.Argument(help="The agency's HTTPS endpoint.")],
    client: Annotated[str, typer.Option(help="The agency's OAuth client id (the owner).")],
    agency: Annotated[str | None, typer.Option(help="Agency code, e.g. P2MI.")] = None,
    mission: Annotated[str | None, typer.Option(help="Only this mission's cases.")] = None,
) -> None:
    """Register a webhook; prints its secret once (give it to the agency, keep it nowhere)."""
    with _engine() as engine:
        try:
            hook, secret = _store(engine).add(Actor(client, client, agency), url, mission)
        except CaseError as exc:
            typer.echo(f"{exc.text_id} / {exc.text_en}", err=True)
            raise typer.Exit(2) from None
    typer.echo(f"{hook.id}\t{hook.url}\t{hook.mission_code or '*'}")
    typer.echo(f"secret: {secret}")


@webhooks_cli.command("list")
def list_() -> None:
    """Active webhooks with their pending, failed and delivered counts."""
    with _engine() as engine:
        hooks = _store(engine).list()
    typer.echo("id\tclient\tmission\tpending\tfailed\tdelivered\turl")
    for h in hooks:
        typer.echo(
            f"{h.id}\t{h.client_id}\t{h.mission_code or '*'}\t{h.pending}\t{h.failed}\t"
            f"{h.delivered}\t{h.url}"
        )


@webhooks_cli.command("remove")
def remove(webhook_id: Annotated[str, typer.Argument(help="The webhook id (wh_…).")]) -> None:
    """Stop a webhook; its undelivered events are no longer sent."""
    with _engine() as engine:
        removed = _store(engine).remove(webhook_id)
    if not removed:
        typer.echo("Webhook tidak ditemukan / No such webhook", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {webhook_id}")


@webhooks_cli.command("deliver")
def deliver(
    once: Annotated[bool, typer.Option(help="One round of due deliveries, then exit.")] = False,
) -> None:
    """Run the delivery worker (also started by the hub app unless HUB_WEBHOOK_DELIVERY=off)."""
    from hub.audit import AuditSigner, AuditTrail
    from hub.cases.delivery import Deliverer

    async def run(engine: Engine) -> int:
        trail = AuditTrail(engine, AuditSigner.from_environ(os.environ))
        deliverer = Deliverer(engine, CaseSettings.from_environ(os.environ), audit=trail.record)
        try:
            if once:
                return await deliverer.run_once()
            await deliverer.run()
            return 0
        finally:
            await deliverer.aclose()

    with _engine() as engine:
        attempted = asyncio.run(run(engine))
    if once:
        typer.echo(f"attempted {attempted}")


__all__ = ["webhooks_cli"]
