"""Wiring for commands that need the hub's services outside the web app (sync, status)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Engine

from connectors.kit.base import Connector
from hub.audit import AccessEntry
from hub.crosswalk import Pseudonymizer
from hub.graphql.query import WORKER_ID
from hub.registry import build_connectors
from hub.settings import Settings
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from hub.sync import follow as follow_feeds
from hub.sync import sync_all


@asynccontextmanager
async def hub_services(
    settings: Settings,
) -> AsyncIterator[tuple[Engine, dict[str, Connector]]]:
    """The migrated database and the configured connectors, closed on the way out."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    connectors = build_connectors(settings.agencies)
    try:
        yield engine, connectors
    finally:
        for connector in connectors.values():
            await connector.aclose()
        engine.dispose()


async def run_sync(
    *, follow: bool = False, interval: float = 5.0, echo: Callable[[str], object] = print
) -> bool:
    settings = Settings.from_environ()
    pseudo = Pseudonymizer(settings.pseudonym_key)
    async with hub_services(settings) as (engine, connectors):
        if follow:
            await follow_feeds(engine, pseudo, connectors, interval=interval)
            return True
        report = await sync_all(engine, pseudo, connectors)
        for agency in report.agencies:
            state = "ok" if agency.error is None else f"stopped: {agency.error}"
            echo(
                f"{agency.agency:22} {agency.records:8} records {agency.changed:8} changed "
                f"{agency.seconds:6.1f} s  {state}"
            )
        return report.ok


class StatusError(ValueError):
    """Bad input to ``pmihub status``; the message is for people, in both languages."""


def operator_principal(purpose: str) -> Any:
    """Who ``pmihub status`` reads as: the operator at the hub's own console, with every read
    scope (they hold the database already) and a declared purpose."""
    import getpass

    from auth.principal import Principal
    from auth.purpose import Purpose
    from auth.scopes import READ_SCOPES

    return Principal(
        client_id="pmihub-cli",
        subject=getpass.getuser(),
        scopes=frozenset(READ_SCOPES),
        token_id="cli",  # noqa: S106 - an identifier, not a secret: the CLI holds no token
        issuer="pmihub-cli",
        expires_at=0,
        purpose=Purpose(purpose),
    )


def operator_reads(
    operation: str,
    workers: Iterable[str],
    purpose: str,
    category: str,
    request_id: str | None = None,
) -> list[AccessEntry]:
    """The audit entries of an operator's read of ``workers`` at a command line (``pmihub
    status``, ``pmihub consents list``): one each, one request, the operator and the purpose."""
    principal = operator_principal(purpose)
    request = request_id or uuid.uuid4().hex
    return [
        AccessEntry(
            client_id=principal.client_id,
            subject=principal.subject,
            operation=operation,
            request_id=request,
            worker_id=worker,
            purpose=purpose,
            categories=frozenset({category}),
        )
        for worker in dict.fromkeys(workers)
    ]


async def worker_status(
    *, nik: str | None, worker_id: str | None, lang: str = "ID", purpose: str = "EMERGENCY"
) -> str | None:
    """One worker's verdict as terminal text; None when no agency knows the worker."""
    from hub.graphql.context import HubContext
    from hub.graphql.lookup import find_by_identifier
    from hub.graphql.worker import load_worker
    from hub.protection import render_verdict
    from hub.service import Hub
    from hub.view.verdict import verdict_for
    from schema.identifiers import is_valid_nik

    if purpose == "STATISTICS":
        raise StatusError(
            "Tujuan STATISTICS hanya untuk pmihub stats run / "
            "The STATISTICS purpose is for pmihub stats run only"
        )
    if (nik is None) == (worker_id is None):
        raise StatusError("Berikan --nik atau --id (satu saja) / Give --nik or --id (one of them)")
    if nik is not None and not is_valid_nik(nik):
        raise StatusError("NIK tidak sah / Invalid NIK")
    if worker_id is not None and not WORKER_ID.fullmatch(worker_id):
        raise StatusError("ID pekerja tidak sah / Malformed worker id")
    settings = Settings.from_environ()
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        ctx = HubContext(hub=hub, principal=operator_principal(purpose))
        if nik is not None:
            worker_id = (await find_by_identifier(ctx, "nik", [nik])).get(nik)
        worker = await load_worker(ctx, worker_id)
        if worker is None:
            return None
        verdict = await verdict_for(ctx, worker.view, lambda exc: None)
        # The operator's read is audited like any other, and fails closed like any other.
        hub.audit.record(operator_reads("pmihub status", [str(worker.id)], purpose, "protection"))
        return f"{worker.id}\n" + render_verdict(verdict, lang)
