"""Hub settings: malformed values fail at start-up, naming the variable."""

from __future__ import annotations

import pytest

from hub.identity.policy import MatchPolicy
from hub.settings import Settings, SettingsError

BASE = {
    "HUB_ENV": "test",
    "HUB_PSEUDONYM_KEY": "k" * 32,
    "HUB_CONNECTORS": "imigrasi=tests.fixtures.imigrasi",
    "HUB_AGENCY_IMIGRASI_URL": "http://127.0.0.1:9",
}


def test_match_thresholds_default_and_override() -> None:
    assert Settings.from_environ(BASE).match_policy == MatchPolicy(0.95, 0.5)
    tuned = {**BASE, "HUB_MATCH_UPPER": "0.99", "HUB_MATCH_LOWER": "0.3"}
    assert Settings.from_environ(tuned).match_policy == MatchPolicy(0.99, 0.3)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"HUB_MATCH_UPPER": "high"}, "HUB_MATCH_UPPER"),
        ({"HUB_MATCH_LOWER": "1.5"}, "HUB_MATCH_LOWER"),
        ({"HUB_MATCH_UPPER": "0.4", "HUB_MATCH_LOWER": "0.6"}, "HUB_MATCH_LOWER"),
    ],
)
def test_bad_match_thresholds_are_refused_at_start_up(changes: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_environ({**BASE, **changes})


@pytest.mark.parametrize("mode", ["production", "dev"])
def test_pseudonym_key_is_required_outside_the_test_suite(mode: str) -> None:
    with pytest.raises(SettingsError, match="HUB_PSEUDONYM_KEY is required"):
        Settings.from_environ({**BASE, "HUB_ENV": mode, "HUB_PSEUDONYM_KEY": ""})


def test_a_short_pseudonym_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="at least 16 characters"):
        Settings.from_environ({**BASE, "HUB_PSEUDONYM_KEY": "k" * 15})
    assert Settings.from_environ({**BASE, "HUB_PSEUDONYM_KEY": "k" * 16}).pseudonym_key
