"""Fixtures for the resilience tests: a fresh metrics registry, a recording sleep, a factory
of resilient connectors over fakes, and a Redis namespace of their own."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from hub.observability.metrics import HubMetrics
from hub.resilience import ResiliencePolicy, ResilientConnector
from hub.resilience.cache import MemoryCache, RedisCache
from tests.resilience.fakes import Sleeps

REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = b"resilience-test-cache-secret"


@pytest.fixture
def metrics() -> HubMetrics:
    return HubMetrics()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def wrap(metrics: HubMetrics, sleeps: Sleeps) -> Callable[..., ResilientConnector]:
    """``wrap(fake, cache=None, sleep=sleeps, **policy)``: fast retries unless told otherwise."""

    def make(inner: Any, cache: Any = None, sleep: Any = sleeps, **policy: Any) -> Any:
        settings = {"retry_base": 0.001, "retry_max_wait": 0.004, **policy}
        return ResilientConnector(
            inner,
            ResiliencePolicy(**settings),
            cache if cache is not None else MemoryCache(),
            metrics=metrics,
            sleep=sleep,
        )

    return make


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The test Redis, or a skip (a failure in CI, where it must answer)."""
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must answer in CI at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")
    await client.aclose()
    yield REDIS_URL


@pytest.fixture
async def make_redis_cache(redis_url: str) -> AsyncIterator[Callable[..., RedisCache]]:
    """Caches on one namespace of their own (as two hub replicas would share one), keyed and
    sealed under ``secret`` (one test secret unless told otherwise)."""
    prefix = f"pmihub-test:{uuid.uuid4().hex}:"
    made: list[RedisCache] = []

    def make(secret: bytes = SECRET) -> RedisCache:
        made.append(RedisCache.from_url(redis_url, secret=secret, prefix=prefix, timeout=1.0))
        return made[-1]

    yield make
    if made:
        keys = [k async for k in made[0].client.scan_iter(match=prefix + "*")]
        if keys:
            await made[0].client.delete(*keys)
    for cache in made:
        await cache.aclose()
