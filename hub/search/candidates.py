"""The candidate records of a name query: capped reads of the postings, in one statement.

A read is (term, cap, weight): the term's first ``cap`` postings, shortest names first, then
by agency and local id. That is the primary key's order (term, size, agency, local_id), so
every read is one ordered index range that stops at its cap (index-only on PostgreSQL), and
both backends pick the same rows.

The postings are cheap; reading a record and its worker is what a search costs (two index
probes each). So the records found are ranked first by how much of the query their terms
stand for (the reads' integer weights, added up), then shortest name, agency and local id,
and only the best ``KEEP`` are read and scored. At a million people this took a three-word
name with a typo from 2,300 record look-ups to at most 1,000, and its p95 from 45-75 ms to
under 20 ms on PostgreSQL, finding the same people (KEEP = 500 lost 4 of 400 in the bench).

With a country filter a read looks at the term's first ``COUNTRY_DEPTH`` x ``cap`` postings
and keeps those whose record is in the country, up to the cap. Without that bound, a common
word ("dewi") and a country few of its bearers went to would make the read walk the whole
posting list, one record lookup per posting (30,000 lookups for a three-word name at a million
people). Pair terms and uncommon words have fewer postings than the bound, so for them the
filter is exact; docs/search.md states the limit.

PostgreSQL: one ``LATERAL`` join over the arrays of terms and weights per cap (at most two
caps per query). The planner can only run a lateral read as a parameterised, ordered index
range with a limit; the former UNION of subqueries let it hash-join the candidates against a
sequential scan of ``search_record`` (75 ms for "dewi" at 100,000 people, growing with the
table). SQLite has no ``LATERAL``; there the reads are a UNION ALL of capped subqueries, each
an ordered range of the primary key. The statements are text: built as Core objects they
cost more to build than to run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Subquery, TextClause, and_, select, text
from sqlalchemy.engine import Connection

from hub.crosswalk.tables import AgencyRecordRow
from hub.search.index import RECORD

COUNTRY_DEPTH = 3  # a read under a country filter looks at this many times its cap
AGENCY_RECORD = AgencyRecordRow.__table__  # type: ignore[attr-defined]

KEEP = 1000  # candidates whose records are read and scored, the best-matching first

# Every read yields (agency, local_id, size, weight) for the postings it keeps; ``weight`` says
# how much of the query the term stands for (x 100: a pair of exact words 200, a word one
# edit away 80..90). The records whose terms add up to most are read and scored, at most
# ``KEEP`` of them: the postings are cheap (index-only), the record and worker look-ups are
# what a search costs (two index probes each, 20 ms for 2,300 records at a million people).
_PG_READ = """
SELECT read.agency, read.local_id, read.size, wanted.weight
FROM unnest(CAST(:terms_{n} AS text[]), CAST(:weights_{n} AS integer[])) AS wanted(term, weight)
CROSS JOIN LATERAL ({read}) AS read"""
_PG_POSTINGS = """
    SELECT p.agency, p.local_id, p.size FROM search_term AS p WHERE p.term = wanted.term
    ORDER BY p.size, p.agency, p.local_id LIMIT :cap_{n}"""
_PG_POSTINGS_IN_COUNTRY = """
    SELECT s.agency, s.local_id, s.size FROM (
        SELECT p.agency, p.local_id, p.size FROM search_term AS p WHERE p.term = wanted.term
        ORDER BY p.size, p.agency, p.local_id LIMIT :scan_{n}
    ) AS s
    JOIN search_record AS r ON r.agency = s.agency AND r.local_id = s.local_id
    WHERE r.countries LIKE :country
    ORDER BY s.size, s.agency, s.local_id LIMIT :cap_{n}"""
_SQLITE_READ = """
SELECT agency, local_id, size, :weight_{n} AS weight FROM (
    SELECT agency, local_id, size FROM search_term WHERE term = :term_{n}
    ORDER BY size, agency, local_id LIMIT :cap_{n}
)"""
_SQLITE_READ_IN_COUNTRY = """
SELECT agency, local_id, size, :weight_{n} AS weight FROM (
    SELECT s.agency, s.local_id, s.size FROM (
        SELECT agency, local_id, size FROM search_term WHERE term = :term_{n}
        ORDER BY size, agency, local_id LIMIT :scan_{n}
    ) AS s
    JOIN search_record AS r ON r.agency = s.agency AND r.local_id = s.local_id
    WHERE r.countries LIKE :country ORDER BY s.size, s.agency, s.local_id LIMIT :cap_{n}
)"""
# The same on both backends: integer weights add up exactly, and the order is total.
_BEST = """
WITH hit AS ({reads}),
kept AS (
    SELECT agency, local_id FROM hit GROUP BY agency, local_id
    ORDER BY sum(weight) DESC, min(size), agency, local_id LIMIT :keep
)
SELECT r.given, r.father, r.birth_date, w.worker_id FROM kept
JOIN search_record AS r ON r.agency = kept.agency AND r.local_id = kept.local_id
JOIN agency_record AS w ON w.agency = kept.agency AND w.local_id = kept.local_id"""


@dataclass(frozen=True, slots=True)
class Read:
    """The first ``cap`` postings of ``term``, each worth ``weight`` to its record."""

    term: str
    cap: int
    weight: int


def with_records(candidates: Subquery) -> Select:  # type: ignore[type-arg]
    """The rows a search scores: each candidate's name, birth date and worker."""
    return (
        select(RECORD.c.given, RECORD.c.father, RECORD.c.birth_date, AGENCY_RECORD.c.worker_id)
        .select_from(candidates)
        .join(
            RECORD,
            and_(
                RECORD.c.agency == candidates.c.agency,
                RECORD.c.local_id == candidates.c.local_id,
            ),
        )
        .join(
            AGENCY_RECORD,
            and_(
                AGENCY_RECORD.c.agency == candidates.c.agency,
                AGENCY_RECORD.c.local_id == candidates.c.local_id,
            ),
        )
    )


