"""The login throttle slows guessing per address and per name, and never locks the officer out."""

from __future__ import annotations

import math

import pytest

from auth.throttle import LoginThrottle
from tests.auth._support import FakeClock

ATTACKER, OFFICE = "203.0.113.66", "198.51.100.7"


def throttle(clock: FakeClock, **kw: float) -> LoginThrottle:
    return LoginThrottle(clock=clock, **kw)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_an_address_that_keeps_failing_waits_longer_each_time() -> None:
    clock = FakeClock()
    t = throttle(clock)
    waits = []
    for _ in range(6):
        assert await t.refused(ATTACKER) == 0
        await t.failed(ATTACKER, f"name-{len(waits)}")
        waits.append(await t.refused(ATTACKER))
        clock.advance(waits[-1])
    assert waits == [0, 0, 1, 2, 4, 8]


@pytest.mark.anyio
async def test_failures_from_elsewhere_slow_the_officer_but_never_refuse_them() -> None:
    clock = FakeClock()
    t = throttle(clock)
    # given an attacker who has failed 50 times on the officer's name
    for _ in range(50):
        await t.failed(ATTACKER, "petugas.kbri")
        clock.advance(await t.refused(ATTACKER))
    # when the officer tries from their office
    # then they are not refused, only held a bounded time
    assert await t.refused(OFFICE) == 0
    hold = await t.hold(OFFICE, "petugas.kbri")
    assert 0 < hold <= t.hold_cap and not math.isinf(hold)
    await t.succeeded(OFFICE, "petugas.kbri")
    assert await t.hold(OFFICE, "petugas.kbri") == 0


@pytest.mark.anyio
async def test_a_failing_address_queues_behind_the_name_and_is_refused_when_the_queue_is_full() -> (
    None
):
    clock = FakeClock()
    t = throttle(clock, hold_cap=8)
    for _ in range(6):
        await t.failed(ATTACKER, "petugas.kbri")
    holds = [await t.hold(ATTACKER, "petugas.kbri") for _ in range(4)]
    assert holds[0] == 8 and all(math.isinf(h) for h in holds[1:])


@pytest.mark.anyio
async def test_spraying_many_names_does_not_reset_the_victims_counter() -> None:
    clock = FakeClock()
    t = throttle(clock, max_entries=100)
    for _ in range(5):
        await t.failed(ATTACKER, "petugas.kbri")
    held = await t.hold(OFFICE, "petugas.kbri")
    # when a botnet sprays far more names than the table holds, each from its own address
    for n in range(1000):
        await t.failed(f"10.9.{n // 256}.{n % 256}", f"junk-{n}")
        if n % 50 == 0:
            await t.failed(ATTACKER, "petugas.kbri")  # the victim's entry keeps being refreshed
    # then memory stays bounded and the victim is still slowed (not reset)
    assert len(t._users) <= 100 and len(t._addresses) <= 100
    assert await t.hold(OFFICE, "petugas.kbri") >= held


@pytest.mark.anyio
async def test_failures_are_forgotten_after_the_window() -> None:
    clock = FakeClock()
    t = throttle(clock, window=900)
    for _ in range(5):
        await t.failed(ATTACKER, "petugas.kbri")
    clock.advance(901)
    assert await t.refused(ATTACKER) == 0 and await t.hold(OFFICE, "petugas.kbri") == 0
