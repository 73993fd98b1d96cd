"""Run a resolver's coroutine at once: its value when it needs no waiting, else the rest.

graphql-core treats an awaitable field result as a pending field: a coroutine to complete it,
gathered with its siblings into tasks, resumed through the event loop. For a section whose
records a batch has already fetched (``hub.graphql.prefetch``) nothing needs waiting, yet the
``async def`` resolver still costs that machinery, 7,000 times for ``workers(ids: 1000)``.

``eager(coroutine)`` runs the coroutine's first step now, as ``asyncio.eager_task_factory``
does for tasks from Python 3.12: if it finishes without suspending, its value is returned and
graphql-core completes the field synchronously; if it suspends on a future, the returned
awaitable carries on from exactly there (it hands the future to whoever awaits it and resumes
the coroutine with what comes back), so nothing runs twice and nothing is lost. Exceptions
raised in the first step are raised here, where graphql-core locates them as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def eager(coroutine: Coroutine[Any, Any, T]) -> T | Continuation[T]:
    """The coroutine's value if it completes without waiting, else an awaitable of it."""
    try:
        waiting = coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    if isinstance(waiting, asyncio.Future):
        # Taken, as a task takes it: a future still flagged "being awaited" refuses the next
        # coroutine that awaits it ("await wasn't used with future"), and several sections
        # await one DataLoader future. The flag is raised again when the rest is awaited.
        waiting._asyncio_future_blocking = False
    return Continuation(coroutine, waiting)


class Continuation(Generic[T]):
    """The rest of a coroutine that suspended on ``waiting`` (awaitable once)."""

    __slots__ = ("_coroutine", "_waiting")

    def __init__(self, coroutine: Coroutine[Any, Any, T], waiting: Any) -> None:
        self._coroutine = coroutine
        self._waiting = waiting

    def __await__(self) -> Generator[Any, Any, T]:
        return self  # type: ignore[return-value]  # the generator protocol, by hand

    def __iter__(self) -> Continuation[T]:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        waiting = self._waiting
        if waiting is not None:  # the first step: hand over the future it suspended on
            self._waiting = None
            if not isinstance(waiting, asyncio.Future):
                return waiting  # a bare yield (asyncio.sleep(0)): the loop just resumes us
            if not waiting.done():
                waiting._asyncio_future_blocking = True  # as Future.__await__ yields it
                return waiting
            value = None  # it finished meanwhile: carry on at once
        try:
            return self._coroutine.send(value)
        except StopIteration as done:
            raise StopIteration(done.value) from None

    def throw(self, *args: Any) -> Any:
        self._waiting = None
        try:
            return self._coroutine.throw(*args)
        except StopIteration as done:
            raise StopIteration(done.value) from None

    def close(self) -> None:
        self._waiting = None
        self._coroutine.close()


class OneByOne(list):  # type: ignore[type-arg]
    """A batch's items, each completed in a turn of the event loop of its own.

    Items whose data is all here complete without waiting, so graphql-core would complete a
    whole batch in one callback: over a second for ``workers(ids: 1000)``, with every other
    request of the process waiting (the loop-stall test allows 20 ms). Handed over as
    awaitables, each item becomes a task of its own and the loop serves others between them;
    one task per worker, where there were seven or more. ``items`` keeps the plain list.
    """

    def __init__(self, items: list[Any]) -> None:
        super().__init__(_as_is(item) for item in items)
        self.items = items


async def _as_is(item: T) -> T:
    return item


__all__ = ["Continuation", "OneByOne", "eager"]
