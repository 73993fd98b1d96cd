"""The login throttle shared through Redis: the same rules as per process, across processes."""

from __future__ import annotations

import math

import pytest
from redis.asyncio import Redis

from hub.login_throttle import RedisLoginThrottle
from tests.hub.conftest import REDIS_URL

pytestmark = pytest.mark.anyio
ATTACKER, OFFICE, NAME = "203.0.113.66", "198.51.100.7", "petugas.kbri"
SECRET = b"login-throttle-test-secret"


def throttle(prefix: str, url: str = REDIS_URL) -> RedisLoginThrottle:
    client = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return RedisLoginThrottle(client, SECRET, prefix=prefix)


async def test_two_processes_count_one_addresss_failures_together(redis_prefix: str) -> None:
    first, second = throttle(redis_prefix), throttle(redis_prefix)
    try:
        for n in range(3):  # three failures, spread over both processes
            assert await (first, second)[n % 2].refused(ATTACKER) == 0
            await (first, second)[n % 2].failed(ATTACKER, NAME)
        refused_here, refused_there = await first.refused(ATTACKER), await second.refused(ATTACKER)
        elsewhere = await second.refused(OFFICE)
    finally:
        await first.aclose()
        await second.aclose()
    assert 0 < refused_here <= 1 and 0 < refused_there <= 1
    assert elsewhere == 0


async def test_the_officer_is_held_never_refused_and_a_success_clears(redis_prefix: str) -> None:
    first, second = throttle(redis_prefix), throttle(redis_prefix)
    try:
        for _ in range(6):
            await first.failed(ATTACKER, NAME)
        # the officer, at the other process, from a clean address: slowed, bounded
        hold = await second.hold(OFFICE, NAME)
        # the attacker's own address queues behind the name, then is refused
        queued = [await second.hold(ATTACKER, NAME) for _ in range(3)]
        await second.succeeded(OFFICE, NAME)
        after = await first.hold(OFFICE, NAME)
    finally:
        await first.aclose()
        await second.aclose()
    assert 0 < hold <= first.hold_cap and not math.isinf(hold)
    assert queued[0] == pytest.approx(first.hold_cap, abs=0.05)
    assert all(math.isinf(q) for q in queued[1:])
    assert after == 0


async def test_redis_holds_no_user_name_or_address(redis_prefix: str) -> None:
    shared = throttle(redis_prefix)
    try:
        await shared.failed(ATTACKER, NAME)
        keys = [k async for k in shared.client.scan_iter(match=redis_prefix + "*")]
        ttl = await shared.client.pttl(keys[0])
    finally:
        await shared.aclose()
    assert len(keys) == 2 and 0 < ttl <= 900_000
    assert not any(NAME.encode() in k or ATTACKER.encode() in k for k in keys)


async def test_an_unreachable_redis_throttles_per_process() -> None:
    local = throttle("unreachable:", "redis://127.0.0.1:1/0")
    try:
        for _ in range(3):
            await local.failed(ATTACKER, NAME)
        wait = await local.refused(ATTACKER)
    finally:
        await local.aclose()
    assert wait > 0
