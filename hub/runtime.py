"""Wiring for commands that need the hub's services outside the web app (sync, status)."""

from __future__ import annotations

from collections.abc import Callable

from hub.crosswalk import Pseudonymizer
from hub.registry import build_connectors
from hub.settings import Settings
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from hub.sync import follow as follow_feeds
from hub.sync import sync_all


async def run_sync(
    *, follow: bool = False, interval: float = 5.0, echo: Callable[[str], object] = print
) -> bool:
    settings = Settings.from_environ()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    connectors = build_connectors(settings.agencies)
    pseudo = Pseudonymizer(settings.pseudonym_key)
    try:
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
    finally:
        for connector in connectors.values():
            await connector.aclose()
        engine.dispose()
