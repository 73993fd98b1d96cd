"""Policies from the environment: hub-wide defaults, per-agency overrides, clear errors."""

from __future__ import annotations

import pytest

from hub.resilience.deadline import DEFAULT_DEADLINE, deadline_from_environ
from hub.resilience.policy import POLICY_KEYS, ResiliencePolicy
from hub.settings import SettingsError


def test_defaults_without_any_variable() -> None:
    policy = ResiliencePolicy.from_environ({}, ("P2MI",))
    assert policy == ResiliencePolicy()
    assert policy.cache_enabled


def test_agency_override_wins_over_the_hub_default() -> None:
    environ = {
        "HUB_RESILIENCE_RETRY_ATTEMPTS": "5",
        "HUB_RESILIENCE_CACHE_TTL": "60",
        "HUB_AGENCY_BPJS_RETRY_ATTEMPTS": "2",
        "HUB_AGENCY_P2MI_RETRY_ATTEMPTS": "9",
    }
    bpjs = ResiliencePolicy.from_environ(environ, ("bpjs", "BPJS_KETENAGAKERJAAN"))
    assert bpjs.retry_attempts == 2 and bpjs.cache_ttl == 60.0
    other = ResiliencePolicy.from_environ(environ, ("KEMNAKER",))
    assert other.retry_attempts == 5


def test_agency_code_works_as_a_name_too() -> None:
    environ = {"HUB_AGENCY_BPJS_KETENAGAKERJAAN_MAX_CONCURRENT": "4"}
    assert (
        ResiliencePolicy.from_environ(environ, ("bpjs", "BPJS_KETENAGAKERJAAN")).max_concurrent == 4
    )


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("HUB_RESILIENCE_RETRY_ATTEMPTS", "three", "whole number"),
        ("HUB_RESILIENCE_RETRY_ATTEMPTS", "0", "at least 1"),
        ("HUB_AGENCY_P2MI_CACHE_TTL", "-1", ">= 0"),
        ("HUB_RESILIENCE_BREAKER_RECOVERY", "nan", ">= 0"),
        ("HUB_RESILIENCE_CALL_TIMEOUT", "soon", "seconds"),
    ],
)
def test_bad_values_name_the_problem(variable: str, value: str, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment):
        ResiliencePolicy.from_environ({variable: value}, ("P2MI",))


def test_cache_off_when_both_windows_are_zero() -> None:
    environ = {"HUB_RESILIENCE_CACHE_TTL": "0", "HUB_RESILIENCE_CACHE_STALE": "0"}
    assert not ResiliencePolicy.from_environ(environ).cache_enabled


def test_policy_keys_are_the_variable_suffixes() -> None:
    assert {"RETRY_ATTEMPTS", "BREAKER_FAILURES", "CACHE_TTL", "MAX_CONCURRENT"} <= POLICY_KEYS
    assert "URL" not in POLICY_KEYS


def test_request_deadline_setting() -> None:
    assert deadline_from_environ({}) == DEFAULT_DEADLINE
    assert deadline_from_environ({"HUB_REQUEST_DEADLINE": "1.5"}) == 1.5
    for bad in ("0", "-2", "fast", "inf"):
        with pytest.raises(SettingsError, match="HUB_REQUEST_DEADLINE"):
            deadline_from_environ({"HUB_REQUEST_DEADLINE": bad})
