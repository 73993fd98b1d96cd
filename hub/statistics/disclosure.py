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
5. rates over published denominators of ``min_denominator`` or more.

The published table never says why a cell is hidden: telling primary from secondary would tell
the attacker that a cell is small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.statistics.attack import intervals
from hub.statistics.cube import TOTAL, Cell, Cube, Key, TableSpec
from hub.statistics.rules import Rules


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
        items.append(PublishedItem(key, shown[key], amount, _rate(spec, key, shown, counts, rules)))
    return PublishedTable(spec, rules, tuple(items))


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
    hidden = set(hidden)
    if not hidden:
        return hidden
    _quick_pass(equations, values, hidden)
    partners: dict[Key, set[Key]] = {}
    for total, parts in equations:
        members = {total, *parts}
        for m in members:
            partners.setdefault(m, set()).update(members - {m})
    while True:
        published = {k: (None if k in hidden else float(v)) for k, v in values.items()}
        bounds = intervals(equations, published, needs)
        failing = [k for k in needs if bounds[k][1] - bounds[k][0] < needs[k] - 1e-6]
        if not failing:
            return hidden
        added = False
        for key in sorted(failing, key=repr):
            choice = _pick(partners.get(key, set()) - hidden, values)
            if choice is None:
                choice = _pick(set(values) - hidden, values)
            if choice is not None:
                hidden.add(choice)
                added = True
        if not added:  # everything is hidden; nothing more can protect it
            return hidden


def _quick_pass(equations: list[tuple[Key, list[Key]]], values: dict[Key, int], hidden: set[Key]):
    """Hide a partner in every relation with exactly one hidden member (the classic rule)."""
    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            members = [total, *parts]
            if sum(1 for m in members if m in hidden) == 1:
                choice = _pick({m for m in members if m not in hidden}, values)
                if choice is not None:
                    hidden.add(choice)
                    changed = True


def _pick(candidates: Iterable[Key], values: dict[Key, int]) -> Key | None:
    """The cheapest item to hide: a cell before a margin, then non-zero, then the smallest."""
    ranked = sorted(candidates, key=lambda k: (k.count(TOTAL), values[k] == 0, values[k], k))
    return ranked[0] if ranked else None


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


__all__ = ["PublishedItem", "PublishedTable", "publish"]
