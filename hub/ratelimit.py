"""Rate limits at the hub's edge: token buckets, per process or shared by replicas in Redis.

Buckets are named by a kind and the parts that key it: ``graphql`` by (client id, subject), so
one worker signed in to the console has a bucket of its own and cannot empty an officer's;
``oauth-client`` and ``oauth-address`` for the token endpoint and the login page, by client id
and by client address. Keys are keyed digests (BLAKE2b under a key derived from
``HUB_PSEUDONYM_KEY``), so Redis holds no client ids, user names or addresses, nor a digest
anyone could recompute from a list of names.

``MemoryBuckets`` keeps the buckets in this process (bounded: the least recently used bucket
is dropped first). ``RedisBuckets`` (``HUB_REDIS_URL``, the response cache's Redis) takes a
token with one Lua script, atomic in Redis and timed by Redis's clock, so every replica draws
from the same bucket; when Redis fails it falls back to memory for ``pause`` seconds.

A refusal is a 429 ``RATE_LIMITED`` with ``Retry-After``, recorded in the audit trail
(``RefusalAudit``: the first refusal of a bucket, then one a minute while it lasts).

Limits (per second / burst): ``HUB_RATE_LIMIT_PER_SECOND`` / ``HUB_RATE_LIMIT_BURST``
(100 / 200) for GraphQL; ``HUB_AUTH_RATE_PER_SECOND`` / ``HUB_AUTH_RATE_BURST`` (2 / 30) for
``/oauth/*`` per address, checked first; ``HUB_AUTH_CLIENT_RATE_PER_SECOND`` /
``HUB_AUTH_CLIENT_RATE_BURST`` (10 / 100) per client id, wider, so one address cannot empty a
client's bucket (many addresses together still can: that is the price of a per-client cap).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.principal import Principal
from hub.audit import AccessEntry, AuditUnavailable, Outcome
from hub.observability import request_id
from hub.redis_client import redis_client
from hub.resilience.cache import DEFAULT_PREFIX
from hub.settings import Settings, SettingsError, positive_number

log = logging.getLogger("pmihub.ratelimit")
CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,79}")

# KEYS[1] the bucket; ARGV rate (tokens/s), burst. Returns the seconds to wait (0: taken).
TAKE_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = burst
  stamp = now
end
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


@dataclass(frozen=True, slots=True)
class Limit:
    rate: float  # tokens per second
    burst: int


class Buckets(Protocol):
    async def take(self, key: str, limit: Limit) -> float:
        """Take one token from ``key``'s bucket: 0 when allowed, else the seconds to wait."""
        ...

    async def aclose(self) -> None: ...


