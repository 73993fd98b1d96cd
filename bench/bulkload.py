"""Load millions of rows into freshly migrated tables fast: indexes built once, after the data.

A bench that builds a large database (bench/search.py: a million people, tens of millions of
rows) spends most of its time keeping B-trees ordered row by row. The classic cure is used
here: drop the tables' secondary indexes (PostgreSQL: also their primary keys and foreign
keys) before the load, and create them again after it, each in one sorted pass. The tables end
up exactly as the migrations made them; ``restored`` re-runs the captured DDL verbatim.

SQLite cannot drop a primary key, so there the load runs on one connection with a large page
cache, ``synchronous=OFF`` and foreign-key checks off (the rows are consistent by
construction), which keeps the primary-key B-trees in memory.

Only for building bench databases: a crash mid-load leaves a database to rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

SQLITE_CACHE_KIB = 1_048_576  # 1 GiB of page cache for the load connection
PG_MAINTENANCE_MEM = "512MB"  # sort memory for re-creating the indexes


def _postgres_ddl(connection: Connection, tables: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(drop statements, create statements) for the constraints and indexes of ``tables``."""
    constraints = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(:t) "
            "AND contype IN ('p', 'u', 'f') ORDER BY contype = 'f', conname"
        ),
        {"t": list(tables)},
    ).all()
    owned = {name for _, name, _, _ in constraints}
    indexes = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(:t) ORDER BY indexname"
        ),
        {"t": list(tables)},
    ).all()
    drops = [
        f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'
        for table, name, _, _ in sorted(constraints, key=lambda c: c[3] != "f")
    ]
    drops += [f'DROP INDEX "{name}"' for name, _ in indexes if name not in owned]
    creates = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, _ in constraints]
    creates[:0] = [definition for name, definition in indexes if name not in owned]
    return drops, creates


def _sqlite_ddl(connection: Connection, tables: tuple[str, ...]) -> tuple[list[str], list[str]]:
    rows = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (SELECT value FROM json_each(:t)) ORDER BY name"
        ),
        {"t": "[" + ",".join(f'"{t}"' for t in tables) + "]"},
    ).all()
    return [f'DROP INDEX "{name}"' for name, _ in rows], [sql for _, sql in rows]


@contextmanager
def bulk_load(engine: Engine, tables: tuple[str, ...]) -> Iterator[Connection]:
    """A connection to load ``tables`` with (commit as you go); indexes come back on exit."""
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        ddl = _postgres_ddl if postgres else _sqlite_ddl
        drops, creates = ddl(connection, tables)
        if postgres:
            connection.execute(text("SET synchronous_commit = off"))
        else:
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            connection.execute(text("PRAGMA synchronous = OFF"))
            connection.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))
        for statement in drops:
            connection.execute(text(statement))
        connection.commit()
        yield connection
        connection.commit()
        if postgres:
            connection.execute(text(f"SET maintenance_work_mem = '{PG_MAINTENANCE_MEM}'"))
        for statement in creates:
            connection.execute(text(statement))
        connection.commit()
    # Statistics for the planner; on PostgreSQL also the visibility map, without which the
    # postings' primary key cannot serve index-only scans until autovacuum comes by.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
