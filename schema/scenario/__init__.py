"""The scenario format: the ground truth every agency sandbox serves (SCENARIO.md)."""

from schema.scenario.loader import (
    ScenarioError,
    ScenarioIssue,
    load_scenario,
    parse_scenario,
    validate_scenario,
)
from schema.scenario.models import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioIssue",
    "load_scenario",
    "parse_scenario",
    "validate_scenario",
]
