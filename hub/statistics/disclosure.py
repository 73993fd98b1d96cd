"""Statistical disclosure control: what of a counted table may be published.

``publish(cube, rules)`` applies, in order:

1. primary suppression of counts: 1..threshold persons; sensitive categories (deaths, sexual
   violence, detention, disability) crossed with anything but the year;
2. secondary suppression of counts: more cells are hidden until the attacker's linear program
   (``attack.intervals``) leaves every primary cell an interval at least ``count_protection``
   wide (a quick pass first hides a partner in every line with one hidden cell);
3. amounts: hidden where the count is, and where N-K dominance or the p-ratio holds, then the
   same secondary suppression on amounts;
4. rounding of sub-national counts to base 5 (11 and 12 become 15, so no published count lies
   in 1..10);
5. rates over published denominators of ``min_denominator`` or more; an amount ratio (the
   claims ratio) only between two published amounts, the denominator's count
   ``min_denominator`` or more.

The published table never says why a cell is hidden: telling primary from secondary would tell
the attacker that a cell is small.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.statistics.attack import intervals
from hub.statistics.cube import TOTAL, Cell, Cube, Key, TableSpec
from hub.statistics.rules import Rules

SPARE_TRIES = 12


@dataclass(frozen=True, slots=True)
class PublishedItem:
    key: Key
    count: int | None  # None when suppressed
    amount: int | None = None  # amount tables only; None when suppressed
    rate: float | None = None  # rate tables only; None when not shown

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def is_cell(self) -> bool:
        return TOTAL not in self.key


@dataclass(frozen=True, slots=True)
class PublishedTable:
    spec: TableSpec
    rules: Rules
    items: tuple[PublishedItem, ...]
    # the cells' counts before control, for the partner query service's noise (never served)
    exact: tuple[tuple[Key, int], ...] = ()

    @property
    def total(self) -> int | None:
        return self.item((TOTAL,) * len(self.spec.dimensions)).count

    def item(self, key: Key) -> PublishedItem:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)


def publish(cube: Cube, rules: Rules) -> PublishedTable:
    spec = cube.spec
    cells = cube.items()
    equations = list(spec.equations())
    counts = {k: c.count for k, c in cells.items()}

    primary = {k for k, n in counts.items() if 1 <= n <= rules.threshold}
    primary |= {k for k in counts if _sensitive(spec, k, rules)}
    needs = {k: float(rules.count_protection) for k in primary if counts[k] > 0}
    hidden_counts = _protect(equations, counts, set(primary), needs)

    hidden_amounts: set[Key] = set()
    if spec.amounts:
        amounts = {k: c.amount for k, c in cells.items()}
        dominated = {k for k, c in cells.items() if _dominated(c, rules)}
        primary_amounts = primary | dominated
        amount_needs = {
            k: rules.amount_protection * amounts[k] for k in primary_amounts if amounts[k] > 0
        }
        hidden_amounts = _protect(equations, amounts, primary_amounts | hidden_counts, amount_needs)

    rounded = spec.geography != "national"
    shown = {
        k: (None if k in hidden_counts else (_round(n, rules) if rounded else n))
        for k, n in counts.items()
    }
    items = []
    for key in spec.item_keys():
        amount = None
        if spec.amounts and key not in hidden_amounts:
            amount = cells[key].amount
        rate = _rate(spec, key, shown, counts, rules)
        if spec.amount_ratio:
            rate = _amount_ratio(spec, key, cells, hidden_amounts, counts, rules)
        items.append(PublishedItem(key, shown[key], amount, rate))
    exact = tuple((key, cells[key].count) for key in spec.cell_keys())
    return PublishedTable(spec, rules, tuple(items), exact)


def _sensitive(spec: TableSpec, key: Key, rules: Rules) -> bool:
    for i, value in enumerate(key):
        if value in rules.sensitive:
            others = (
                d
                for j, (d, v) in enumerate(zip(spec.dimensions, key, strict=True))
                if j != i and v != TOTAL
            )
            if any(d not in rules.sensitive_may_cross for d in others):
                return True
    return False


def _dominated(cell: Cell, rules: Rules) -> bool:
    if cell.amount <= 0:
        return False
    largest = cell.largest()
    if sum(largest[: rules.dominance_n]) >= rules.dominance_k * cell.amount:
        return True
    first = largest[0] if largest else 0
    second = largest[1] if len(largest) > 1 else 0
    return cell.amount - first - second < rules.p_ratio * first


def _protect(
    equations: list[tuple[Key, list[Key]]],
    values: dict[Key, int],
    hidden: set[Key],
    needs: dict[Key, float],
) -> set[Key]:
    """``hidden`` grown until every item of ``needs`` has an attacker interval that wide."""
    primary = frozenset(hidden)
    hidden = set(hidden)
    if not hidden:
        return hidden
    lines = [[total, *parts] for total, parts in equations]
    member_of: dict[Key, list[list[Key]]] = {}
    for line in lines:
        for m in line:
            member_of.setdefault(m, []).append(line)
    rank = _ranker(values, hidden, member_of)
    _quick_pass(lines, hidden, rank)
    while True:
        bounds = _bounds(equations, values, hidden, needs)
        failing = sorted((k for k in needs if _short(bounds[k], needs[k])), key=repr)
        if not failing:
            return _release_spare(equations, values, hidden, needs, primary)
        target = failing[0]
        partners = {m for line in member_of.get(target, []) for m in line} - hidden
        choice = _best_partner(equations, values, hidden, target, needs[target], partners, rank)
        if choice is None:
            choice = next(iter(sorted(set(values) - hidden, key=rank)), None)
        if choice is None:  # everything is hidden; nothing more can protect it
            return hidden
        hidden.add(choice)


def _release_spare(equations, values, hidden, needs, primary) -> set[Key]:
    """Publish again each secondary item (the ``SPARE_TRIES`` largest) that protects nothing:
    hiding more than needed costs readers and protects no one. Each try is two linear programs
    per protected cell, hence the cap."""
    if not needs:
        return set(primary)
    for key in sorted(hidden - primary, key=lambda k: (-values[k], k))[:SPARE_TRIES]:
        trial = hidden - {key}
        bounds = _bounds(equations, values, trial, needs)
        if not any(_short(bounds[k], needs[k]) for k in needs):
            hidden = trial
    return hidden


def _bounds(equations, values, hidden, targets) -> dict[Key, tuple[float, float]]:
    published = {k: (None if k in hidden else float(v)) for k, v in values.items()}
    return intervals(equations, published, targets)  # type: ignore[return-value]


def _short(bound: tuple[float, float], need: float) -> bool:
    return bound[1] - bound[0] < need - 1e-6


def _best_partner(equations, values, hidden, target, need, partners, rank) -> Key | None:
    """The first partner (cheapest first) whose hiding protects ``target``; else the one that
    widens its interval most. Tries at most eight."""
    best, best_width = None, -1.0
    for candidate in sorted(partners, key=rank)[:8]:
        lo, hi = _bounds(equations, values, hidden | {candidate}, [target])[target]
        if hi - lo >= need - 1e-6:
            return candidate
        if hi - lo > best_width:
            best, best_width = candidate, hi - lo
    return best


def _ranker(values: dict[Key, int], hidden: set[Key], member_of: dict[Key, list[list[Key]]]):
    """Cheapest to hide first: one that leaves no relation with a single hidden member (it
    completes a pattern already begun), non-zero, a cell before a margin, the smallest."""

    def rank(key: Key) -> tuple[int, bool, int, int, Key]:
        opened = sum(1 for line in member_of.get(key, []) if not any(m in hidden for m in line))
        return (opened, values[key] == 0, key.count(TOTAL), values[key], key)

    return rank


def _quick_pass(lines: list[list[Key]], hidden: set[Key], rank) -> None:
    """Hide a partner in every relation with exactly one hidden member (the classic rule)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for m in line if m in hidden) == 1:
                candidates = sorted((m for m in line if m not in hidden), key=rank)
                if candidates:
                    hidden.add(candidates[0])
                    changed = True


