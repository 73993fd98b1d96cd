"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from schema.scenario import Scenario, load_scenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's HUB_* settings; the date is pinned to the scenario's."""
    import os

    for name in list(os.environ):
        if name.startswith(("HUB_", "SANDBOX_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HUB_TODAY", "2026-11-24")
    yield


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    """Five hand-written people: all four agencies, embassy only, returned, two placements,
    pre-departure; two KPJ numbers and two embassy records with old and new passports."""
    return load_scenario(FIXTURES / "small_scenario.json")
