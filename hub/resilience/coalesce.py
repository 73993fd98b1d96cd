"""Coalescing: identical lookups in flight at the same time share one upstream call.

The first caller starts the call as a task (which inherits its deadline); later callers with
the same key await that task. A caller that gives up does not cancel the others' call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Coalescer(Generic[T]):
    def __init__(self) -> None:
        self._flights: dict[Hashable, asyncio.Task[T]] = {}

    def __len__(self) -> int:
        return len(self._flights)

    async def run(
        self,
        key: Hashable,
        start: Callable[[], Awaitable[T]],
        on_join: Callable[[], None] | None = None,
    ) -> T:
        task = self._flights.get(key)
        if task is None:
            task = asyncio.ensure_future(start())
            self._flights[key] = task
            task.add_done_callback(lambda done: self._landed(key, done))
        elif on_join is not None:
            on_join()
        return await asyncio.shield(task)

    def _landed(self, key: Hashable, task: asyncio.Task[T]) -> None:
        if self._flights.get(key) is task:
            del self._flights[key]
        if not task.cancelled():
            task.exception()  # retrieved: nobody may be left waiting for it


__all__ = ["Coalescer"]