@dataclass
class TokenBucket:
    rate: float
    burst: int
    tokens: float
    stamp: float

    def take(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class MemoryBuckets:
    def __init__(
        self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    async def take(self, key: str, limit: Limit) -> float:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(limit.rate, limit.burst, float(limit.burst), now)
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_entries:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        return bucket.take(now)

    async def aclose(self) -> None:
        return None


class RedisBuckets:
    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        fallback: MemoryBuckets | None = None,
        pause: float = 5.0,
    ) -> None:
        self.client = client
        self.prefix = prefix + "rate:"
        self.fallback = fallback or MemoryBuckets()
        self.pause = pause
        self._script = client.register_script(TAKE_SCRIPT)
        self._paused_until = 0.0

    @classmethod
    def from_url(
        cls, url: str, *, timeout: float = 0.25, prefix: str = DEFAULT_PREFIX
    ) -> RedisBuckets:
        return cls(redis_client(url, timeout), prefix=prefix)

    async def take(self, key: str, limit: Limit) -> float:
        if time.monotonic() < self._paused_until:
            return await self.fallback.take(key, limit)
        try:
            answer = await self._script(keys=[self.prefix + key], args=[limit.rate, limit.burst])
            return float(answer)
        except (RedisError, OSError, ValueError) as exc:
            self._paused_until = time.monotonic() + self.pause
            log.warning(
                "redis rate limit failed (%s); per-process buckets for %.0f s",
                type(exc).__name__,
                self.pause,
            )
            return await self.fallback.take(key, limit)

    async def aclose(self) -> None:
        await self.client.aclose()


class EdgeLimiter:
    """Named limits over one set of buckets: ``await take("graphql", client, subject)``.
    Buckets are named by a BLAKE2b of the parts under ``secret`` (replicas sharing Redis share
    it; without one, a key of this process)."""

    def __init__(
        self, buckets: Buckets, limits: Mapping[str, Limit], secret: bytes | None = None
    ) -> None:
        self.buckets = buckets
        self.limits = dict(limits)
        secret = secret or secrets.token_bytes(32)
        self._key = hmac.new(secret, b"pmihub rate-bucket v1", hashlib.sha256).digest()

    async def take(self, kind: str, *parts: str) -> float:
        message = "\x00".join(parts).encode()
        digest = hashlib.blake2b(message, key=self._key, digest_size=16).hexdigest()
        return await self.buckets.take(f"{kind}:{digest}", self.limits[kind])

    async def aclose(self) -> None:
        await self.buckets.aclose()


class RefusalAudit:
    """Records rate refusals in the audit trail: the first refusal of a bucket, then at most
    one a ``every`` seconds (a flood must not become a flood of audit writes). ``record`` is
    async: the app's goes through the database seam (``hub.offload``)."""

    def __init__(
        self,
        record: Callable[[list[AccessEntry]], Awaitable[None]] | None,
        *,
        every: float = 60.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.record = record
        self.every, self.max_entries, self.clock = every, max_entries, clock
        self._last: OrderedDict[tuple[str, ...], float] = OrderedDict()

    async def refused(self, entry: AccessEntry, *key: str) -> None:
        now = self.clock()
        last = self._last.get(key)
        if self.record is None or (last is not None and now - last < self.every):
            return
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > self.max_entries:
            self._last.popitem(last=False)
        try:
            await self.record([entry])
        except AuditUnavailable:  # the request is refused anyway; nothing is returned
            log.error("audit trail unavailable: a rate refusal went unrecorded")


class OAuthLimit:
    """``/oauth/*`` and the login page: per address, then per client id (auth.routes)."""

    def __init__(self, limiter: EdgeLimiter, audit: RefusalAudit) -> None:
        self.limiter = limiter
        self.audit = audit

    async def admit(self, endpoint: str, address: str, client_id: str | None) -> float:
        wait = await self.limiter.take("oauth-address", address)
        kind = "oauth-address"
        if not wait and client_id:
            wait = await self.limiter.take("oauth-client", client_id)
            kind = "oauth-client"
        if wait:
            # the client id is only claimed here (not authenticated yet): recorded as such
            who = client_id if client_id and CLIENT_ID.fullmatch(client_id) else "unknown"
            entry = refusal_entry(who, "unauthenticated", f"oauth:{endpoint}:rateLimited:{kind}")
            await self.audit.refused(entry, kind, endpoint, address, who)
        return wait


def graphql_refusal(principal: Principal) -> AccessEntry:
    """The audit entry of a GraphQL request refused for its rate."""
    purpose = principal.purpose.value if principal.purpose is not None else None
    return refusal_entry(
        principal.client_id,
        principal.subject,
        "graphql:rateLimited",
        agency=principal.agency,
        purpose=purpose,
    )


def refusal_entry(
    client_id: str,
    subject: str,
    operation: str,
    *,
    agency: str | None = None,
    purpose: str | None = None,
    reason: str = "RATE_LIMITED",
) -> AccessEntry:
    return AccessEntry(
        reason=reason,
        client_id=client_id,
        subject=subject,
        operation=operation,
        request_id=request_id.get() or secrets.token_hex(8),
        agency=agency,
        purpose=purpose,
        outcome=Outcome.REFUSED,
    )


def build_limiter(settings: Settings) -> EdgeLimiter:
    """Redis buckets when ``HUB_REDIS_URL`` is set, else per-process ones."""
    environ = settings.environ
    graphql = Limit(settings.rate_limit_per_second, settings.rate_limit_burst)
    address = Limit(
        positive_number(environ, "HUB_AUTH_RATE_PER_SECOND", 2.0),
        int(positive_number(environ, "HUB_AUTH_RATE_BURST", 30)),
    )
    client = Limit(
        positive_number(environ, "HUB_AUTH_CLIENT_RATE_PER_SECOND", 10.0),
        int(positive_number(environ, "HUB_AUTH_CLIENT_RATE_BURST", 100)),
    )
    limits = {"graphql": graphql, "oauth-client": client, "oauth-address": address}
    url = environ.get("HUB_REDIS_URL")
    if not url:
        return EdgeLimiter(MemoryBuckets(), limits, settings.pseudonym_key)
    timeout = positive_number(environ, "HUB_REDIS_TIMEOUT", 0.25)
    prefix = environ.get("HUB_REDIS_PREFIX", DEFAULT_PREFIX)
    try:
        buckets = RedisBuckets.from_url(url, timeout=timeout, prefix=prefix)
    except ValueError as exc:
        raise SettingsError(f"HUB_REDIS_URL is not a Redis URL ({exc})") from None
    return EdgeLimiter(buckets, limits, settings.pseudonym_key)


__all__ = [
    "Buckets",
    "EdgeLimiter",
    "Limit",
    "MemoryBuckets",
    "OAuthLimit",
    "RedisBuckets",
    "RefusalAudit",
    "TokenBucket",
    "build_limiter",
    "graphql_refusal",
    "refusal_entry",
]
