"""The statistics run's input read from the census, in a few set-based queries.

The census (hub/census) keeps each linked worker's verdict and the categories the statistics
count (``census_verdict.stat_*``), current through the sync's marks and the daily
re-evaluation. When it is current for the reference date, the run needs no agency at all:

- each table over workers is one ``GROUP BY`` of its dimensions' columns (the cells computed
  by the database; only the cell counts come back);
- claims, cases and payments (contributions, benefits paid) are read in one streamed query
  over the workers that have any;
- linkage is a ``GROUP BY`` over the crosswalk's records, freshness one over the census's
  recorded answers.

Nothing per person leaves this module: each query's rows are counted into the tally as they
arrive. ``problems`` says why the census cannot serve a date (missing, stale or pending
verdicts), so the run can fall back to the agencies or refuse.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Connection, Engine

from hub.census.run import CENSUS, PENDING
from hub.crosswalk.tables import AgencyRecordRow, WorkerRow
from hub.protection import RULES_VERSION
from hub.statistics.catalogue import TABLES, TableDef
from hub.statistics.stored import WORKER_COLUMNS, cases_of, claims_of, money_of, sources_of
from hub.statistics.tally import Tally

WORKER = WorkerRow.__table__  # type: ignore[attr-defined]
RECORD = AgencyRecordRow.__table__  # type: ignore[attr-defined]
STREAM = 5000  # rows fetched at a time from the claims-and-cases query


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the census cannot serve the run, in both languages."""

    text_id: str
    text_en: str

    def line(self) -> str:
        return f"{self.text_id} / {self.text_en}"


@dataclass
class CensusInput:
    tally: Tally
    answers: dict[str, Counter[str]]  # agency -> answer state -> workers
    linked: Counter[str]  # method -> linked records
    per_worker: Counter[int]  # agencies a worker is known to -> workers
    oldest: datetime | None
    newest: datetime | None


def problems(engine: Engine, day: date) -> list[Problem]:
    """Empty when every canonical worker has a census verdict with its statistics' facts for
    ``day`` under the engine's current rules, nothing waits in the census queue, and the
    census holds no other row."""
    c = CENSUS.c
    with engine.connect() as connection:
        workers = _scalar(connection, select(func.count()).where(WORKER.c.merged_into.is_(None)))
        rows = _scalar(connection, select(func.count()).select_from(CENSUS))
        current = _scalar(
            connection,
            select(func.count())
            .select_from(CENSUS.join(WORKER, WORKER.c.id == c.worker_id))
            .where(
                WORKER.c.merged_into.is_(None),
                c.evaluated_on == day,
                c.stat_country.is_not(None),
                c.rules_version == RULES_VERSION,
            ),
        )
        pending = _scalar(connection, select(func.count(distinct(PENDING.c.worker_id))))
    found: list[Problem] = []
    if rows == 0 and workers:
        return [
            Problem(
                "sensus kosong: jalankan `pmihub census --full`",
                "the census is empty: run `pmihub census --full`",
            )
        ]
    if current < workers:
        n = workers - current
        found.append(
            Problem(
                f"{n} dari {workers} pekerja belum punya vonis sensus lengkap untuk {day} "
                "(aturan saat ini); jalankan `pmihub census --full`",
                f"{n} of {workers} workers have no census verdict with statistics for {day} "
                "under the current rules; run `pmihub census --full`",
            )
        )
    if pending:
        found.append(
            Problem(
                f"{pending} pekerja berubah di instansi sejak vonis terakhirnya; "
                "jalankan `pmihub census`",
                f"{pending} workers changed at the agencies since their last verdict; "
                "run `pmihub census`",
            )
        )
    if rows > current and current == workers:
        found.append(
            Problem(
                f"{rows - current} baris sensus untuk pekerja yang sudah digabung",
                f"{rows - current} census rows belong to merged workers; run `pmihub census`",
            )
        )
    return found


def read_census(engine: Engine, tables: tuple[TableDef, ...] = TABLES) -> CensusInput:
    """Count the census into a tally (call ``problems`` first: this trusts the rows)."""
    c = CENSUS.c
    tally = Tally(tables)
    answers: dict[str, Counter[str]] = {}
    with engine.connect() as connection:
        for country, n in connection.execute(
            select(c.stat_country, func.count()).group_by(c.stat_country)
        ):
            tally.add_workers(country, n)
        for table in tally.tables:
            if table.unit != "workers":
                continue
            columns = [c[WORKER_COLUMNS[d]] for d in table.dimensions]
            query = (
                select(*columns, func.count())
                .where(*(column.is_not(None) for column in columns))
                .group_by(*columns)
            )
            for *key, n in connection.execute(query):
                tally.add_count(table.name, tuple(key), n)
        busy = (c.stat_claims != "") | (c.stat_cases != "") | (c.stat_money != "")
        rows = connection.execution_options(yield_per=STREAM).execute(
            select(c.stat_country, c.stat_claims, c.stat_cases, c.stat_money).where(busy)
        )
        for country, claims, cases, money in rows:
            tally.add_claims(claims_of(claims))
            tally.add_cases(country, cases_of(cases))
            tally.add_money(money_of(money))
        for stored, n in connection.execute(
            select(c.stat_sources, func.count()).group_by(c.stat_sources)
        ):
            for agency, state in sources_of(stored).items():
                answers.setdefault(agency, Counter())[state] += n
        oldest, newest = connection.execute(
            select(func.min(c.evaluated_at), func.max(c.evaluated_at))
        ).one()
        linked: Counter[str] = Counter()
        canonical = RECORD.join(WORKER, WORKER.c.id == RECORD.c.worker_id)
        for agency, method, n in connection.execute(
            select(RECORD.c.agency, RECORD.c.method, func.count())
            .select_from(canonical)
            .where(WORKER.c.merged_into.is_(None))
            .group_by(RECORD.c.agency, RECORD.c.method)
        ):
            tally.add_link(agency, method, n)
            linked[method] += n
        spread = (
            select(func.count(distinct(RECORD.c.agency)).label("agencies"))
            .select_from(canonical)
            .where(WORKER.c.merged_into.is_(None))
            .group_by(RECORD.c.worker_id)
            .subquery()
        )
        per_worker: Counter[int] = Counter(
            {
                int(k): int(n)
                for k, n in connection.execute(
                    select(spread.c.agencies, func.count()).group_by(spread.c.agencies)
                )
            }
        )
    return CensusInput(tally, answers, linked, per_worker, oldest, newest)


def _scalar(connection: Connection, query: object) -> int:
    return int(connection.execute(query).scalar() or 0)  # type: ignore[call-overload]


__all__ = ["CensusInput", "Problem", "problems", "read_census"]
