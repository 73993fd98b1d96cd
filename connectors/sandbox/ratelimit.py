"""A token-bucket rate limit per client, answering 429 with Retry-After in the agency's shape."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.sandbox.faults import ErrorRenderer, FaultSettings


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    burst: int
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self, now: float | None = None) -> float:
        """Take one token; return 0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimit:
    """ASGI middleware: per-client token buckets, configured live from the fault settings."""

    def __init__(
        self,
        app: ASGIApp,
        settings: FaultSettings,
        client_key: Callable[[Headers], str],
        render_error: ErrorRenderer,
    ) -> None:
        self.app = app
        self.settings = settings
        self.client_key = client_key
        self.render_error = render_error
        self.buckets: dict[str, TokenBucket] = {}
        self._config: tuple[float | None, int | None] = (None, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rate = self.settings.rateLimitPerSecond
        if scope["type"] != "http" or not rate or scope["path"].startswith("/_sandbox/"):
            return await self.app(scope, receive, send)
        burst = self.settings.rateLimitBurst or max(1, math.ceil(rate))
        if self._config != (rate, burst):
            self.buckets.clear()
            self._config = (rate, burst)
        key = self.client_key(Headers(scope=scope))
        bucket = self.buckets.setdefault(key, TokenBucket(rate, burst))
        wait = bucket.take()
        if wait <= 0:
            return await self.app(scope, receive, send)
        response = self.render_error(429, "RATE_LIMITED", "Too many requests")
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        await response(scope, receive, send)
