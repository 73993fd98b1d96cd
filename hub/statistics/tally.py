"""The run's counters: every table's cells, fed one ``StatsRow`` (or link) at a time.

Memory is bounded by the number of cells, not of workers: a row is counted into each table
and forgotten. Open dimensions (destination country, years) are settled at the end:
countries with fewer than ``POOL_BELOW`` workers become their region.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from hub.statistics.catalogue import FIXED, OPEN, POOL_BELOW, TABLES, TableDef, region
from hub.statistics.cube import Cell, Cube, Key, TableSpec
from hub.statistics.disclosure import PublishedTable, publish
from hub.statistics.facts import NONE, UNKNOWN, Case, Claim, Money, StatsRow
from hub.statistics.rules import Rules

KEEP = 2  # the largest contributions a cell remembers, for the dominance rule


class Tally:
    def __init__(self, tables: Iterable[TableDef] = TABLES) -> None:
        self.tables = tuple(tables)
        self.raw: dict[str, dict[Key, Cell]] = {t.name: {} for t in self.tables}
        self.countries: Counter[str] = Counter()
        self.workers = 0
        self._regions: Counter[str] | None = None

    def _add(self, table: TableDef, key: Key, amount: int | None = None) -> None:
        cells = self.raw[table.name]
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell()
        cell.add(amount, KEEP)

    def add(self, row: StatsRow) -> None:
        self.workers += 1
        self.countries[row.country] += 1
        for table in self.tables:
            if table.unit == "workers":
                key = tuple(getattr(row, d) for d in table.dimensions)
                if None not in key:
                    self._add(table, key)
        self.add_claims(row.claims)
        self.add_cases(row.country, row.cases)
        self.add_money(row.money)

    def add_money(self, money: Iterable[Money]) -> None:
        """One worker's payments: a cell counts the worker once, with their sum for it."""
        for table in self.tables:
            if table.unit == "money":
                for item in money:
                    key = tuple(getattr(item, d) for d in table.dimensions)
                    self._add(table, key, item.amount)

    def add_claims(self, claims: Iterable[Claim]) -> None:
        for table in self.tables:
            if table.unit == "claims":
                for claim in claims:
                    key = tuple(getattr(claim, d) for d in table.dimensions)
                    if None not in key:  # outside the table's population (unpaid: no days)
                        self._add(table, key, claim.amount if table.amounts else None)

    def add_cases(self, country: str, cases: Iterable[Case]) -> None:
        for table in self.tables:
            if table.unit == "cases":
                for case in cases:
                    values = {"kind": case.kind, "status": case.status, "year": case.year}
                    values["country"] = country
                    self._add(table, tuple(values[d] for d in table.dimensions))

    def add_link(self, agency: str, method: str, count: int = 1) -> None:
        for table in self.tables:
            if table.unit == "links":
                self.add_count(table.name, (agency, method), count)

    def add_count(self, name: str, key: Key, count: int) -> None:
        """``count`` people (or links) counted elsewhere (a GROUP BY) into one cell of a
        table without amounts."""
        cells = self.raw[name]
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell()
        cell.count += count

    def add_workers(self, country: str, count: int) -> None:
        """``count`` workers of ``country`` counted elsewhere: the run's total and the
        country sizes that decide pooling (their cells come through ``add_count``)."""
        self.workers += count
        self.countries[country] += count

    def pooled(self, country: str) -> str:
        """The country, its region when it has fewer than POOL_BELOW workers, or
        REGION_OTHER when the region too is that small."""
        if country == UNKNOWN or self.countries[country] >= POOL_BELOW:
            return country
        if self._regions is None:
            self._regions = Counter()
            for c, n in self.countries.items():
                if c != UNKNOWN and n < POOL_BELOW:
                    self._regions[region(c)] += n
        name = region(country)
        return name if self._regions[name] >= POOL_BELOW else "REGION_OTHER"

    def cubes(self) -> list[Cube]:
        out = []
        for table in self.tables:
            raw = self.raw[table.name]
            settle = {d: i for i, d in enumerate(table.dimensions)}
            if "country" in settle:
                i = settle["country"]
                raw = _merge(raw, lambda k, i=i: (*k[:i], self.pooled(k[i]), *k[i + 1 :]))
            categories: dict[str, tuple[str, ...]] = {}
            for dim, i in settle.items():
                if dim in OPEN:
                    seen = {k[i] for k in raw}
                    extra = {"country": (UNKNOWN,), "departure_year": (NONE,)}.get(dim, ())
                    categories[dim] = tuple(sorted(seen - set(extra))) + extra
                    if not categories[dim]:
                        categories[dim] = (UNKNOWN,)
                else:
                    categories[dim] = FIXED[dim]
            spec = TableSpec(
                table.name,
                table.title_id,
                table.title_en,
                table.dimensions,
                categories,
                amounts=table.amounts,
                rate_of=table.rate_of,
                amount_ratio=table.amount_ratio,
                geography="province" if "province" in table.dimensions else "national",
            )
            cube = Cube(spec, KEEP)
            for key, cell in raw.items():
                cube.merge(key, cell)
            out.append(cube)
        return out

    def publish(self, rules: Rules) -> list[PublishedTable]:
        return [publish(cube, rules) for cube in self.cubes()]


def _merge(raw: dict[Key, Cell], rekey) -> dict[Key, Cell]:
    out: dict[Key, Cell] = {}
    for key, cell in raw.items():
        target = rekey(key)
        if target not in out:
            out[target] = Cell()
        out[target].merge(cell, KEEP)
    return out


__all__ = ["Tally"]
