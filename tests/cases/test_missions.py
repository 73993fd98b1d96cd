"""Which mission serves a place: for a case about a worker who never reported to one."""

from __future__ import annotations

import pytest

from hub.cases.missions import MissionCatalog


@pytest.mark.parametrize(
    ("country", "city", "code"),
    [
        ("HK", None, "HKG"),  # the only mission there
        ("tw", "Taichung", "TPE"),
        ("MY", "Johor Bahru", "JHB"),  # the consulate in the employer's city
        ("MY", " kuching ", "KCH"),
        ("MY", "Shah Alam", "KUL"),  # no consulate there: the embassy forwards
        ("MY", None, "KUL"),
        ("SA", "Jeddah", "JED"),
        ("SA", "Dammam", "RUH"),
    ],
)
def test_a_place_is_served_by_its_mission(country: str, city: str | None, code: str) -> None:
    mission = MissionCatalog.default().serving(country, city)
    assert mission is not None and mission.code == code


@pytest.mark.parametrize("country", [None, "", "XX"])
def test_no_mission_where_there_is_none(country: str | None) -> None:
    assert MissionCatalog.default().serving(country, "Anywhere") is None
