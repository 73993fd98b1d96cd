"""Limits on the live feed (GraphQL over WebSocket), per (client, subject) as over HTTP.

Each ``connection_init`` and each ``subscribe`` takes a token from the same ``graphql`` bucket
as an HTTP request (hub/ratelimit.py: per client and subject, shared by replicas through
Redis). On top, a (client, subject) holds at most ``HUB_LIVE_MAX_CONNECTIONS`` open
connections and ``HUB_LIVE_MAX_SUBSCRIPTIONS`` running subscriptions in one process (the
counts are per process: a count in Redis would outlive a process that dies with its sockets).

Refusals are typed in graphql-transport-ws and audited like the other rate refusals (the first
of a kind per (client, subject), then one a minute): at ``connection_init`` the socket is
closed with code 4429 and a reason ``<CODE>: <Indonesian> / <English>``; a ``subscribe`` is
answered with an ``error`` message whose error has ``extensions.code`` (and ``retryAfter``
for a rate refusal), and the connection stays open.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from auth.principal import Principal
from hub.ratelimit import EdgeLimiter, RefusalAudit, refusal_entry

CLOSE_TOO_MANY = 4429
CONNECTIONS, SUBSCRIPTIONS = "connections", "subscriptions"


@dataclass(frozen=True, slots=True)
class LiveRefusal:
    code: str
    operation: str  # as the audit trail records it
    message_id: str
    message_en: str
    retry_after: int | None = None

    def close_reason(self) -> str:
        """The WebSocket close reason (at most 123 bytes)."""
        return f"{self.code}: {self.message_id} / {self.message_en}"[:123]

    def error(self) -> dict[str, Any]:
        """The payload of a graphql-transport-ws ``error`` message."""
        extensions: dict[str, Any] = {
            "code": self.code,
            "messageId": self.message_id,
            "messageEn": self.message_en,
        }
        if self.retry_after is not None:
            extensions["retryAfter"] = self.retry_after
        message = f"{self.message_id} / {self.message_en}"
        return GraphQLError(message, extensions=extensions).formatted  # type: ignore[return-value]


def rate_limited(wait: float) -> LiveRefusal:
    seconds = max(1, math.ceil(wait))
    return LiveRefusal(
        "RATE_LIMITED",
        "graphql:ws:rateLimited",
        f"Terlalu banyak permintaan; coba lagi dalam {seconds} detik",
        f"Too many requests; try again in {seconds} s",
        seconds,
    )


TOO_MANY = {
    CONNECTIONS: LiveRefusal(
        "TOO_MANY_CONNECTIONS",
        "graphql:ws:tooManyConnections",
        "Terlalu banyak koneksi langsung terbuka",
        "Too many live connections open",
    ),
    SUBSCRIPTIONS: LiveRefusal(
        "TOO_MANY_SUBSCRIPTIONS",
        "graphql:ws:tooManySubscriptions",
        "Terlalu banyak langganan berjalan",
        "Too many subscriptions running",
    ),
}


class LiveLimits:
    """The live feed's admissions: ``admit`` takes a token and a slot, ``release`` gives the
    slot back. Slots are counted per (client id, subject) in this process."""

    def __init__(
        self,
        limiter: EdgeLimiter,
        refusals: RefusalAudit,
        *,
        max_connections: int,
        max_subscriptions: int,
    ) -> None:
        self.limiter, self.refusals = limiter, refusals
        self.caps = {CONNECTIONS: max_connections, SUBSCRIPTIONS: max_subscriptions}
        self.held: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in self.caps}

    async def admit(self, kind: str, principal: Principal) -> LiveRefusal | None:
        """None and a slot held, or the refusal (audited)."""
        who = (principal.client_id, principal.subject)
        wait = await self.limiter.take("graphql", *who)
        refusal = rate_limited(wait) if wait else None
        if refusal is None and self.held[kind][who] >= self.caps[kind]:
            refusal = TOO_MANY[kind]
        if refusal is None:
            self.held[kind][who] += 1
            return None
        purpose = principal.purpose.value if principal.purpose is not None else None
        entry = refusal_entry(
            *who,
            refusal.operation,
            agency=principal.agency,
            purpose=purpose,
            reason=refusal.code,
        )
        await self.refusals.refused(entry, *who, refusal.operation)
        return refusal

    def release(self, kind: str, principal: Principal) -> None:
        who = (principal.client_id, principal.subject)
        held = self.held[kind]
        held[who] -= 1
        if held[who] <= 0:
            del held[who]


__all__ = ["CLOSE_TOO_MANY", "CONNECTIONS", "SUBSCRIPTIONS", "LiveLimits", "LiveRefusal"]
