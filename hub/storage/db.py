"""Engine creation for the hub database.

SQLite is the embedded default (WAL mode, foreign keys on, a busy timeout so concurrent
writers wait instead of failing, a 64 MiB page cache and less frequent WAL checkpoints for
large syncs); PostgreSQL is selected by ``HUB_DATABASE_URL``
(``postgresql+psycopg://user@host/db``). Plain ``postgresql://`` URLs get the psycopg 3 driver.

An engine keeps the connections it opens, up to ``POOL_SIZE``, and opens no more: the offload
seam (hub/storage/offload.py) runs that many database calls at once. SQLAlchemy's default (5
kept, 10 more opened and closed again) made every checkout beyond the fifth a new connection:
a TCP and authentication round trip on PostgreSQL, five PRAGMAs on SQLite. Each process of
``pmihub serve --workers N`` therefore holds up to ``POOL_SIZE`` connections, as many as it
used at its peak before: N x ``POOL_SIZE`` must fit PostgreSQL's ``max_connections``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

DEFAULT_DATABASE_URL = "sqlite:///hub.db"
POOL_SIZE = 15


def database_url(environ: Mapping[str, str] | None = None) -> str:
    url = (environ if environ is not None else os.environ).get("HUB_DATABASE_URL")
    url = url or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    if "poolclass" not in kwargs and not _in_memory(url):  # SQLAlchemy keeps those per thread
        kwargs.setdefault("pool_size", POOL_SIZE)  # kept, not reopened (see above)
        kwargs.setdefault("max_overflow", 0)
    if url.startswith("sqlite"):
        connect_args = kwargs.pop("connect_args", {})
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 30)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _in_memory(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # KiB: 64 MiB of pages, not 2 MiB
    # Checkpoint the WAL every 64 MiB instead of every 4 MiB: a sync's pages rewrite the same
    # index pages, and fewer checkpoints write them back fewer times (about 1.5x faster linking).
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    cursor.close()
