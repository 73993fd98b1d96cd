"""The response cache: fresh for a TTL, then kept as a stale fallback for when a source fails.

``MemoryCache`` (cachetools' TLRU cache, per process) is the default; ``RedisCache`` (redis-py's
asyncio client, ``HUB_REDIS_URL``) lets replicas share entries. Both store one entry per
(agency, method, id), named by ``cache.key(agency, method, id)``: a keyed digest of the id,
never the id itself nor a digest anyone could recompute (it may be a NIK). Redis values are
sealed (hub/resilience/cache_secrets.py). A cache that fails, or an entry that does not open,
is a miss, never an error: the agency is asked instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from cachetools import TLRUCache
from redis.asyncio import Redis
from redis.exceptions import RedisError

from hub.redis_client import redis_client
from hub.resilience.cache_secrets import CacheSecrets, UnsealError
from hub.resilience.codec import CacheValue, CodecError, decode, encode
from hub.settings import SettingsError, positive_number, pseudonym_key

log = logging.getLogger("pmihub.resilience")

DEFAULT_PREFIX = "pmihub:cache:v1:"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    value: CacheValue
    fresh_until: float  # wall-clock seconds (time.time), shared by replicas

    def fresh(self, now: float) -> bool:
        return now < self.fresh_until


@runtime_checkable
class ResponseCache(Protocol):
    """Where ResilientConnector keeps answers. ``keep_for`` >= ``fresh_for`` is the lifetime."""

    def key(self, agency: str, method: str, ident: str) -> str:
        """The entry's name: a keyed digest of the id, never the id."""
        ...

    async def get_many(self, keys: Sequence[str]) -> dict[str, CacheEntry]: ...

    async def put_many(
        self, items: Mapping[str, CacheValue], fresh_for: float, keep_for: float
    ) -> None: ...

    async def aclose(self) -> None: ...


class MemoryCache:
    """Entries in this process's memory, values as they are: the process holds the agencies'
    answers in clear while it serves them anyway, and nothing here outlives it, so sealing
    would cost CPU on every hit and protect nothing. Names are keyed all the same, under a
    key of this process (an in-process cache need not be found again after a restart)."""

    def __init__(
        self,
        maxsize: int = 100_000,
        clock: Callable[[], float] = time.time,
        secrets: CacheSecrets | None = None,
    ) -> None:
        self.clock = clock
        self.secrets = secrets or CacheSecrets.random()
        self._items: TLRUCache[str, tuple[CacheEntry, float]] = TLRUCache(
            maxsize, ttu=lambda _key, item, _now: item[1], timer=clock
        )

    async def get_many(self, keys: Sequence[str]) -> dict[str, CacheEntry]:
        found: dict[str, CacheEntry] = {}
        for key in keys:
            item = self._items.get(key)
            if item is not None:
                found[key] = item[0]
        return found

    def key(self, agency: str, method: str, ident: str) -> str:
        return self.secrets.name(agency, method, ident)

    async def put_many(
        self, items: Mapping[str, CacheValue], fresh_for: float, keep_for: float
    ) -> None:
        if keep_for <= 0:
            return
        now = self.clock()
        for key, value in items.items():
            self._items[key] = (CacheEntry(value, now + fresh_for), now + keep_for)

    async def aclose(self) -> None:
        return None


class RedisCache:
    """Entries as JSON (hub.resilience.codec) sealed under ``secrets`` (AES-GCM, bound to the
    entry's name), with Redis expiry at the end of the stale window.

    After a Redis failure the cache stays out of the way for ``pause`` seconds, so an outage
    costs one connect timeout now and then, not one per request.
    """

    def __init__(
        self,
        client: Redis,
        *,
        secrets: CacheSecrets,
        prefix: str = DEFAULT_PREFIX,
        pause: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.secrets = secrets
        self.prefix = prefix
        self.pause = pause
        self.clock = clock
        self._paused_until = 0.0

    @classmethod
    def from_url(
        cls, url: str, *, secret: bytes, timeout: float = 0.25, **kwargs: Any
    ) -> RedisCache:
        return cls(redis_client(url, timeout), secrets=CacheSecrets(secret), **kwargs)

    def key(self, agency: str, method: str, ident: str) -> str:
        return self.secrets.name(agency, method, ident)

    async def get_many(self, keys: Sequence[str]) -> dict[str, CacheEntry]:
        if not keys or self._paused():
            return {}
        try:
            raw = await self.client.mget([self.prefix + k for k in keys])
        except (RedisError, OSError) as exc:
            self._failed("read", exc)
            return {}
        found: dict[str, CacheEntry] = {}
        for key, blob in zip(keys, raw, strict=True):
            if blob is None:
                continue
            try:
                value, fresh_until = decode(self.secrets.open(key, blob))
            except (UnsealError, CodecError) as exc:
                log.warning("cache entry unreadable, ignored: %s", exc)
                continue
            found[key] = CacheEntry(value, fresh_until)
        return found

    async def put_many(
        self, items: Mapping[str, CacheValue], fresh_for: float, keep_for: float
    ) -> None:
        if not items or keep_for <= 0 or self._paused():
            return
        fresh_until = self.clock() + fresh_for
        lifetime = max(1, int(keep_for * 1000))
        blobs: dict[str, bytes] = {}
        for key, value in items.items():
            try:
                blobs[self.prefix + key] = self.secrets.seal(key, encode(value, fresh_until))
            except CodecError as exc:
                log.warning("cache entry not written: %s", exc)
        try:
            async with self.client.pipeline(transaction=False) as pipe:
                for key, blob in blobs.items():
                    pipe.set(key, blob, px=lifetime)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("write", exc)

    async def aclose(self) -> None:
        await self.client.aclose()

    def _paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _failed(self, what: str, exc: BaseException) -> None:
        self._paused_until = time.monotonic() + self.pause
        log.warning(
            "redis cache %s failed (%s); cache bypassed for %.0f s",
            what,
            type(exc).__name__,
            self.pause,
        )


def cache_from_environ(environ: Mapping[str, str], secret: bytes | None = None) -> ResponseCache:
    """``RedisCache`` when ``HUB_REDIS_URL`` is set, else a ``MemoryCache``. Redis entries are
    keyed and sealed under ``secret`` (the hub passes ``HUB_PSEUDONYM_KEY``; read from
    ``environ`` when not given), so replicas sharing the secret share the entries."""
    url = environ.get("HUB_REDIS_URL")
    if url:
        timeout = positive_number(environ, "HUB_REDIS_TIMEOUT", 0.25)
        prefix = environ.get("HUB_REDIS_PREFIX", DEFAULT_PREFIX)
        secret = secret or pseudonym_key(environ)
        try:
            return RedisCache.from_url(url, secret=secret, timeout=timeout, prefix=prefix)
        except ValueError as exc:
            raise SettingsError(f"HUB_REDIS_URL is not a Redis URL ({exc})") from None
    return MemoryCache(int(positive_number(environ, "HUB_RESILIENCE_CACHE_MAX_ENTRIES", 100_000)))


__all__ = [
    "DEFAULT_PREFIX",
    "CacheEntry",
    "MemoryCache",
    "RedisCache",
    "ResponseCache",
    "cache_from_environ",
]
