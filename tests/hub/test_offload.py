"""The database seam: work runs off the event loop's thread, at most the pool's size at once."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path

import anyio
import pytest
from sqlalchemy import event, text

from hub.storage import make_engine
from hub.storage.offload import Offload, pool_capacity
from tests.databases import throwaway_postgres

pytestmark = pytest.mark.anyio


def test_the_capacity_is_the_engines_pool(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", pool_size=3, max_overflow=4)
    try:
        assert pool_capacity(engine) == 7
        assert Offload.for_engine(engine).capacity == 7
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
async def test_the_pool_keeps_its_connections(backend: str, tmp_path: Path) -> None:
    # given an engine whose every connection the seam has had busy at once
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'hub.db'}"
        else:
            url = stack.enter_context(throwaway_postgres())
        engine = make_engine(url)
        stack.callback(engine.dispose)
        offload = Offload.for_engine(engine)
        opened: list[object] = []
        event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
        together = threading.Barrier(offload.capacity, timeout=10)

        def query() -> None:
            with engine.connect() as connection:
                together.wait()  # every call holds a connection at the same time
                connection.execute(text("SELECT 1"))

        async def rounds(n: int) -> None:
            for _ in range(n):
                async with anyio.create_task_group() as group:
                    for _ in range(offload.capacity):
                        group.start_soon(offload, query)

        await rounds(1)
        assert len(opened) == offload.capacity
        # when the same load comes again
        await rounds(3)
        # then no connection was opened anew
        assert len(opened) == offload.capacity


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
