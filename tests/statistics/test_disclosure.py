"""Disclosure control on crafted tables: every rule, and the attack that must fail."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.statistics.cube import TOTAL, Cube, TableSpec
from hub.statistics.disclosure import publish
from hub.statistics.rules import Rules
from tests.statistics.attacker import attack

RULES = Rules()


def spec(name="t", dims=("country",), cats=None, **kw) -> TableSpec:
    cats = cats or {"country": ("HK", "MY", "TW")}
    return TableSpec(name, name, name, dims, cats, **kw)


def cube_of(s: TableSpec, counts: dict[tuple[str, ...], int], amounts=None) -> Cube:
    c = Cube(s)
    for key, n in counts.items():
        for i in range(n):
            c.add(key, None if amounts is None else amounts[key][i])
    return c


def rows(table, field="count"):
    return [(it.key, getattr(it, field)) for it in table.items]


def assert_protected(table, truth: dict, field="count", width=RULES.count_protection):
    """Every suppressed small cell: the attacker's interval holds the truth and is wide."""
    bounds = attack(rows(table, field))
    for key, (lo, hi) in bounds.items():
        assert lo - 1e-6 <= truth[key] <= hi + 1e-6, (key, truth[key], lo, hi)
        if field == "count" and 1 <= truth[key] <= RULES.threshold:
            assert hi - lo >= width - 1e-6, (key, truth[key], lo, hi)
    return bounds


def test_threshold_suppresses_1_to_10_and_publishes_0_and_11():
    s = spec(cats={"country": ("A", "B", "C", "D", "E")})
    t = publish(cube_of(s, {("A",): 1, ("B",): 10, ("C",): 11, ("E",): 40}), RULES)
    assert t.item(("A",)).count is None and t.item(("B",)).count is None
    assert t.item(("C",)).count == 11 and t.item(("D",)).count == 0
    assert t.total == 62
    assert all(it.count is None or not 1 <= it.count <= 10 for it in t.items)


def test_primary_suppression_alone_is_derivable_from_the_total():
    """The attack this module exists to defeat: one hidden cell and a published total."""
    published = [(("A",), None), (("B",), 50.0), (("C",), 60.0), ((TOTAL,), 113.0)]
    (lo, hi) = attack(published)[("A",)]
    assert lo == pytest.approx(3) and hi == pytest.approx(3)


def test_the_derivation_attack_fails_on_a_published_one_dimensional_table():
    s = spec()
    truth = {("HK",): 3, ("MY",): 50, ("TW",): 60}
    t = publish(cube_of(s, truth), RULES)
    assert t.item(("HK",)).suppressed and t.item(("MY",)).suppressed  # the smallest partner
    assert t.item(("TW",)).count == 60 and t.total == 113
    lo, hi = assert_protected(t, {**truth, (TOTAL,): 113})[("HK",)]
    assert (lo, hi) == (0, 53)


def test_zero_partners_do_not_protect_and_a_wider_partner_is_taken():
    s = spec(cats={"country": ("A", "B", "C", "D")})
    truth = {("A",): 4, ("B",): 0, ("C",): 0, ("D",): 90}
    t = publish(cube_of(s, truth), RULES)
    assert t.item(("D",)).suppressed  # hiding zeros would leave A in [0, 4]
    assert_protected(t, {**truth, (TOTAL,): 94})


def test_the_derivation_attack_fails_on_two_dimensional_tables():
    cats = {"country": ("HK", "MY", "SG", "TW"), "sex": ("F", "M", "UNKNOWN")}
    s = spec(dims=("country", "sex"), cats=cats)
    truth = {
        ("HK", "F"): 120, ("HK", "M"): 2, ("HK", "UNKNOWN"): 30,
        ("MY", "F"): 80, ("MY", "M"): 70, ("MY", "UNKNOWN"): 7,
        ("SG", "F"): 9, ("SG", "M"): 0, ("SG", "UNKNOWN"): 1,
        ("TW", "F"): 200, ("TW", "M"): 150, ("TW", "UNKNOWN"): 25,
    }  # fmt: skip
    t = publish(cube_of(s, truth), RULES)
    full = {it.key: v for it, v in zip(t.items, _truth_items(s, truth), strict=True)}
    bounds = assert_protected(t, full)
    assert {("HK", "M"), ("MY", "UNKNOWN"), ("SG", "F"), ("SG", "UNKNOWN")} <= set(bounds)
    assert t.total == sum(truth.values())
    assert all(it.count is None or not 1 <= it.count <= 10 for it in t.items)


