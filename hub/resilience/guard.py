"""One agency's call guard: breaker, retry, rate-limit gate, bulkhead and deadline around each
upstream call, with its latency and outcome recorded.

Every failure leaves as a ``ConnectorError``: a deadline that runs out becomes
``AgencyTimeout``, and anything unexpected from a connector becomes ``BadResponse``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from opentelemetry import trace

from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BadResponse,
    ConnectorError,
    RecordNotFound,
)
from hub.observability.metrics import HubMetrics
from hub.resilience.breaker import BreakerState, CircuitBreaker, CircuitOpen
from hub.resilience.bulkhead import Bulkhead
from hub.resilience.deadline import DeadlineReached, remaining
from hub.resilience.latency import LatencyWindow
from hub.resilience.policy import ResiliencePolicy
from hub.resilience.retry import MIN_ATTEMPT, Sleep, retrying

T = TypeVar("T")
log = logging.getLogger("pmihub.resilience")


def breaker_verdict(exc: ConnectorError) -> bool | None:
    """Whether a call's error says the agency is failing (True), answering (False), or
    nothing about it (None: refused before any call, or rate limited)."""
    if isinstance(exc, CircuitOpen | DeadlineReached | AgencyRateLimited):
        return None
    if isinstance(exc, AgencyRejected | RecordNotFound):
        return False
    return isinstance(exc, AgencyUnavailable | BadResponse)


class CallGuard:
    def __init__(
        self,
        agency: str,
        policy: ResiliencePolicy,
        breaker: CircuitBreaker,
        metrics: HubMetrics,
        *,
        sleep: Sleep | None = None,
    ) -> None:
        self.agency = agency
        self.policy = policy
        self.breaker = breaker
        self.metrics = metrics
        self.bulkhead = Bulkhead(
            agency, policy.max_concurrent, lambda: metrics.shed_call(agency, "bulkhead")
        )
        self.latency = LatencyWindow()
        self._sleep: Sleep = sleep or asyncio.sleep
        self._not_before = 0.0  # monotonic time before which the agency asked not to be called

    def budget(self) -> float:
        """Seconds an upstream call may take now: the request's budget less the reserve."""
        return min(remaining() - self.policy.reserve, self.policy.call_timeout)

    async def call(self, method: str, fn: Callable[[], Awaitable[T]]) -> T:
        """Run one idempotent read of the agency under every protection."""
        try:
            trial = self.breaker.acquire()
        except CircuitOpen:
            self.metrics.shed_call(self.agency, "breaker")
            raise
        try:
            result = await self._with_retries(method, fn)
        except ConnectorError as exc:
            verdict = breaker_verdict(exc)
            if verdict is None:
                self.breaker.release(trial)
            elif verdict:
                self.breaker.record_failure(trial)
            else:
                self.breaker.record_success(trial)
            raise
        except BaseException:
            self.breaker.release(trial)
            raise
        self.breaker.record_success(trial)
        return result

    async def _with_retries(self, method: str, fn: Callable[[], Awaitable[T]]) -> T:
        attempts = 0

        async def attempt() -> T:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                self.metrics.retry(self.agency, method)
                if self.breaker.state is BreakerState.OPEN:
                    raise CircuitOpen(self.agency, "circuit opened while retrying")
            return await self._attempt(method, fn)

        try:
            return await retrying(self.policy, self.budget, sleep=self._sleep)(attempt)
        finally:
            trace.get_current_span().set_attribute("pmihub.attempts", attempts)

    async def _attempt(self, method: str, fn: Callable[[], Awaitable[T]]) -> T:
        await self._rate_gate()
        async with self.bulkhead.slot(self._left("waiting for a call slot")):
            budget = self._left("calling")
            started = time.perf_counter()
            outcome = "cancelled"
            try:
                async with asyncio.timeout(None if math.isinf(budget) else budget):
                    result = await fn()
                outcome = "ok"
                return result
            except TimeoutError:
                outcome = AgencyTimeout.code
                raise AgencyTimeout(self.agency, "no answer within the deadline") from None
            except ConnectorError as exc:
                outcome = exc.code
                if isinstance(exc, AgencyRateLimited) and exc.retry_after:
                    self._not_before = max(self._not_before, time.monotonic() + exc.retry_after)
                raise
            except Exception as exc:  # a connector broke its contract: keep the hub's
                outcome = BadResponse.code
                log.exception("connector %s failed unexpectedly in %s", self.agency, method)
                raise BadResponse(
                    self.agency, f"connector failed unexpectedly ({type(exc).__name__})"
                ) from exc
            finally:
                elapsed = time.perf_counter() - started
                if outcome != "cancelled":
                    self.latency.add(elapsed * 1000)
                    self.metrics.upstream(self.agency, method, outcome, elapsed)

    def _left(self, doing: str) -> float:
        budget = self.budget()
        if budget <= 0:
            raise DeadlineReached(self.agency, f"deadline reached before {doing}")
        return budget

    async def _rate_gate(self) -> None:
        """Wait out the agency's Retry-After when the budget allows, else fail at once."""
        wait = self._not_before - time.monotonic()
        if wait <= 0:
            return
        if wait + MIN_ATTEMPT > self.budget():
            self.metrics.shed_call(self.agency, "rate_limit")
            raise AgencyRateLimited(
                self.agency, "rate limited: the agency's Retry-After is not over", wait
            )
        await self._sleep(wait)


__all__ = ["CallGuard", "breaker_verdict"]
