"""Bulk INSERT of plain row tuples: the crosswalk writes several rows per linked record.

SQLAlchemy's executemany turns each row into a dict of bound parameters and processes it
(about a tenth of the linker's time on SQLite). On SQLite the rows go to the driver's
``executemany`` as tuples instead, each value through its column type's own bind processor,
so what is stored is exactly what SQLAlchemy would store. PostgreSQL keeps SQLAlchemy's
executemany, which sends the rows as multi-row INSERTs ("insertmanyvalues").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect


@lru_cache(maxsize=64)
def _statement(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[int], list[Callable[[Any], Any] | None]] | None:
    """The compiled INSERT, where each of its parameters sits in ``columns``, and the
    parameters' bind processors; None when the INSERT needs more than ``columns``."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    names = list(compiled.positiontup or ())
    if set(names) != set(columns):  # a column left out has a default: SQLAlchemy fills it
        return None
    positions = [columns.index(name) for name in names]
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    return str(compiled), positions, processors


def insert_rows(
    connection: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``table`` in one executemany."""
    if not rows:
        return
    dialect = connection.dialect
    statement = None
    if dialect.name == "sqlite" and dialect.paramstyle == "qmark":
        statement = _statement(table, columns, dialect)
    if statement is None:
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    sql, positions, processors = statement
    steps = [(position, processors[i]) for i, position in enumerate(positions)]
    values = [
        tuple([row[p] if process is None else process(row[p]) for p, process in steps])
        for row in rows
    ]
    connection.exec_driver_sql(sql, values)