def test_the_derivation_attack_fails_on_a_three_dimensional_table():
    cats = {"a": ("x", "y", "z"), "b": ("p", "q"), "c": ("m", "n", "o")}
    s = spec(dims=("a", "b", "c"), cats=cats)
    r = random.Random(7)
    truth = {k: r.choice([0, 1, 3, 8, 15, 30, 60]) for k in s.cell_keys()}
    t = publish(cube_of(s, truth), RULES)
    assert_protected(t, dict(zip(s.item_keys(), _truth_items(s, truth), strict=True)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 40), min_size=12, max_size=12))
def test_no_random_table_leaks_a_small_cell(values):
    cats = {"country": ("A", "B", "C", "D"), "sex": ("F", "M", "U")}
    s = spec(dims=("country", "sex"), cats=cats)
    truth = dict(zip(s.cell_keys(), values, strict=True))
    t = publish(cube_of(s, truth), RULES)
    assert all(it.count is None or not 1 <= it.count <= 10 for it in t.items)
    assert_protected(t, dict(zip(s.item_keys(), _truth_items(s, truth), strict=True)))


def test_counts_below_national_level_are_rounded_to_base_5():
    cats = {"province": ("P1", "P2", "P3", "P4")}
    s = spec(dims=("province",), cats=cats, geography="province")
    t = publish(cube_of(s, {("P1",): 11, ("P2",): 12, ("P3",): 13, ("P4",): 57}), RULES)
    assert [t.item((p,)).count for p in ("P1", "P2", "P3", "P4")] == [15, 15, 15, 55]
    assert t.total == 95  # 93 rounded; totals are rounded on their own
    national = publish(cube_of(spec(dims=("province",), cats=cats), {("P1",): 13}), RULES)
    assert national.item(("P1",)).count == 13


def test_rates_need_a_published_denominator_of_50():
    cats = {"country": ("A", "B", "C"), "enrolled": ("YES", "NO", "UNKNOWN")}
    s = spec(dims=("country", "enrolled"), cats=cats, rate_of=("enrolled", "YES"))
    truth = {
        ("A", "YES"): 30, ("A", "NO"): 15, ("A", "UNKNOWN"): 0,   # 45 people: no rate
        ("B", "YES"): 40, ("B", "NO"): 20, ("B", "UNKNOWN"): 0,   # 60: 40/60
        ("C", "YES"): 3, ("C", "NO"): 70, ("C", "UNKNOWN"): 12,   # YES hidden: no rate
    }  # fmt: skip
    t = publish(cube_of(s, truth), RULES)
    assert t.item(("A", "YES")).rate is None
    assert t.item(("B", "YES")).rate == pytest.approx(0.6667, abs=1e-4)
    assert t.item(("C", "YES")).rate is None
    assert t.item(("B", "NO")).rate is None  # only the rate_of category carries a rate
    assert t.item((TOTAL, "YES")).rate == pytest.approx(73 / 190, abs=1e-4)


def _claims_table(amounts):
    s = spec(dims=("benefit",), cats={"benefit": ("JKK", "JKM", "JHT")}, amounts=True)
    counts = {k: len(v) for k, v in amounts.items()}
    return s, publish(cube_of(s, counts, amounts), RULES)


def test_dominance_n_k_hides_an_amount_two_claims_make():
    spread = [1_000_000] * 20
    dominated = [50_000_000, 45_000_000] + [100_000] * 18  # two claims: 96% of the cell
    _s, t = _claims_table({("JKK",): spread, ("JKM",): dominated, ("JHT",): spread})
    jkm = t.item(("JKM",))
    assert jkm.count == 20 and jkm.amount is None
    assert t.item(("JKK",)).amount == 20_000_000
    # the amount cannot be had back from the total either
    assert t.item(("JHT",)).amount is None or t.item((TOTAL,)).amount is None
    truth = {("JKK",): 2e7, ("JKM",): 96_800_000, ("JHT",): 2e7, (TOTAL,): 136_800_000}
    for key, (lo, hi) in attack(rows(t, "amount")).items():
        assert lo <= truth[key] <= hi and hi - lo >= RULES.amount_protection * truth[key]


def test_p_ratio_hides_an_amount_the_runner_up_could_estimate():
    # largest 10m, second 1m (11m: 85% < 90%); the other 18 add 0.9m < 10% of 10m
    p_case = [10_000_000, 1_000_000] + [50_000] * 18
    _s, t = _claims_table(
        {("JKK",): [1_000_000] * 20, ("JKM",): p_case, ("JHT",): [2_000_000] * 30}
    )
    assert t.item(("JKM",)).count == 20 and t.item(("JKM",)).amount is None