def candidate_rows(
    connection: Connection, reads: Sequence[Read], country: str | None
) -> TextClause:
    """(given, father, birth_date, worker_id) of the best ``KEEP`` records the reads find."""
    if connection.dialect.name == "postgresql":
        parts, params = _postgres(reads, country)
    else:
        parts, params = _sqlite(reads, country)
    if country:
        params["country"] = f"%,{country},%"
    statement = _BEST.format(reads="\nUNION ALL\n".join(parts))
    return text(statement).bindparams(keep=KEEP, **params)


def _postgres(reads: Sequence[Read], country: str | None) -> tuple[list[str], dict[str, Any]]:
    """One lateral read per cap (at most two), over the arrays of terms and weights."""
    by_cap: dict[int, list[Read]] = defaultdict(list)
    for read in reads:
        by_cap[read.cap].append(read)
    postings = _PG_POSTINGS_IN_COUNTRY if country else _PG_POSTINGS
    parts, params = [], {}
    for n, (cap, group) in enumerate(sorted(by_cap.items())):
        parts.append(_PG_READ.format(n=n, read=postings.format(n=n)))
        params.update(
            {
                f"terms_{n}": [r.term for r in group],
                f"weights_{n}": [r.weight for r in group],
                f"cap_{n}": cap,
            }
        )
        if country:
            params[f"scan_{n}"] = cap * COUNTRY_DEPTH
    return parts, params


def _sqlite(reads: Sequence[Read], country: str | None) -> tuple[list[str], dict[str, Any]]:
    """SQLite has no LATERAL: one capped subquery per read."""
    template = _SQLITE_READ_IN_COUNTRY if country else _SQLITE_READ
    parts, params = [], {}
    for n, read in enumerate(reads):
        parts.append(template.format(n=n))
        params.update({f"term_{n}": read.term, f"cap_{n}": read.cap, f"weight_{n}": read.weight})
        if country:
            params[f"scan_{n}"] = read.cap * COUNTRY_DEPTH
    return parts, params
