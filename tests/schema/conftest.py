"""A generated 10,000-person population, made once per test session."""

from __future__ import annotations

import pytest

from schema.population import generate
from schema.scenario import load_scenario
from tests.schema._population import AS_OF, SEED, Population


@pytest.fixture(scope="session")
def population(tmp_path_factory: pytest.TempPathFactory) -> Population:
    path = tmp_path_factory.mktemp("population") / "population.json"
    stats = generate(path, people=10_000, seed=SEED, as_of=AS_OF)
    return Population(path, stats, load_scenario(path))
