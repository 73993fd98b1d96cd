"""Keep the search index current: replace the postings of records as they are linked.

Called by the sync after each page it links (``hub.sync``) and by live lookups
(``hub.graphql.lookup``), inside their transaction. Everything is Core ``executemany`` per
page (one DELETE per 400 records, one INSERT per table), never ORM objects one by one: the
sync's target is a million people in five minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from hub.search.tables import SearchRecordRow, SearchTermRow, SearchVocabRow
from hub.search.terms import name_keys, record_terms
from hub.storage.pairs import pairs_in
from schema.records import PersonRecord

CHUNK = 400  # values per IN (...) clause, under SQLite's and PostgreSQL's limits
RECORD = SearchRecordRow.__table__  # type: ignore[attr-defined]
TERM = SearchTermRow.__table__  # type: ignore[attr-defined]
VOCAB = SearchVocabRow.__table__  # type: ignore[attr-defined]


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
    keys = name_keys(entry.name)
    countries = sorted({c.upper() for c in entry.countries if c})
    record = {
        "agency": entry.agency,
        "local_id": entry.local_id,
        "given": " ".join(keys.given)[:300],
        "father": " ".join(keys.father)[:300],
        "birth_date": entry.birth_date,
        "countries": f",{','.join(countries)}," if countries else "",
    }
    terms = [
        {"term": term, "size": keys.size, "agency": entry.agency, "local_id": entry.local_id}
        for term in sorted(record_terms(keys))
    ]
    return record, terms


def _chunks(values: Sequence[object]) -> Iterator[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def index_entries(connection: Connection, entries: Iterable[IndexEntry]) -> int:
    """Replace the index rows of each entry's record; return how many records were written."""
    latest = {(e.agency, e.local_id): e for e in entries}  # the last one of a record wins
    if not latest:
        return 0
    ids = list(latest)
    for chunk in _chunks(ids):
        # pairs_in, not tuple_().in_(): SQLite would scan the whole table for every page
        connection.execute(delete(TERM).where(pairs_in(TERM.c.agency, TERM.c.local_id, chunk)))
        connection.execute(
            delete(RECORD).where(pairs_in(RECORD.c.agency, RECORD.c.local_id, chunk))
        )
    records: list[dict[str, object]] = []
    terms: list[dict[str, object]] = []
    for entry in latest.values():
        record, record_terms_ = entry_rows(entry)
        records.append(record)
        terms.extend(record_terms_)
    connection.execute(insert(RECORD), records)
    if terms:
        connection.execute(insert(TERM), terms)
    add_words(connection, {t["term"] for t in terms if " " not in str(t["term"])})
    return len(records)


def index_records(connection: Connection, records: Iterable[PersonRecord]) -> int:
    """``index_entries`` for the person records of a sync page or a live lookup."""
    return index_entries(connection, (IndexEntry.of(r) for r in records))


def add_words(connection: Connection, words: set[object]) -> None:
    """Add the words the vocabulary does not hold yet (a concurrent writer may add them too)."""
    if not words:
        return
    ordered = sorted(str(w) for w in words)
    known: set[str] = set()
    for chunk in _chunks(ordered):
        known.update(connection.scalars(select(VOCAB.c.word).where(VOCAB.c.word.in_(chunk))))
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
