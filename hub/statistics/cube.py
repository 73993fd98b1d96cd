"""One table as counted during a run: cells over every category, and all their margins.

A table crosses one to three dimensions whose categories are known before counting (a cell
nobody falls into is a published zero, not a missing row). Each cell holds a person count
and, for amount tables, the amount and the largest few contributions (for the dominance
rule). Margins are the same sums with one or more dimensions set to ``TOTAL``.

Only these sums exist here: nothing identifies who was counted.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

TOTAL = "TOTAL"
Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    title_id: str
    title_en: str
    dimensions: tuple[str, ...]
    categories: Mapping[str, tuple[str, ...]]
    amounts: bool = False
    # rate = the cell where ``rate_of[0]`` is ``rate_of[1]`` over that dimension's margin
    rate_of: tuple[str, str] | None = None
    # "national", or "province" (sub-national: counts rounded)
    geography: str = "national"
    # rate = the amount where ``amount_ratio[0]`` is ``[1]`` over the amount where it is ``[2]``
    amount_ratio: tuple[str, str, str] | None = None

    def __post_init__(self) -> None:
        if not 1 <= len(self.dimensions) <= 3:
            raise ValueError(f"{self.name}: a table has one to three dimensions")
        for dim in self.dimensions:
            values = self.categories.get(dim)
            if not values or TOTAL in values or len(set(values)) != len(values):
                raise ValueError(f"{self.name}: bad categories for {dim}")
        if self.rate_of and (
            self.rate_of[0] not in self.dimensions
            or self.rate_of[1] not in self.categories[self.rate_of[0]]
        ):
            raise ValueError(f"{self.name}: rate_of names no category of the table")
        if self.amount_ratio and (
            not self.amounts
            or self.amount_ratio[0] not in self.dimensions
            or not set(self.amount_ratio[1:]) <= set(self.categories[self.amount_ratio[0]])
        ):
            raise ValueError(f"{self.name}: amount_ratio names no categories of an amount table")
        if self.geography not in ("national", "province"):
            raise ValueError(f"{self.name}: geography is national or province")

    def cell_keys(self) -> Iterator[Key]:
        return itertools.product(*(self.categories[d] for d in self.dimensions))

    def item_keys(self) -> Iterator[Key]:
        """Every cell and margin: each dimension a category or TOTAL."""
        return itertools.product(*((*self.categories[d], TOTAL) for d in self.dimensions))

    def equations(self) -> Iterator[tuple[Key, list[Key]]]:
        """(margin, its parts): every additive relation between published items."""
        for key in self.item_keys():
            for i, value in enumerate(key):
                if value == TOTAL:
                    dim = self.dimensions[i]
                    yield key, [(*key[:i], c, *key[i + 1 :]) for c in self.categories[dim]]


@dataclass(slots=True)
class Cell:
    count: int = 0
    amount: int = 0
    top: list[int] = field(default_factory=list)  # a min-heap of the largest contributions

    def add(self, amount: int | None, keep: int) -> None:
        self.count += 1
        if amount is not None:
            self.add_amount(amount, keep)

    def add_amount(self, amount: int, keep: int) -> None:
        self.amount += amount
        if len(self.top) < keep:
            heapq.heappush(self.top, amount)
        elif amount > self.top[0]:
            heapq.heapreplace(self.top, amount)

    def merge(self, other: Cell, keep: int) -> None:
        self.count += other.count
        self.amount += other.amount
        for value in other.top:
            if len(self.top) < keep:
                heapq.heappush(self.top, value)
            elif value > self.top[0]:
                heapq.heapreplace(self.top, value)

    def largest(self) -> list[int]:
        return sorted(self.top, reverse=True)


class Cube:
    """The counts of one table; ``add`` once per person (or per claim for claim tables)."""

    def __init__(self, spec: TableSpec, keep: int = 2) -> None:
        self.spec = spec
        self.keep = keep
        self.cells: dict[Key, Cell] = {}
        self._valid = [frozenset(spec.categories[d]) for d in spec.dimensions]

    def add(self, key: Sequence[str], amount: int | None = None) -> None:
        key = tuple(key)
        self.add_check(key)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = Cell()
        cell.add(amount, self.keep)

    def merge(self, key: Sequence[str], cell: Cell) -> None:
        """Add a cell counted elsewhere (the run's tally) under ``key``."""
        key = tuple(key)
        self.add_check(key)
        target = self.cells.get(key)
        if target is None:
            target = self.cells[key] = Cell()
        target.merge(cell, self.keep)

    def add_check(self, key: Key) -> None:
        if len(key) != len(self._valid) or any(
            v not in ok for v, ok in zip(key, self._valid, strict=True)
        ):
            raise ValueError(f"{self.spec.name}: {key!r} is not a cell of the table")

    def items(self) -> dict[Key, Cell]:
        """Every cell and margin with its sums (zeros included)."""
        out: dict[Key, Cell] = {key: Cell() for key in self.spec.item_keys()}
        for key, cell in self.cells.items():
            for mask in itertools.product((False, True), repeat=len(key)):
                target = tuple(TOTAL if m else v for v, m in zip(key, mask, strict=True))
                out[target].merge(cell, self.keep)
        return out


__all__ = ["TOTAL", "Cell", "Cube", "Key", "TableSpec"]
