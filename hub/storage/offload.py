"""The one seam between the event loop and the database: ``await hub.offload(fn, *args)``.

Every database call on the request path (token revocation and key reads, the crosswalk,
break-glass grants, cases, live linking, search, the audit trail, readiness) runs a plain
synchronous function in a worker thread through this seam; nothing on the event loop waits on
a database, so a slow query, a PostgreSQL round trip or a SQLite write lock held by
``pmihub sync`` stalls one request, never the process.

Why threads and not an async engine (psycopg 3 async, aiosqlite): the same storage code serves
the sync, the CLI, the linker and the request path, and it is synchronous SQLAlchemy Core with
executemany and COPY; an async engine would need a second copy of every query function or
greenlet bridging of all of them, while one seam keeps one code path and makes the boundary
visible at each call site. The cost is a thread hop per call (tens of microseconds).

The seam has its own ``CapacityLimiter`` sized to the engine's connection pool: at most that
many database calls run at once, the rest wait on the loop (a cheap coroutine wait), never in
``pool.connect()`` inside a thread, and database work never queues behind password hashing or
other users of anyio's default thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, TypeVarTuple, Unpack

import anyio.to_thread
from anyio import CapacityLimiter
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

DEFAULT_CAPACITY = 16


def pool_capacity(engine: Engine) -> int:
    """How many connections ``engine`` hands out at once (pool size plus overflow)."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        overflow = max(pool._max_overflow, 0)
        return max(1, pool.size() + overflow)
    return DEFAULT_CAPACITY


class Offload:
    """Runs blocking database work in a worker thread, at most ``capacity`` at once."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._limiter: CapacityLimiter | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> Offload:
        return cls(pool_capacity(engine))

    @property
    def limiter(self) -> CapacityLimiter:
        if self._limiter is None:  # created on first use, inside the running event loop
            self._limiter = CapacityLimiter(self.capacity)
        return self._limiter

    async def __call__(self, function: Callable[[Unpack[Ts]], T], *args: *Ts) -> T:
        return await anyio.to_thread.run_sync(function, *args, limiter=self.limiter)


__all__ = ["Offload", "pool_capacity"]