def test_amounts_are_hidden_with_their_counts():
    _s, t = _claims_table(
        {("JKK",): [1_000_000] * 5, ("JKM",): [1_000_000] * 30, ("JHT",): [2_000_000] * 30}
    )
    assert t.item(("JKK",)).count is None and t.item(("JKK",)).amount is None


def test_the_claims_ratio_is_only_between_two_published_amounts():
    """F9: benefits paid over contributions collected, per year; no ratio where either
    amount is hidden (the 2025 benefits: two payments) or the contributors are under 50."""
    cats = {"year": ("2024", "2025", "2026"), "flow": ("CONTRIBUTIONS", "BENEFITS_PAID")}
    s = spec(
        dims=("year", "flow"),
        cats=cats,
        amounts=True,
        amount_ratio=("flow", "BENEFITS_PAID", "CONTRIBUTIONS"),
    )
    amounts = {
        ("2024", "CONTRIBUTIONS"): [300_000] * 60,  # 18m
        ("2024", "BENEFITS_PAID"): [1_000_000] * 12,  # 12m: ratio 0.6667
        ("2025", "CONTRIBUTIONS"): [300_000] * 60,
        ("2025", "BENEFITS_PAID"): [5_000_000, 4_000_000],  # two people: hidden
        ("2026", "CONTRIBUTIONS"): [300_000] * 40,  # 40 contributors: no ratio
        ("2026", "BENEFITS_PAID"): [1_000_000] * 12,
    }
    counts = {k: len(v) for k, v in amounts.items()}
    t = publish(cube_of(s, counts, amounts), RULES)
    assert t.item(("2024", "BENEFITS_PAID")).rate == pytest.approx(12 / 18, abs=1e-4)
    assert t.item(("2024", "CONTRIBUTIONS")).rate is None  # the ratio sits on the numerator
    assert t.item(("2025", "BENEFITS_PAID")).amount is None
    assert t.item(("2025", "BENEFITS_PAID")).rate is None
    del amounts[("2025", "BENEFITS_PAID")]  # nothing hidden: the 40 contributors alone
    counts = {k: len(v) for k, v in amounts.items()}
    t = publish(cube_of(s, counts, amounts), RULES)
    assert t.item(("2026", "BENEFITS_PAID")).amount == 12_000_000
    assert t.item(("2026", "CONTRIBUTIONS")).amount == 12_000_000
    assert t.item(("2026", "BENEFITS_PAID")).rate is None
    assert t.item(("2025", "BENEFITS_PAID")).rate == 0.0  # none paid: a ratio of 0
    assert t.item(("2024", "BENEFITS_PAID")).rate == pytest.approx(12 / 18, abs=1e-4)
    with pytest.raises(ValueError, match="amount_ratio"):
        spec(dims=("year", "flow"), cats=cats, amount_ratio=("flow", "BENEFITS_PAID", "X"))


def test_sensitive_categories_only_as_national_yearly_totals():
    cats = {"kind": ("DEATH", "WAGES", "DETENTION"), "country": ("MY", "TW")}
    s = spec(dims=("kind", "country"), cats=cats)
    truth = {("DEATH", "MY"): 40, ("DEATH", "TW"): 30, ("WAGES", "MY"): 300,
             ("WAGES", "TW"): 200, ("DETENTION", "MY"): 25, ("DETENTION", "TW"): 0}  # fmt: skip
    t = publish(cube_of(s, truth), RULES)
    for kind in ("DEATH", "DETENTION"):
        for country in ("MY", "TW"):
            assert t.item((kind, country)).suppressed
        assert t.item((kind, TOTAL)).count == sum(truth[(kind, c)] for c in ("MY", "TW"))
    bounds = attack(rows(t))
    lo, hi = bounds[("DEATH", "MY")]
    assert hi - lo >= RULES.count_protection
    yearly = spec(dims=("kind", "year"), cats={"kind": cats["kind"], "year": ("2025", "2026")})
    t2 = publish(cube_of(yearly, {("DEATH", "2025"): 40, ("DEATH", "2026"): 33}), RULES)
    assert t2.item(("DEATH", "2026")).count == 33


def test_rules_describe_themselves_and_round_trip():
    text = RULES.describe()
    assert "1-10" in text and "base 5" in text and RULES.version in text
    assert Rules.from_dict(RULES.as_dict()) == RULES


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        spec(dims=("a", "b", "c", "d"), cats={d: ("x",) for d in "abcd"})
    with pytest.raises(ValueError):
        spec(cats={"country": ("A", TOTAL)})
    with pytest.raises(ValueError):
        Cube(spec()).add(("XX",))


def _truth_items(s: TableSpec, truth: dict) -> list[int]:
    c = cube_of(s, truth).items()
    return [c[k].count for k in s.item_keys()]
