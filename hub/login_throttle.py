"""The login throttle's counters in Redis, so every hub process throttles a guesser together.

Same rules as ``auth.throttle.LoginThrottle`` (which keeps them per process, and is the
fallback here): per address, a refusal after ``free`` failures for ``base * 2**(n - free)``
seconds; per user name, a hold, never a refusal, except for an address that has itself failed
and finds the name's queue full. Each step is one Lua script, atomic in Redis and timed by
Redis's clock; a counter is a hash (``count``, ``last``, ``next_slot``) that Redis forgets
``window`` seconds after its last failure.

Keys are ``HUB_REDIS_PREFIX`` + ``login:addr:`` / ``login:user:`` + an HMAC of the address or
user name under a key derived from ``HUB_PSEUDONYM_KEY``: Redis holds no user name or address,
nor a digest anyone could recompute from a list of names. When Redis fails the throttle uses
this process's memory for ``pause`` seconds (auth/ cannot import this: the hub passes it in).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.throttle import LoginThrottle
from hub.redis_client import redis_client
from hub.resilience.cache import DEFAULT_PREFIX
from hub.settings import Settings, SettingsError, positive_number

log = logging.getLogger("pmihub.login_throttle")
KEY_PURPOSE = b"pmihub login-throttle v1"
T = TypeVar("T")

_NOW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local function delay(count, free, base, cap)
  return math.min(cap, base * 2 ^ math.min(30, count - free))
end
"""

# KEYS[1] address; ARGV free, base, cap. The seconds the address must still wait.
REFUSED = (
    _NOW
    + """
local state = redis.call('HMGET', KEYS[1], 'count', 'last')
local count, last = tonumber(state[1]), tonumber(state[2])
local free = tonumber(ARGV[1])
if count == nil or last == nil or count < free then return '0' end
local wait = last + delay(count, free, tonumber(ARGV[2]), tonumber(ARGV[3])) - now
return tostring(math.max(0, wait))
"""
)

# KEYS[1] user, KEYS[2] address; ARGV free, base, hold_cap. Seconds to hold, or 'inf'.
HOLD = (
    _NOW
    + """
local free, cap = tonumber(ARGV[1]), tonumber(ARGV[3])
local user = redis.call('HMGET', KEYS[1], 'count', 'next_slot')
local count = tonumber(user[1])
if count == nil or count < free then return '0' end
local hold = delay(count, free, tonumber(ARGV[2]), cap)
local origin = tonumber(redis.call('HGET', KEYS[2], 'count'))
if origin == nil or origin < free then return tostring(hold) end
local slot = math.max(now, tonumber(user[2]) or 0)
if slot + hold - now > cap then return 'inf' end
redis.call('HSET', KEYS[1], 'next_slot', tostring(slot + hold))
return tostring(slot + hold - now)
"""
)

# KEYS address, user; ARGV window in milliseconds.
FAILED = (
    _NOW
    + """
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'count', 1)
  redis.call('HSET', key, 'last', tostring(now))
  redis.call('PEXPIRE', key, ARGV[1])
end
return 1
"""
)


class RedisLoginThrottle:
    def __init__(
        self,
        client: Redis,
        secret: bytes,
        *,
        prefix: str,
        fallback: LoginThrottle | None = None,
        pause: float = 5.0,
    ) -> None:
        self.client = client
        self.fallback = fallback or LoginThrottle()
        self.hold_cap = self.fallback.hold_cap
        self.prefix = prefix + "login:"
        self.pause = pause
        self._key = hmac.new(secret, KEY_PURPOSE, hashlib.sha256).digest()
        self._refused = client.register_script(REFUSED)
        self._hold = client.register_script(HOLD)
        self._failed = client.register_script(FAILED)
        self._paused_until = 0.0

    def _name(self, kind: str, value: str) -> str:
        digest = hmac.new(self._key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
        return f"{self.prefix}{kind}:{digest[:32]}"

    async def refused(self, address: str) -> float:
        f = self.fallback
        return await self._redis(
            lambda: self._refused(keys=[self._name("addr", address)], args=[f.free, f.base, f.cap]),
            lambda: f.refused(address),
        )

    async def hold(self, address: str, username: str) -> float:
        f = self.fallback
        keys = [self._name("user", username), self._name("addr", address)]
        return await self._redis(
            lambda: self._hold(keys=keys, args=[f.free, f.base, f.hold_cap]),
            lambda: f.hold(address, username),
        )

    async def failed(self, address: str, username: str) -> None:
        keys = [self._name("addr", address), self._name("user", username)]
        window = max(1, int(self.fallback.window * 1000))
        await self._redis(
            lambda: self._failed(keys=keys, args=[window]),
            lambda: self._none(self.fallback.failed(address, username)),
        )

    async def succeeded(self, address: str, username: str) -> None:
        keys = [self._name("addr", address), self._name("user", username)]
        await self._redis(
            lambda: self.client.delete(*keys),
            lambda: self._none(self.fallback.succeeded(address, username)),
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    @staticmethod
    async def _none(call: Awaitable[None]) -> float:
        await call
        return 0.0

    async def _redis(
        self, call: Callable[[], Awaitable[object]], fallback: Callable[[], Awaitable[float]]
    ) -> float:
        if time.monotonic() >= self._paused_until:
            try:
                answer = await call()
                return float(answer.decode() if isinstance(answer, bytes) else answer)  # type: ignore[arg-type]
            except (RedisError, OSError, ValueError) as exc:
                self._paused_until = time.monotonic() + self.pause
                log.warning(
                    "redis login throttle failed (%s); per-process counters for %.0f s",
                    type(exc).__name__,
                    self.pause,
                )
        return await fallback()


def build_login_throttle(settings: Settings) -> RedisLoginThrottle | None:
    """The shared throttle when ``HUB_REDIS_URL`` is set (None: auth/ keeps one per process)."""
    environ = settings.environ
    url = environ.get("HUB_REDIS_URL")
    if not url:
        return None
    timeout = positive_number(environ, "HUB_REDIS_TIMEOUT", 0.25)
    try:
        client = redis_client(url, timeout)
    except ValueError as exc:
        raise SettingsError(f"HUB_REDIS_URL is not a Redis URL ({exc})") from None
    prefix = environ.get("HUB_REDIS_PREFIX", DEFAULT_PREFIX)
    return RedisLoginThrottle(client, settings.pseudonym_key, prefix=prefix)


__all__ = ["RedisLoginThrottle", "build_login_throttle"]
