"""``eager``: a coroutine's value at once when nothing needs waiting, else the exact rest."""

from __future__ import annotations

import asyncio

import pytest

from hub.graphql.eager import Continuation, eager


async def _add(first: asyncio.Future[int], second: asyncio.Future[int]) -> int:
    return await first + await second


def test_a_coroutine_that_needs_no_waiting_gives_its_value_at_once() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        one, two = loop.create_future(), loop.create_future()
        one.set_result(1)
        two.set_result(2)
        assert eager(_add(one, two)) == 3

    asyncio.run(main())


def test_a_coroutine_that_waits_carries_on_from_where_it_stopped() -> None:
    steps: list[str] = []

    async def counted(future: asyncio.Future[int]) -> int:
        steps.append("before")
        value = await future
        steps.append("after")
        return value * 10

    async def main() -> None:
        future = asyncio.get_running_loop().create_future()
        pending = eager(counted(future))
        assert isinstance(pending, Continuation) and steps == ["before"]
        asyncio.get_running_loop().call_later(0.01, future.set_result, 4)
        assert await pending == 40
        assert steps == ["before", "after"]  # nothing ran twice

    asyncio.run(main())


def test_many_coroutines_waiting_on_one_future_each_resume_in_its_own_task() -> None:
    # two sections of one worker awaiting the same DataLoader future, then gathered
    async def main() -> None:
        loop = asyncio.get_running_loop()
        shared, other = loop.create_future(), loop.create_future()
        pending = [eager(_add(shared, other)) for _ in range(3)]
        waiting = asyncio.gather(*(_awaited(p) for p in pending))
        loop.call_soon(shared.set_result, 1)
        loop.call_later(0.01, other.set_result, 2)
        assert await waiting == [3, 3, 3]

    asyncio.run(main())


def test_a_future_finished_before_the_rest_is_awaited_is_not_waited_for() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        first, second = loop.create_future(), loop.create_future()
        pending = eager(_add(first, second))
        first.set_result(5)
        second.set_result(6)
        assert await _awaited(pending) == 11

    asyncio.run(main())


def test_errors_surface_where_they_happen() -> None:
    async def fails_at_once() -> int:
        raise ValueError("now")

    async def fails_later(future: asyncio.Future[int]) -> int:
        await future
        raise KeyError("later")

    async def main() -> None:
        with pytest.raises(ValueError, match="now"):
            eager(fails_at_once())
        future = asyncio.get_running_loop().create_future()
        pending = eager(fails_later(future))
        future.set_result(1)
        with pytest.raises(KeyError, match="later"):
            await _awaited(pending)
        broken = asyncio.get_running_loop().create_future()
        pending = eager(_add(broken, broken))
        broken.set_exception(LookupError("upstream"))
        with pytest.raises(LookupError, match="upstream"):
            await _awaited(pending)

    asyncio.run(main())


def test_a_cancelled_wait_cancels_the_coroutine() -> None:
    async def main() -> None:
        future = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(_awaited(eager(_add(future, future))))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


async def _awaited(value: object) -> object:
    return await value  # type: ignore[misc]  # a Continuation, in a task as graphql-core does
