"""A loop-stall detector for tests: ``with LoopWatch().watching() as watch: ...``.

Two checks, both strict and both blind to how loaded the machine is:

- **Database work on an event loop.** Every SQL statement and every connection checkout made
  on a thread that is running an event loop is recorded, however fast (SQLAlchemy events).
  A PostgreSQL round trip on the loop stalls every other request whether it takes 0.3 ms or
  the 30 s of a SQLite busy timeout; a timer alone would only see the slow ones.
- **Slow callbacks.** Every callback the watched loop runs (a task step, a timer, an I/O
  callback) is measured by what it does itself, not by its wall time:
  *computing*, the loop thread's CPU time during the callback less the time the garbage
  collector ran; and *blocked*, the time a sampling thread found the loop thread inside a
  blocking system call (``/proc/self/task/<tid>/syscall``: a socket read, a sleep, a file
  lock, a SQLite busy wait), sampled every 2.5 ms, each sample crediting at most two
  intervals. Either one over 20 ms is a stall.
  Neither counts what a loaded machine adds: a callback preempted by another process is not
  computing, and a thread waiting for the GIL (behind the in-process sandboxes' threads, or
  a full garbage collection of this test process's large heap, 100-200 ms) waits in a futex,
  which is not a blocking call. So the check does not flake on a busy 2-core runner, and a
  slow machine can only make it miss a stall (fewer samples), never invent one.

asyncio's own debug mode (``slow_callback_duration``) measures the same callbacks by wall
time, which on a loaded runner blames the callback for the scheduler's and the GIL's delays;
it also slows every coroutine down, so it is not used here.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

THRESHOLD = 0.020
PROJECT = ("/hub/", "/auth/", "/connectors/", "/schema/")
FUTEX = {"x86_64": 202, "aarch64": 98}


@dataclass(frozen=True)
class Stall:
    callback: str
    cpu_ms: float
    blocked_ms: float
    wall_ms: float
    stack: str = ""  # where the loop thread was blocked


@dataclass
class LoopWatch:
    threshold: float = THRESHOLD
    stalls: list[Stall] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    callbacks: int = 0

    @contextlib.contextmanager
    def watching(self) -> Iterator[LoopWatch]:
        """Watch the loop the caller's thread runs (enter it inside the running loop)."""
        thread = threading.get_ident()
        original = asyncio.events.Handle._run
        watch = self
        sampler = _Sampler(thread, threading.get_native_id(), self.threshold / 8)
        collecting = _GcClock()

        def timed(handle: asyncio.Handle) -> None:
            if threading.get_ident() != thread:
                return original(handle)
            watch.callbacks += 1
            collected, cpu, started = collecting.total, time.thread_time(), time.perf_counter()
            sampler.begin()
            try:
                return original(handle)
            finally:
                blocked, stack = sampler.end()
                computing = time.thread_time() - cpu - (collecting.total - collected)
                if computing > watch.threshold or blocked > watch.threshold:
                    wall = time.perf_counter() - started
                    watch.stalls.append(
                        Stall(_describe(handle), computing * 1e3, blocked * 1e3, wall * 1e3, stack)
                    )

        def on_loop(*_: Any) -> None:
            if asyncio._get_running_loop() is not None:
                watch.blocking.append(_where())

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]
        sampler.start()
        gc.callbacks.append(collecting)
        event.listen(Engine, "before_cursor_execute", on_loop)
        event.listen(Pool, "checkout", on_loop)
        try:
            yield self
        finally:
            asyncio.events.Handle._run = original  # type: ignore[method-assign]
            sampler.finish()
            gc.callbacks.remove(collecting)
            event.remove(Engine, "before_cursor_execute", on_loop)
            event.remove(Pool, "checkout", on_loop)

    def report(self) -> str:
        lines = [f"database work on the event loop at {where}" for where in self.blocking[:5]]
        lines += [
            f"loop stall: computing {s.cpu_ms:.1f} ms, blocked {s.blocked_ms:.1f} ms "
            f"(wall {s.wall_ms:.1f} ms) in {s.callback}\n{s.stack}"
            for s in self.stalls[:5]
        ]
        return "\n".join(lines)


class _GcClock:
    """Seconds the garbage collector ran, on any thread (a ``gc.callbacks`` entry)."""

    def __init__(self) -> None:
        self.total, self._started = 0.0, 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


class _Sampler(threading.Thread):
    """Samples, while a callback runs, whether the loop thread sits in a blocking system
    call, and adds up that time (and where it was)."""

    def __init__(self, thread: int, native_id: int, interval: float) -> None:
        super().__init__(daemon=True, name="loopwatch")
        self.thread, self.interval = thread, interval
        self.path = f"/proc/self/task/{native_id}/syscall"
        self.futex = FUTEX.get(_machine(), -1)
        self._lock = threading.Lock()
        self._running = False
        self._blocked, self._stack, self._last = 0.0, "", 0.0
        self._done = threading.Event()

    def begin(self) -> None:
        with self._lock:
            self._running, self._blocked, self._stack = True, 0.0, ""
            self._last = time.perf_counter()

    def end(self) -> tuple[float, str]:
        with self._lock:
            self._running = False
            return self._blocked, self._stack

    def run(self) -> None:
        while not self._done.wait(self.interval):
            try:
                with open(self.path) as status:
                    first = status.read().split(" ", 1)[0]
            except OSError:
                return  # no /proc: only the computing check runs
            now = time.perf_counter()
            in_call = first.strip().lstrip("-").isdigit() and int(first) not in (self.futex, -1)
            with self._lock:
                if self._running and in_call:
                    # At most two intervals per sample: a sampler starved by a loaded machine
                    # undercounts (misses a stall), it never credits its own delay as blocking.
                    self._blocked += min(now - self._last, 2 * self.interval)
                    if not self._stack:
                        frame = sys._current_frames().get(self.thread)
                        self._stack = "".join(traceback.format_stack(frame, limit=10))
                self._last = now

    def finish(self) -> None:
        self._done.set()
        self.join()


def _machine() -> str:
    import platform

    return platform.machine()


def _describe(handle: asyncio.Handle) -> str:
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        code = getattr(coro, "cr_code", None)
        if code is not None:
            return f"task {code.co_qualname} ({code.co_filename}:{code.co_firstlineno})"
    return repr(callback)[:200]


def _where() -> str:
    frames = [
        f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
        for f in traceback.extract_stack()
        if any(part in f.filename for part in PROJECT) and "/.venv/" not in f.filename
    ]
    return " <- ".join(reversed(frames[-3:])) or "unknown"


__all__ = ["THRESHOLD", "LoopWatch", "Stall"]
