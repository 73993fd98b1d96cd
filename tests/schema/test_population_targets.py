"""A generated population meets the stated targets within their tolerance."""

from __future__ import annotations

import math

import pytest

from schema.population import TARGETS
from schema.population.targets import placement_contribution
from tests.schema._population import Population, measure


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_target_is_met_within_its_tolerance(population: Population, name: str) -> None:
    # given
    target = TARGETS[name]
    # when
    counts = measure(name, population.scenario)
    total = sum(counts.values())
    # then: no category outside the target, every share within tolerance
    assert total > 0
    assert set(counts) <= set(target.shares)
    for category, expected in target.shares.items():
        share = counts[category] / total
        assert abs(share - expected) <= target.tolerance + 1e-9, (category, share, expected)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_targets_are_whole_distributions_with_a_source(name: str) -> None:
    target = TARGETS[name]
    assert math.isclose(sum(target.shares.values()), 1.0, abs_tol=1e-9)
    assert target.source and target.unit
    assert 0 <= target.tolerance <= 0.05


@pytest.mark.parametrize(
    ("months", "amount"),
    [
        (24, 332_500),
        (12, 189_000),
        (6, 108_000),
        (36, 332_500 + 12 * 13_500),
        (60, 818_500),
        (18, 189_000 + 6 * 13_500),
    ],
)
def test_placement_contributions_follow_permenaker_4_2023(months: int, amount: int) -> None:
    assert placement_contribution(months) == amount


def test_contributions_in_the_population_are_regulation_amounts(population: Population) -> None:
    allowed = {37_500} | {37_500 + placement_contribution(m) for m in (6, 12, 24, 36, 60)}
    allowed |= {placement_contribution(m) for m in (6, 12, 24, 36, 60)}  # independent: no fee
    allowed |= {13_500 * m for m in (12, 24)}
    allowed |= {50_000, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000}  # JHT tiers
    amounts = {
        c.amount for p in population.scenario.people for r in p.bpjs for c in r.contributions
    }
    assert amounts <= allowed
    assert {37_500, 370_000} <= amounts
