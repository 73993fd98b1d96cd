"""Fast weighted choice and a calendar of ISO date strings, for the generator's inner loop.

A million people need a few hundred million draws, so choices are a ``bisect`` on cumulative
weights fed one ``random()`` value, and dates are day ordinals (ints) turned into text by a
table lookup rather than ``date.isoformat()``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Values with weights; ``pick(u)`` maps a uniform ``u`` in [0, 1) to a value."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        if not pairs or any(weight < 0 for _, weight in pairs):
            raise ValueError("a weighted table needs at least one value and no negative weight")
        self.values: tuple[T, ...] = tuple(value for value, _ in pairs)
        self.cum: list[float] = list(accumulate(float(weight) for _, weight in pairs))
        self.total: float = self.cum[-1]
        if self.total <= 0:
            raise ValueError("a weighted table needs a positive total weight")

    def pick(self, u: float) -> T:
        return self.values[bisect_right(self.cum, u * self.total)]

    def shares(self) -> dict[T, float]:
        """Each value's share of the total weight (values repeated are summed)."""
        out: dict[T, float] = {}
        previous = 0.0
        for value, cum in zip(self.values, self.cum, strict=True):
            out[value] = out.get(value, 0.0) + (cum - previous) / self.total
            previous = cum
        return out


class Calendar:
    """ISO strings and month arithmetic over a fixed range of day ordinals, by table lookup."""

    __slots__ = ("_day", "_month_index", "_month_start", "_year0", "base", "iso", "last", "years")

    def __init__(self, first: date, last: date) -> None:
        first = date(first.year, 1, 1)
        self._year0 = first.year
        self.base = first.toordinal()
        self.last = date(last.year, 12, 31).toordinal()
        days = [date.fromordinal(o) for o in range(self.base, self.last + 1)]
        self.iso = [d.isoformat() for d in days]
        self.years = [d.year for d in days]
        self._day = [d.day for d in days]
        self._month_index = [(d.year - self._year0) * 12 + d.month - 1 for d in days]
        self._month_start = [
            date(self._year0 + i // 12, i % 12 + 1, 1).toordinal()
            for i in range(12 * (last.year - self._year0 + 1))
        ]
        self._month_start.append(self.last + 1)

    def text(self, ordinal: int) -> str:
        return self.iso[ordinal - self.base]

    def add_months(self, ordinal: int, months: int) -> int:
        """The same day ``months`` later (earlier if negative), clamped to the month's end."""
        at = ordinal - self.base
        index = self._month_index[at] + months
        start = self._month_start[index]
        return start + min(self._day[at], self._month_start[index + 1] - start) - 1

    def add_years(self, ordinal: int, years: int) -> int:
        return self.add_months(ordinal, 12 * years)

    def year(self, ordinal: int) -> int:
        return self.years[ordinal - self.base]
