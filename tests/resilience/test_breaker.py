"""The circuit breaker's states and transitions, on a clock the test moves."""

from __future__ import annotations

import pytest

from connectors.kit.errors import AgencyUnavailable
from hub.resilience.breaker import BreakerState, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def breaker(clock: Clock, **kwargs: int | float) -> CircuitBreaker:
    settings = {"failures": 3, "recovery": 10.0, "half_open_calls": 1, **kwargs}
    return CircuitBreaker("P2MI", clock=clock, **settings)  # type: ignore[arg-type]


def fail(b: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        b.record_failure(b.acquire())


def test_opens_after_the_threshold_of_consecutive_failures(clock: Clock) -> None:
    # given a closed breaker with threshold 3
    b = breaker(clock)
    # when two calls fail, one succeeds, then three fail
    fail(b, 2)
    b.record_success(b.acquire())
    assert b.state is BreakerState.CLOSED
    fail(b, 3)
    # then only the unbroken run of three opened it
    assert b.state is BreakerState.OPEN


def test_open_refuses_calls_with_a_typed_unavailable_error(clock: Clock) -> None:
    b = breaker(clock)
    fail(b, 3)
    with pytest.raises(CircuitOpen) as raised:
        b.acquire()
    assert isinstance(raised.value, AgencyUnavailable)
    assert raised.value.code == "SOURCE_UNAVAILABLE" and raised.value.agency == "P2MI"
    assert "circuit open" in raised.value.message
    assert b.retry_in == pytest.approx(10.0)


def test_half_open_after_recovery_admits_limited_trials_and_closes_on_success(
    clock: Clock,
) -> None:
    # given an open breaker allowing two trials
    b = breaker(clock, half_open_calls=2)
    fail(b, 3)
    # when the recovery time passes
    clock.now += 10.0
    assert b.state is BreakerState.HALF_OPEN
    # then two trials are admitted, a third is refused
    first, second = b.acquire(), b.acquire()
    assert first and second
    with pytest.raises(CircuitOpen):
        b.acquire()
    # and a successful trial closes it
    b.record_success(first)
    assert b.state is BreakerState.CLOSED
    assert b.acquire() is False


def test_a_failed_trial_opens_again_for_a_full_recovery_period(clock: Clock) -> None:
    b = breaker(clock)
    fail(b, 3)
    clock.now += 10.0
    trial = b.acquire()
    clock.now += 1.0
    b.record_failure(trial)
    assert b.state is BreakerState.OPEN
    clock.now += 9.5
    assert b.state is BreakerState.OPEN
    clock.now += 0.5
    assert b.state is BreakerState.HALF_OPEN


def test_a_cancelled_trial_frees_its_place(clock: Clock) -> None:
    b = breaker(clock)
    fail(b, 3)
    clock.now += 10.0
    b.release(b.acquire())
    assert b.acquire() is True  # the freed place goes to the next trial


def test_state_levels_for_the_gauge() -> None:
    assert [s.level for s in (BreakerState.CLOSED, BreakerState.HALF_OPEN, BreakerState.OPEN)] == [
        0,
        1,
        2,
    ]
