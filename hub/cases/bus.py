"""Case events to live subscribers, in this process and across hub replicas.

``CaseBus`` fans events out to the subscriptions of this process. Across replicas the
events travel through PostgreSQL LISTEN/NOTIFY: the service NOTIFYs the event id inside the
transaction that changes the case, PostgreSQL delivers it to every listening replica only if
that transaction commits, and each replica's ``PostgresListener`` reads the event back and
publishes it to its own bus. No second system to run, and nothing announced that did not
happen. With SQLite (one process by nature) the resolver publishes to the bus itself.

Live events are best effort: a subscriber that is not connected (or a replica whose listener
is reconnecting) misses them. Guaranteed delivery is the webhooks' job (the outbox).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from hub.cases.service import NOTIFY_CHANNEL

log = logging.getLogger("pmihub.cases")
E = TypeVar("E")


class SubscriberTooSlow(Exception):
    """The subscriber's queue overflowed: it is disconnected rather than silently lossy."""


class CaseBus(Generic[E]):
    """Events of one kind (case events; protection alerts on their own bus)."""

    def __init__(self, queue_size: int = 256) -> None:
        self.queue_size = queue_size
        self._queues: set[asyncio.Queue[E | None]] = set()

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    def publish(self, event: E) -> None:
        """Hand ``event`` to every subscriber of this process (from the event loop)."""
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                self._queues.discard(queue)
                queue.get_nowait()  # make room for the end marker
                queue.put_nowait(None)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[E]]:
        queue: asyncio.Queue[E | None] = asyncio.Queue(self.queue_size)
        self._queues.add(queue)

        async def events() -> AsyncIterator[E]:
            while True:
                event = await queue.get()
                if event is None:
                    raise SubscriberTooSlow()
                yield event

        try:
            yield events()
        finally:
            self._queues.discard(queue)


class PostgresListener:
    """LISTENs on the case channel with a psycopg 3 async connection; reconnects on loss."""

    def __init__(
        self,
        conninfo: str,
        on_event: Callable[[str], Awaitable[None]],
        retry_seconds: float = 1.0,
    ) -> None:
        self.conninfo = conninfo
        self.on_event = on_event
        self.retry_seconds = retry_seconds
        self.listening = asyncio.Event()

    async def run(self) -> None:
        import psycopg

        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.listening.set()
                    async for notice in conn.notifies():
                        try:
                            await self.on_event(notice.payload)
                        except Exception as exc:  # one bad event must not stop the listener
                            log.error("case event not published: %s", type(exc).__name__)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("case event listener reconnecting: %s", type(exc).__name__)
            self.listening.clear()
            await asyncio.sleep(self.retry_seconds)


__all__ = ["CaseBus", "PostgresListener", "SubscriberTooSlow"]
