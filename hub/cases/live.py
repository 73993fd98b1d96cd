"""The hub's case services in one place: the register, webhooks, the live bus, delivery.

Protection alerts (hub/census) travel the same ways: their own live bus (``alert_bus``), the
same NOTIFY channel (an ``alt_`` id instead of an ``evt_`` one) and the same outbox.

Built with the Hub (synchronously); ``start`` launches the background tasks of the app's
lifespan (the PostgreSQL listener and, unless HUB_WEBHOOK_DELIVERY=off, the delivery
worker) and ``aclose`` stops them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Engine

from hub.audit import AccessEntry
from hub.cases.bus import CaseBus, PostgresListener
from hub.cases.delivery import Deliverer
from hub.cases.missions import MissionCatalog
from hub.cases.records import CaseEvent
from hub.cases.service import CaseService
from hub.cases.settings import CaseSettings
from hub.cases.webhooks import WebhookStore
from hub.storage.offload import Offload


class Cases:
    def __init__(
        self, engine: Engine, environ: Mapping[str, str], offload: Offload | None = None
    ) -> None:
        self.offload = offload or Offload.for_engine(engine)
        self.settings = CaseSettings.from_environ(environ)
        self.missions = MissionCatalog.default()
        self.engine = engine
        self.service = CaseService(engine, self.missions)
        self.webhooks = WebhookStore(
            engine,
            self.missions,
            allow_http=self.settings.allow_http,
            key_secret=self.settings.key_secret,
            allow_loopback=self.settings.allow_loopback,
        )
        self.bus: CaseBus[CaseEvent] = CaseBus()
        self.alert_bus: CaseBus[Any] = CaseBus()  # hub.census.alerts.Alert
        self.deliverer: Deliverer | None = None
        self.listener: PostgresListener | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, audit: Callable[[list[AccessEntry]], None] | None = None) -> None:
        if self.service.notify:
            url = self.engine.url.set(drivername="postgresql")
            self.listener = PostgresListener(
                url.render_as_string(hide_password=False), self._on_notify
            )
            self._tasks.append(asyncio.create_task(self.listener.run()))
            with contextlib.suppress(TimeoutError):  # serve anyway; it keeps reconnecting
                await asyncio.wait_for(self.listener.listening.wait(), timeout=5)
        if self.settings.deliver:
            self.deliverer = Deliverer(
                self.engine, self.settings, audit=audit, offload=self.offload
            )
            self._tasks.append(asyncio.create_task(self.deliverer.run()))

    def announce(self, event: CaseEvent) -> None:
        """A change committed in this process: tell local subscribers (unless PostgreSQL
        does it for every replica) and wake the delivery worker."""
        if not self.service.notify:
            self.bus.publish(event)
        if self.deliverer is not None:
            self.deliverer.kick()

    def announce_alerts(self, alerts: Sequence[Any]) -> None:
        """Alerts committed in this process: as ``announce`` does for case events."""
        if not self.service.notify:
            for alert in alerts:
                self.alert_bus.publish(alert)
        if self.deliverer is not None:
            self.deliverer.kick()

    async def _on_notify(self, event_id: str) -> None:
        if event_id.startswith("alt_"):  # a protection alert (hub/census)
            from hub.census.service import AlertService

            alert = await self.offload(AlertService(self.engine).get, event_id)
            if alert is not None:
                self.alert_bus.publish(alert)
        else:
            event = await self.offload(self.service.event, event_id)
            if event is not None:
                self.bus.publish(event)
        if self.deliverer is not None:
            self.deliverer.kick()

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self.deliverer is not None:
            await self.deliverer.aclose()


__all__ = ["Cases"]
