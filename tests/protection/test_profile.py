"""Counting levels and codes over a population, for the bench."""

from __future__ import annotations

from hub.protection import evaluate, profile
from schema.enums import ProtectionLevel, ProtectionPhase
from schema.scenario import Scenario
from tests.protection.scenario_facts import facts_of


def test_profile_counts_what_the_verdicts_say(small_scenario: Scenario) -> None:
    # given the five people of the shared fixture, and the first again with SISKOP2MI unreadable
    facts = [facts_of(p, small_scenario) for p in small_scenario.people]
    facts.append(facts_of(small_scenario.people[0], small_scenario, unavailable=["P2MI"]))
    # when
    result = profile(iter(facts), today=small_scenario.asOf)
    # then
    verdicts = [evaluate(f, today=small_scenario.asOf) for f in facts]
    assert result.workers == 6
    assert result.incomplete == 1
    assert result.levels == {
        ProtectionLevel.AT_RISK: 2,
        ProtectionLevel.EMERGENCY: 1,
        ProtectionLevel.UNPROTECTED: 2,
        ProtectionLevel.UNKNOWN: 1,
    }
    assert sum(result.phases.values()) == 6
    assert result.phases[ProtectionPhase.POST_PLACEMENT] == 1
    assert sum(result.codes.values()) == sum(len(v.findings) for v in verdicts)
    assert result.codes["OPEN_CASE"] == 3  # the unreadable P2MI complaint is not counted
    assert 0 < result.microseconds_per_worker < 10_000


def test_format_lists_every_level_and_the_time() -> None:
    text = profile([], today=None).format()
    assert text.startswith("workers 0, incomplete 0, 0.0 µs per worker\nlevels:\n")
    for level in ProtectionLevel:
        assert f"  {level.value:<36} {0:>8}" in text
