"""The hub's edge rate limits: token buckets per key, in memory or shared through Redis."""

from __future__ import annotations

import hashlib

import pytest

from hub.audit import AccessEntry
from hub.ratelimit import EdgeLimiter, Limit, MemoryBuckets, RedisBuckets, RefusalAudit
from tests.auth._support import FakeClock
from tests.hub.conftest import REDIS_URL

pytestmark = pytest.mark.anyio
SLOW = Limit(rate=1.0, burst=3)


async def test_a_memory_bucket_allows_its_burst_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    buckets = MemoryBuckets(clock=clock)
    answers = [await buckets.take("k", SLOW) for _ in range(4)]
    assert answers[:3] == [0, 0, 0] and answers[3] == pytest.approx(1.0)
    clock.advance(1)
    assert await buckets.take("k", SLOW) == 0


async def test_buckets_are_per_key_and_bounded() -> None:
    limiter = EdgeLimiter(MemoryBuckets(max_entries=10), {"graphql": SLOW})
    for _ in range(3):
        await limiter.take("graphql", "console-frontend", "wk_self_flood")
    assert await limiter.take("graphql", "console-frontend", "wk_self_flood") > 0
    assert await limiter.take("graphql", "console-frontend", "petugas.kbri") == 0
    for n in range(100):
        await limiter.take("graphql", "c", str(n))
    assert len(limiter.buckets._buckets) == 10  # type: ignore[attr-defined]


async def test_bucket_names_are_keyed_and_shared_under_one_secret() -> None:
    buckets = MemoryBuckets()
    first, second = (EdgeLimiter(buckets, {"graphql": SLOW}, b"replica-secret") for _ in "12")
    for n in range(3):
        assert await (first, second)[n % 2].take("graphql", "console-frontend", "petugas") == 0
    assert await second.take("graphql", "console-frontend", "petugas") > 0
    unkeyed = hashlib.blake2b(b"console-frontend\x00petugas", digest_size=16).hexdigest()
    assert all(unkeyed not in name and "petugas" not in name for name in buckets._buckets)


async def test_two_redis_limiters_share_one_bucket(redis_prefix: str) -> None:
    first = RedisBuckets.from_url(REDIS_URL, prefix=redis_prefix)
    second = RedisBuckets.from_url(REDIS_URL, prefix=redis_prefix)
    try:
        answers = [await (first, second)[n % 2].take("shared", SLOW) for n in range(4)]
        other = await second.take("other", SLOW)
    finally:
        await first.aclose()
        await second.aclose()
    assert answers[:3] == [0, 0, 0] and 0 < answers[3] <= 1.0
    assert other == 0


async def test_an_unreachable_redis_falls_back_to_memory() -> None:
    buckets = RedisBuckets.from_url("redis://127.0.0.1:1/0", timeout=0.2)
    try:
        answers = [await buckets.take("k", SLOW) for _ in range(4)]
    finally:
        await buckets.aclose()
    assert answers[:3] == [0, 0, 0] and answers[3] > 0  # still limited, per process


async def test_refusals_are_audited_once_a_minute_per_bucket() -> None:
    recorded: list[list[AccessEntry]] = []
    clock = FakeClock()

    async def record(entries: list[AccessEntry]) -> None:
        recorded.append(entries)

    audit = RefusalAudit(record, every=60, clock=clock)
    entry = AccessEntry("console-frontend", "wk_1", "graphql:rateLimited", "r1")
    for _ in range(100):
        await audit.refused(entry, "graphql", "console-frontend", "wk_1")
    clock.advance(61)
    await audit.refused(entry, "graphql", "console-frontend", "wk_1")
    assert len(recorded) == 2
