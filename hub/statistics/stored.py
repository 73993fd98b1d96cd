"""A ``StatsRow`` as the census keeps it beside the verdict (``census_verdict.stat_*``).

The census evaluates every worker anyway; it stores the same facts the statistics count
(``stats_row``) so a statistics run reads them in bulk instead of asking the agencies again.
The columns hold codes and years only: the claims and cases as short ``|``-separated lists,
each agency's answer as ``AGENCY=STATE``.
"""

from __future__ import annotations

from collections.abc import Mapping

from hub.statistics.facts import Case, Claim, Money, StatsRow
from schema.enums import SourceState

# dimension -> census column, for the tables counted over workers
WORKER_COLUMNS: dict[str, str] = {
    "country": "stat_country",
    "sector": "stat_sector",
    "sex": "stat_sex",
    "age_band": "stat_age_band",
    "phase": "phase",  # the verdict's own column
    "level": "level",
    "scheme": "stat_scheme",
    "employer": "stat_employer",
    "province": "stat_province",
    "departure_year": "stat_departure_year",
    "enrolled": "stat_enrolled",
    "placed_not_enrolled": "stat_placed_not_enrolled",
    "cover_lapsed": "stat_cover_lapsed",
    "departed_uncovered": "stat_departed_uncovered",
    "not_in_siskop2mi": "stat_not_in_siskop2mi",
    "no_lapor_diri": "stat_no_lapor_diri",
    "jht": "stat_jht",
}
ITEMS, FIELDS, PAIR = ";", "|", "="


def stat_columns(row: StatsRow, sources: Mapping[str, SourceState]) -> dict[str, str | None]:
    """The census columns of one worker's facts (``phase`` and ``level`` are the verdict's)."""
    out: dict[str, str | None] = {
        column: getattr(row, dim)
        for dim, column in WORKER_COLUMNS.items()
        if column.startswith("stat_")
    }
    out["stat_claims"] = ITEMS.join(
        FIELDS.join(
            (
                c.programme,
                c.benefit,
                c.outcome,
                "" if c.amount is None else str(c.amount),
                c.year,
                c.days or "",
            )
        )
        for c in row.claims
    )
    out["stat_cases"] = ITEMS.join(FIELDS.join((c.kind, c.status, c.year)) for c in row.cases)
    out["stat_money"] = ITEMS.join(FIELDS.join((m.year, m.flow, str(m.amount))) for m in row.money)
    out["stat_sources"] = ITEMS.join(
        f"{agency}{PAIR}{state.value}" for agency, state in sorted(sources.items())
    )
    return out


def claims_of(stored: str) -> list[Claim]:
    out = []
    for item in stored.split(ITEMS) if stored else ():
        programme, benefit, outcome, amount, year, *rest = item.split(FIELDS)
        days = rest[0] if rest and rest[0] else None  # a row stored before F8: no band
        out.append(Claim(programme, benefit, outcome, int(amount) if amount else None, year, days))
    return out


def cases_of(stored: str) -> list[Case]:
    out = []
    for item in stored.split(ITEMS) if stored else ():
        kind, status, year = item.split(FIELDS)
        out.append(Case(kind, status, year))
    return out


def money_of(stored: str) -> list[Money]:
    out = []
    for item in stored.split(ITEMS) if stored else ():
        year, flow, amount = item.split(FIELDS)
        out.append(Money(year, flow, int(amount)))
    return out


def sources_of(stored: str) -> dict[str, str]:
    return dict(item.split(PAIR, 1) for item in stored.split(ITEMS)) if stored else {}


__all__ = ["WORKER_COLUMNS", "cases_of", "claims_of", "money_of", "sources_of", "stat_columns"]
