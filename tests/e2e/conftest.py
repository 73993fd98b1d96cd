from __future__ import annotations

from collections.abc import Iterator

import pytest

from schema.scenario import Scenario
from tests.e2e.stack import Stack, running_stack


@pytest.fixture(scope="session")
def stack(small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(small_scenario, tmp_path_factory.mktemp("stack")) as running:
        yield running
