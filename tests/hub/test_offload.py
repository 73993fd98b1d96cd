"""The database seam: work runs off the event loop's thread, at most the pool's size at once."""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
import pytest

from hub.storage import make_engine
from hub.storage.offload import Offload, pool_capacity

pytestmark = pytest.mark.anyio


def test_the_capacity_is_the_engines_pool(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", pool_size=3, max_overflow=4)
    try:
        assert pool_capacity(engine) == 7
        assert Offload.for_engine(engine).capacity == 7
    finally:
        engine.dispose()


async def test_work_runs_in_another_thread_and_returns_its_answer() -> None:
    offload = Offload(2)
    loop_thread = threading.get_ident()
    thread, total = await offload(lambda a, b: (threading.get_ident(), a + b), 2, 3)
    assert thread != loop_thread
    assert total == 5


async def test_no_more_than_capacity_calls_run_at_once() -> None:
    offload = Offload(2)
    running, most = 0, 0
    lock = threading.Condition()
    release = threading.Event()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            lock.notify_all()
        release.wait(10)
        with lock:
            running -= 1

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(offload, work)

        def two_started() -> None:
            with lock:
                lock.wait_for(lambda: running >= 2, timeout=10)

        await anyio.to_thread.run_sync(two_started)  # anyio's own pool, not the seam's
        await anyio.sleep(0.05)  # room for a third to start, were the limit broken
        assert offload.limiter.statistics().tasks_waiting == 4
        release.set()
    assert most == 2


async def test_an_error_in_the_work_reaches_the_caller() -> None:
    def fail() -> None:
        raise LookupError("no such row")

    with pytest.raises(LookupError, match="no such row"):
        await Offload(1)(fail)
