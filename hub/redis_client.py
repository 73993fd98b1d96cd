"""The hub's Redis client (the shared response cache and the shared rate limit).

Every call has a short budget (``timeout``: connecting, each command, and waiting for a free
connection) and no retry: the callers fall back to per-process state when Redis is slow or
down. The pool waits for a connection instead of failing at once: redis-py's default pool
raises ``MaxConnectionsError`` once 100 commands are in flight, which one process serving 32
requests at a time reaches (a cache read and write per agency per request), and the cache was
then bypassed for its pause although Redis was healthy (bench/README.md, the PostgreSQL and
Redis run).
"""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

MAX_CONNECTIONS = 256  # per process: a command holds one until the loop has read its answer


def redis_client(url: str, timeout: float, max_connections: int = MAX_CONNECTIONS) -> Redis:
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout,  # waiting for a free connection
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),  # the callers' fallbacks cover failures
    )
    return Redis.from_pool(pool)


__all__ = ["MAX_CONNECTIONS", "redis_client"]
