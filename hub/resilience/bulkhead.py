"""A bulkhead per agency: at most ``max_concurrent`` upstream calls at once.

A call beyond the limit waits for a free slot, but only within its budget: one slow agency
cannot take every connection, task and second the hub has.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator, Callable

from hub.resilience.deadline import DeadlineReached


class BulkheadTimeout(DeadlineReached):
    """No slot freed within the budget; the agency was not called."""


class Bulkhead:
    def __init__(
        self, agency: str, max_concurrent: int, on_full: Callable[[], None] | None = None
    ) -> None:
        self.agency = agency
        self.on_full = on_full
        self.max_concurrent = max_concurrent
        self._slots = asyncio.Semaphore(max_concurrent)
        self.in_use = 0

    @contextlib.asynccontextmanager
    async def slot(self, budget: float) -> AsyncIterator[None]:
        if self._slots.locked():
            try:
                async with asyncio.timeout(None if math.isinf(budget) else budget):
                    await self._slots.acquire()
            except TimeoutError:
                if self.on_full is not None:
                    self.on_full()
                raise BulkheadTimeout(
                    self.agency, f"all {self.max_concurrent} call slots busy until the deadline"
                ) from None
        else:
            await self._slots.acquire()
        self.in_use += 1
        try:
            yield
        finally:
            self.in_use -= 1
            self._slots.release()


__all__ = ["Bulkhead", "BulkheadTimeout"]
