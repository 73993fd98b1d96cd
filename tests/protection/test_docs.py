"""docs/protection-rules.md is generated from the rule definitions and kept up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.protection import DEFAULT_ENGINE, RULES_VERSION
from hub.protection.docs import DEFAULT_PATH, main, render_markdown
from hub.protection.rules import NOTICES, RULES

REQUIRED = {
    "NOT_IN_SISKOP2MI",
    "PLACEMENT_AGENCY_LICENSE_REVOKED",
    "PLACEMENT_AGENCY_LICENSE_SUSPENDED",
    "MORATORIUM_DESTINATION",
    "ORIENTATION_MISSING",
    "CONTRACT_NOT_ENDORSED",
    "CONTRACT_EXPIRED_STILL_ABROAD",
    "BPJS_NOT_ENROLLED",
    "BPJS_COVERAGE_EXPIRED",
    "BPJS_COVERAGE_ENDS_SOON",
    "BPJS_PHASE_NOT_COVERED",
    "JHT_NOT_ENROLLED",
    "NOT_REPORTED_TO_MISSION",
    "PASSPORT_EXPIRED",
    "PASSPORT_EXPIRES_SOON",
    "OPEN_CASE",
    "CRITICAL_CASE",
    "SOURCE_UNAVAILABLE",
}


def test_the_committed_file_is_up_to_date() -> None:
    # when the documentation is generated again
    expected = render_markdown()
    # then it is what the repository holds
    assert DEFAULT_PATH.read_text(encoding="utf-8") == expected, (
        "docs/protection-rules.md is out of date: run python -m hub.protection.docs"
    )


def test_every_rule_is_documented_in_full() -> None:
    text = render_markdown()
    assert f"Rules version: `{RULES_VERSION}`" in text
    for rule in (*RULES, *NOTICES):
        section = text.split(f"### {rule.code}\n", 1)[1].split("\n### ", 1)[0]
        assert f"- Severity: {rule.severity.value}" in section
        assert f"- Legal basis: {rule.basis}" in section
        assert f"- Condition: {rule.condition_for(DEFAULT_ENGINE.config)}" in section
        assert f"- Message (ID): {rule.message.id}" in section
        assert f"- Message (EN): {rule.message.en}" in section
        assert f"- In force: {rule.law.dates()}" in section
        if rule.law.weak:
            assert f"- Weak source: {rule.law.weak}" in section
        for party in rule.actions:
            assert f"- Action ({party.party.value.lower()}) (EN): {party.text.en}" in section
    assert "{c." not in text  # every configuration placeholder was filled in


def test_every_rule_of_the_law_cites_a_dated_source() -> None:
    for rule in RULES:
        assert rule.law.sources, f"{rule.code} cites no source"
        assert rule.law.since is not None, f"{rule.code} has no first day"


def test_every_dated_list_entry_is_documented_with_its_law() -> None:
    text = render_markdown()
    config = DEFAULT_ENGINE.config
    for entry in config.moratorium:
        assert f"| {entry.country} | {entry.law.citation}; {entry.law.dates()};" in text
        if entry.law.weak:
            assert entry.law.weak in text
    for country, law in config.closed_destinations:
        assert f"| {country} | {law.citation}; {law.dates()};" in text
    for dated in (*config.jkk_claim_years, *config.card_transition_months):
        assert f"| {dated.value} | {dated.law.citation}; {dated.law.dates()};" in text


def test_codes_are_unique_and_complete() -> None:
    codes = [r.code for r in (*RULES, *NOTICES)]
    assert len(codes) == len(set(codes))
    assert set(codes) >= REQUIRED
    assert all(re.fullmatch(r"[A-Z0-9_]+", code) for code in codes)


def test_check_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given a stale copy
    target = tmp_path / "rules.md"
    target.write_text("old\n", encoding="utf-8")
    # then --check fails without writing, and a plain run writes the file
    assert main(["--output", str(target), "--check"]) == 1
    assert "out of date: run python -m hub.protection.docs" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == "old\n"
    assert main(["--output", str(target)]) == 0
    assert main(["--output", str(target), "--check"]) == 0
