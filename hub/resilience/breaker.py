"""A circuit breaker per agency: closed, open, half-open.

Closed lets every call through and counts consecutive failed calls; ``failures`` of them open
it. Open refuses calls at once (``CircuitOpen``, without asking the agency) for ``recovery``
seconds, then turns half-open: up to ``half_open_calls`` trial calls go through; a trial that
succeeds closes the breaker, one that fails opens it again. State is per process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum

from connectors.kit.errors import AgencyUnavailable

log = logging.getLogger("pmihub.resilience")


class BreakerState(StrEnum):
    CLOSED = "closed"
    HALF_OPEN = "half_open"
    OPEN = "open"

    @property
    def level(self) -> int:
        """0 closed, 1 half-open, 2 open: the value of the metrics gauge."""
        return (BreakerState.CLOSED, BreakerState.HALF_OPEN, BreakerState.OPEN).index(self)


class CircuitOpen(AgencyUnavailable):
    """The breaker refused the call: the agency failed recently and is left to recover."""


class CircuitBreaker:
    def __init__(
        self,
        agency: str,
        *,
        failures: int = 5,
        recovery: float = 10.0,
        half_open_calls: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.agency = agency
        self.failures = failures
        self.recovery = recovery
        self.half_open_calls = half_open_calls
        self.clock = clock
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._opened_at = 0.0
        self._trials = 0

    @property
    def state(self) -> BreakerState:
        if self._state is BreakerState.OPEN and self.clock() >= self._opened_at + self.recovery:
            self._move(BreakerState.HALF_OPEN)
        return self._state

    @property
    def retry_in(self) -> float:
        """Seconds until an open breaker lets a trial through (0 when not open)."""
        if self.state is not BreakerState.OPEN:
            return 0.0
        return max(0.0, self._opened_at + self.recovery - self.clock())

    def acquire(self) -> bool:
        """Admit a call or raise ``CircuitOpen``; True when the call is a half-open trial."""
        state = self.state
        if state is BreakerState.CLOSED:
            return False
        if state is BreakerState.HALF_OPEN and self._trials < self.half_open_calls:
            self._trials += 1
            return True
        raise CircuitOpen(self.agency, f"circuit open, retry in {self.retry_in:.1f} s")

    def record_success(self, trial: bool) -> None:
        if trial:
            self._move(BreakerState.CLOSED)
        elif self._state is BreakerState.CLOSED:
            self._consecutive = 0

    def record_failure(self, trial: bool) -> None:
        if trial or self._state is BreakerState.HALF_OPEN:
            self._move(BreakerState.OPEN)
        elif self._state is BreakerState.CLOSED:
            self._consecutive += 1
            if self._consecutive >= self.failures:
                self._move(BreakerState.OPEN)

    def release(self, trial: bool) -> None:
        """End a call that says nothing about the agency's health (it was cancelled)."""
        if trial and self._state is BreakerState.HALF_OPEN:
            self._trials = max(0, self._trials - 1)

    def _move(self, state: BreakerState) -> None:
        if state is BreakerState.OPEN:
            self._opened_at = self.clock()
        if state is not self._state:
            level = logging.WARNING if state is BreakerState.OPEN else logging.INFO
            log.log(level, "breaker %s: %s -> %s", self.agency, self._state, state)
        self._state = state
        self._consecutive = 0
        self._trials = 0


__all__ = ["BreakerState", "CircuitBreaker", "CircuitOpen"]
