"""Retries for idempotent reads: exponential backoff with full jitter, Retry-After honoured,
never sleeping past the request's deadline.

Only a transient failure is retried (``AgencyUnavailable``, ``AgencyTimeout``,
``AgencyRateLimited``); a refusal, an unreadable answer or a missing record is not, and neither
is a call the breaker refused. When the next sleep would leave too little of the budget for
another attempt, the last error is raised at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from connectors.kit.errors import AgencyRateLimited, AgencyUnavailable
from hub.resilience.breaker import CircuitOpen
from hub.resilience.deadline import DeadlineReached
from hub.resilience.policy import ResiliencePolicy

MIN_ATTEMPT = 0.02  # seconds: no attempt starts with less budget than this

Sleep = Callable[[float], Awaitable[None]]


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, AgencyUnavailable) and not isinstance(exc, CircuitOpen | DeadlineReached)


def retrying(
    policy: ResiliencePolicy,
    budget: Callable[[], float],
    *,
    sleep: Sleep | None = None,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> AsyncRetrying:
    """An ``AsyncRetrying`` for one call; ``budget()`` is the time left for upstream calls."""
    jitter = wait_random_exponential(multiplier=policy.retry_base, max=policy.retry_max_wait)

    def wait(state: RetryCallState) -> float:
        delay = jitter(state)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, AgencyRateLimited) and exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        return delay

    def out_of_budget(state: RetryCallState) -> bool:
        return state.upcoming_sleep + MIN_ATTEMPT > budget()

    kwargs = {"sleep": sleep} if sleep is not None else {}
    return AsyncRetrying(
        stop=stop_after_attempt(policy.retry_attempts) | out_of_budget,
        wait=wait,
        retry=retry_if_exception(is_transient),
        before_sleep=before_sleep,
        reraise=True,
        **kwargs,  # type: ignore[arg-type]
    )


__all__ = ["MIN_ATTEMPT", "is_transient", "retrying"]
