"""The webhook delivery worker: reads the outbox, POSTs each event, retries with backoff.

At least once: a delivery is marked done only after a 2xx answer, so a receiver may see an
event twice (a lost answer, a crash between POST and mark) and must deduplicate on the
``webhook-id`` header. Several workers (replicas, ``pmihub webhooks deliver``) may run at
once: each claims a delivery by bumping its attempt counter where the counter still has the
value it read, so one attempt is made by one worker. A claim leases the row for the POST's
timeout plus a margin; a worker that dies mid-attempt leaves it to be retried after that.

Each attempt resolves the host and checks every address (hub/cases/egress.py), connects to
the checked address (pinned, TLS still verified for the host name), and reads at most
``MAX_ANSWER`` bytes of the receiver's answer before closing it: only the status counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import anyio
import httpx
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.audit import AccessEntry, AuditUnavailable
from hub.cases.egress import EgressRefused, Resolver, pin, system_resolver
from hub.cases.settings import CaseSettings
from hub.cases.signing import signed_headers
from hub.cases.tables import DeliveryRow, WebhookRow
from hub.cases.webhook_secrets import SealError, SecretOpener
from hub.storage.offload import Offload
from schema.clock import now

log = logging.getLogger("pmihub.webhooks")
MAX_ANSWER = 4096


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    attempts: int  # including this one
    url: str
    secret: str
    event_id: str
    worker_id: str
    payload: str
    client_id: str
    subject: str
    agency: str | None
    purpose: str | None
    consent_id: str | None = None


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        settings: CaseSettings,
        *,
        audit: Callable[[list[AccessEntry]], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resolve: Resolver = system_resolver,
        clock: Callable[[], datetime] = now,
        offload: Offload | None = None,
    ) -> None:
        self.engine = engine
        self.offload = offload or Offload.for_engine(engine)  # the database, off the loop
        self.settings = settings
        self.audit = audit
        self.resolve = resolve
        self.clock = clock
        self.http = httpx.AsyncClient(
            timeout=settings.timeout, follow_redirects=False, transport=transport
        )
        self.wake = asyncio.Event()
        self.secrets = SecretOpener(settings.key_secret)

    def kick(self) -> None:
        """Deliver now rather than at the next poll (a case changed in this process)."""
        self.wake.set()

    def claim(self) -> list[Claimed]:
        """Due deliveries of active webhooks, each leased to this worker."""
        at = self.clock()
        lease = at + timedelta(seconds=self.settings.timeout + 30)
        with Session(self.engine) as session:
            rows = session.exec(
                select(DeliveryRow, WebhookRow)
                .join(WebhookRow, col(WebhookRow.id) == col(DeliveryRow.webhook_id))
                .where(
                    col(DeliveryRow.delivered_at).is_(None),
                    col(DeliveryRow.failed_at).is_(None),
                    col(DeliveryRow.next_attempt_at) <= at,
                    col(WebhookRow.active).is_(True),
                )
                .order_by(col(DeliveryRow.id))
                .limit(self.settings.batch)
            ).all()
            claimed: list[Claimed] = []
            for delivery, hook in rows:
                try:
                    secret = self.secrets.open(hook.id, hook.secret_sealed)
                except SealError:  # another HUB_AUTH_KEY_SECRET: left due, never sent unsigned
                    log.error("webhook %s: its secret does not open", hook.id)
                    continue
                won = session.execute(
                    update(DeliveryRow)
                    .where(
                        col(DeliveryRow.id) == delivery.id,
                        col(DeliveryRow.attempts) == delivery.attempts,
                        col(DeliveryRow.delivered_at).is_(None),
                    )
                    .values(attempts=delivery.attempts + 1, next_attempt_at=lease)
                )
                if won.rowcount == 1:  # type: ignore[attr-defined]
                    assert delivery.id is not None
                    claimed.append(
                        Claimed(
                            id=delivery.id,
                            attempts=delivery.attempts + 1,
                            url=hook.url,
                            secret=secret,
                            event_id=delivery.event_id,
                            worker_id=delivery.worker_id,
                            payload=delivery.payload,
                            client_id=hook.client_id,
                            subject=hook.subject,
                            agency=hook.agency,
                            purpose=hook.purpose,
                            consent_id=delivery.consent_id,
                        )
                    )
            session.commit()
        return claimed

    async def run_once(self) -> int:
        """Attempt every due delivery once; the number attempted."""
        claimed = await self.offload(self.claim)
        if claimed:
            await asyncio.gather(*(self._attempt(c) for c in claimed))
        return len(claimed)

    async def run(self) -> None:
        """Deliver until cancelled: at each wake-up and every poll interval."""
        while True:
            try:
                attempted = await self.run_once()
            except Exception as exc:  # the database may be briefly away; try again later
                log.error("webhook delivery round failed: %s", type(exc).__name__)
                attempted = 0
            if attempted:
                continue  # there may be more due
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.settings.poll_seconds)

    async def _attempt(self, item: Claimed) -> None:
        # the event leaves the hub: record it first (fail closed); an audit checkpoint
        # (hub.audit.publish) is about no worker and carries no personal data
        if self.audit is not None and item.worker_id:
            try:
                await self.offload(self.audit, [_entry(item)])
            except AuditUnavailable:
                await self.offload(self._failed, item, "AUDIT_UNAVAILABLE")
                return
        body = item.payload.encode()
        check = partial(
            pin, item.url, allow_loopback=self.settings.allow_loopback, resolve=self.resolve
        )
        try:
            target = await anyio.to_thread.run_sync(check)  # DNS, not the database
        except (EgressRefused, ValueError, httpx.InvalidURL):
            await self.offload(self._failed, item, "EGRESS_REFUSED")
            return
        headers = {**signed_headers(item.secret, item.event_id, body), **target.headers()}
        try:
            async with self.http.stream(
                "POST", target.url, content=body, headers=headers, extensions=target.extensions()
            ) as response:
                await _discard(response)
                status = response.status_code
        except httpx.HTTPError as exc:
            await self.offload(self._failed, item, type(exc).__name__)
            return
        if 200 <= status < 300:
            await self.offload(self._delivered, item)
        else:
            await self.offload(self._failed, item, f"HTTP {status}")

    def _delivered(self, item: Claimed) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(DeliveryRow)
                .where(col(DeliveryRow.id) == item.id)
                .values(delivered_at=self.clock(), last_error=None)
            )

    def _failed(self, item: Claimed, reason: str) -> None:
        at = self.clock()
        values: dict[str, object] = {"last_error": reason[:200]}
        if item.attempts >= self.settings.max_attempts:
            values["failed_at"] = at
            log.warning("webhook delivery %s given up after %s attempts", item.id, item.attempts)
        else:
            delay = self.settings.backoff(item.attempts) * random.uniform(1.0, 1.1)
            values["next_attempt_at"] = at + timedelta(seconds=delay)
        with self.engine.begin() as connection:
            connection.execute(
                update(DeliveryRow).where(col(DeliveryRow.id) == item.id).values(**values)
            )

    async def aclose(self) -> None:
        await self.http.aclose()


async def _discard(response: httpx.Response) -> None:
    """Read at most ``MAX_ANSWER`` bytes of the answer; the rest is never read."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= MAX_ANSWER:
            break


def _entry(item: Claimed) -> AccessEntry:
    alert = item.event_id.startswith("alt_")  # a protection alert (hub/census), not a case
    return AccessEntry(
        client_id=item.client_id,
        subject=item.subject,
        operation="webhook:protectionAlert" if alert else "webhook:caseEvent",
        request_id=item.event_id,
        worker_id=item.worker_id,
        agency=item.agency,
        purpose=item.purpose,
        categories=frozenset({"protection" if alert else "case"}),
        grant_id=item.consent_id,  # a partner's webhook: the consent it hears under
    )


__all__ = ["Claimed", "Deliverer"]
