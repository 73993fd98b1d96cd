"""Keep the search index current: replace the postings of records as they are linked.

Called by the sync after each page it links (``hub.sync``) and by live lookups
(``hub.graphql.lookup``), inside their transaction. A page costs a handful of statements
whatever its size, never ORM objects one by one: the sync's target is a million people in five
minutes, and this runs for every record it links. Per page: one read of which records are
indexed already (a first sync deletes nothing), one DELETE per table for those, one INSERT per
table (plain tuples; on PostgreSQL one array per column), and one look-up and one INSERT of the
words the vocabulary lacks. A name is taken apart once per process (``_name_rows``' cache).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, and_, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from hub.search.tables import SearchRecordRow, SearchTermRow, SearchVocabRow
from hub.search.terms import name_keys, record_terms
from hub.storage.bulk import insert_rows
from hub.storage.members import member_of
from schema.records import PersonRecord

RECORD = SearchRecordRow.__table__  # type: ignore[attr-defined]
TERM = SearchTermRow.__table__  # type: ignore[attr-defined]
VOCAB = SearchVocabRow.__table__  # type: ignore[attr-defined]
RECORD_COLUMNS = ("agency", "local_id", "given", "father", "birth_date", "countries")
TERM_COLUMNS = ("term", "size", "agency", "local_id")
_ARRAY_TYPES = {"size": "integer[]", "birth_date": "date[]"}  # the others: text[]
_ARRAY_TYPES.update(
    {c: "text[]" for c in (*RECORD_COLUMNS, *TERM_COLUMNS) if c not in _ARRAY_TYPES}
)

Key = tuple[str, str]  # (agency, local_id)
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index holds for one agency record."""

    agency: str
    local_id: str
    name: str
    birth_date: date | None = None
    countries: tuple[str, ...] = ()

    @classmethod
    def of(cls, record: PersonRecord) -> IndexEntry:
        return cls(record.agency, record.local_id, record.name, record.birth_date, record.countries)


def entry_rows(entry: IndexEntry) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The ``search_record`` row and the ``search_term`` rows of one entry."""
    record, terms = _entry_tuples(entry)
    return dict(zip(RECORD_COLUMNS, record, strict=True)), [
        dict(zip(TERM_COLUMNS, term, strict=True)) for term in terms
    ]


@lru_cache(maxsize=65536)
def _name_rows(name: str) -> tuple[str, str, int, tuple[str, ...]]:
    """Given words, father's words, size and sorted terms of a written name: names repeat
    across agencies and people, and taking one apart costs more than writing its rows."""
    keys = name_keys(name)
    terms = tuple(sorted(record_terms(keys)))
    return " ".join(keys.given)[:300], " ".join(keys.father)[:300], keys.size, terms


def _entry_tuples(entry: IndexEntry) -> tuple[Row, list[Row]]:
    """``entry_rows`` as tuples in ``RECORD_COLUMNS`` and ``TERM_COLUMNS`` order."""
    given, father, size, terms = _name_rows(entry.name)
    countries = sorted({c.upper() for c in entry.countries if c})
    agency, local_id = entry.agency, entry.local_id
    record = (
        agency,
        local_id,
        given,
        father,
        entry.birth_date,
        f",{','.join(countries)}," if countries else "",
    )
    return record, [(term, size, agency, local_id) for term in terms]


def _records_in(table: Table, connection: Connection, ids: Sequence[Key]) -> ColumnElement[bool]:
    """``(agency, local_id)`` is one of ``ids``: one ``member_of`` list per agency (a page
    holds one or a few), which both databases answer by index probes."""
    grouped: dict[str, list[str]] = {}
    for agency, local_id in ids:
        grouped.setdefault(agency, []).append(local_id)
    return or_(
        *(
            and_(table.c.agency == agency, member_of(connection, table.c.local_id, local_ids))
            for agency, local_ids in grouped.items()
        )
    )


def _remove_indexed(connection: Connection, ids: Sequence[Key]) -> None:
    """Delete the rows of the records of ``ids`` that are indexed already. Terms exist only
    beside their record's ``search_record`` row, so one read by primary key says which records
    have rows; on a first sync none has, and no DELETE runs at all."""
    indexed = [
        (agency, local_id)
        for agency, local_id in connection.execute(
            select(RECORD.c.agency, RECORD.c.local_id).where(_records_in(RECORD, connection, ids))
        )
    ]
    if not indexed:
        return
    connection.execute(delete(TERM).where(_records_in(TERM, connection, indexed)))
    connection.execute(delete(RECORD).where(_records_in(RECORD, connection, indexed)))


def _insert(
    connection: Connection, table: Table, columns: tuple[str, ...], rows: list[Row]
) -> None:
    """INSERT ``rows`` in one statement: on PostgreSQL one ``INSERT ... SELECT unnest(...)``
    of one array per column (psycopg's executemany runs one INSERT per row), elsewhere
    ``insert_rows`` (the driver's executemany of plain tuples)."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        insert_rows(connection, table, columns, rows)
        return
    arrays = tuple(list(values) for values in zip(*rows, strict=True))
    connection.exec_driver_sql(_unnest_insert(table.name, columns), arrays)


@lru_cache(maxsize=8)
def _unnest_insert(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (columns) SELECT * FROM unnest(%s::type[], ...)`` (psycopg style)."""
    casts = ", ".join(f"%s::{_ARRAY_TYPES[c]}" for c in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({casts})"  # noqa: S608


def index_entries(connection: Connection, entries: Iterable[IndexEntry]) -> int:
    """Replace the index rows of each entry's record; return how many records were written."""
    latest = {(e.agency, e.local_id): e for e in entries}  # the last one of a record wins
    if not latest:
        return 0
    _remove_indexed(connection, list(latest))
    records: list[Row] = []
    terms: list[Row] = []
    for entry in latest.values():
        record, record_terms_ = _entry_tuples(entry)
        records.append(record)
        terms.extend(record_terms_)
    _insert(connection, RECORD, RECORD_COLUMNS, records)
    _insert(connection, TERM, TERM_COLUMNS, terms)
    add_words(connection, {t[0] for t in terms if " " not in t[0]})
    return len(records)


def index_records(connection: Connection, records: Iterable[PersonRecord]) -> int:
    """``index_entries`` for the person records of a sync page or a live lookup."""
    return index_entries(connection, (IndexEntry.of(r) for r in records))


def add_words(connection: Connection, words: set[object]) -> None:
    """Add the words the vocabulary does not hold yet (a concurrent writer may add them too)."""
    if not words:
        return
    ordered = sorted(str(w) for w in words)
    known = set(
        connection.scalars(select(VOCAB.c.word).where(member_of(connection, VOCAB.c.word, ordered)))
    )
    new = [{"word": w} for w in ordered if w not in known]
    if not new:
        return
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(VOCAB).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(VOCAB).on_conflict_do_nothing()
    else:  # pragma: no cover - the hub runs on SQLite and PostgreSQL only
        statement = insert(VOCAB)
    connection.execute(statement, new)