def _round(n: int, rules: Rules) -> int:
    base = rules.round_base
    value = base * ((n + base // 2) // base)
    if 0 < value <= rules.threshold:
        value = rules.threshold + base - rules.threshold % base
    return value


def _rate(
    spec: TableSpec, key: Key, shown: dict[Key, int | None], raw: dict[Key, int], rules: Rules
) -> float | None:
    if spec.rate_of is None:
        return None
    dim, value = spec.rate_of
    i = spec.dimensions.index(dim)
    if key[i] != value:
        return None
    base = (*key[:i], TOTAL, *key[i + 1 :])
    numerator, denominator = shown[key], shown[base]
    if numerator is None or denominator is None or raw[base] < rules.min_denominator:
        return None
    return round(numerator / denominator, 4) if denominator else None


def _amount_ratio(
    spec: TableSpec,
    key: Key,
    cells: dict[Key, Cell],
    hidden: set[Key],
    counts: dict[Key, int],
    rules: Rules,
) -> float | None:
    """The numerator's amount over the denominator's, both published: nothing the two
    published amounts do not already tell."""
    assert spec.amount_ratio is not None
    dim, numerator, denominator = spec.amount_ratio
    i = spec.dimensions.index(dim)
    if key[i] != numerator:
        return None
    base = (*key[:i], denominator, *key[i + 1 :])
    if key in hidden or base in hidden or counts[base] < rules.min_denominator:
        return None
    below = cells[base].amount
    return round(cells[key].amount / below, 4) if below > 0 else None


__all__ = ["PublishedItem", "PublishedTable", "publish"]
