"""The census's pure parts: what a record keeps, and when a change is an alert."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hub.census.alerts import change_key, worsened
from hub.census.summary import codes, region_of
from hub.census.tables import CensusRow

AT = datetime(2026, 11, 24, 8, tzinfo=UTC)


def row(level: str = "PROTECTED", findings: str = "", grave: str = "", **kw: object) -> CensusRow:
    values: dict[str, object] = {
        "worker_id": "wk_00000000000000000001",
        "level": level,
        "level_rank": 4,
        "phase": "PLACEMENT",
        "findings": findings,
        "grave": grave,
        "rules_version": "r1",
        "evaluated_at": AT,
        "evaluated_on": date(2026, 11, 24),
        "abroad": True,
        "licence": "KEP.1/2022",
        "licence_status": "ACTIVE",
        **kw,
    }
    return CensusRow(**values)


def replace(base: CensusRow, **changes: object) -> CensusRow:
    return CensusRow(**{**base.model_dump(), **changes})


@pytest.mark.parametrize(
    ("address", "region"),
    [
        ("Kowloon", "kowloon"),
        ("Jl. Melati 5, Taichung", "taichung"),
        ("12F No. 3, Lane 5", None),  # a street or house number is never kept
        ("", None),
        (None, None),
    ],
)
def test_the_region_of_an_address_is_its_last_part_without_numbers(
    address: str | None, region: str | None
) -> None:
    assert region_of(address) == region


def test_codes_are_stored_so_that_one_matches_exactly() -> None:
    assert codes(["B", "A", "B"]) == ",A,B,"
    assert codes([]) == ""


def test_a_first_verdict_is_the_baseline() -> None:
    assert worsened(None, row("EMERGENCY", ",DETAINED,", ",DETAINED,")) is None


def test_a_worse_level_or_a_new_grave_finding_is_an_alert_and_unknown_is_not() -> None:
    assert worsened(row(), row("AT_RISK", ",X,")) == ("X",)
    assert worsened(row("UNPROTECTED", ",A,", ",A,"), row("UNPROTECTED", ",A,B,", ",A,B,")) == (
        "B",
    )
    assert worsened(row(), row("UNKNOWN", ",SOURCE_UNAVAILABLE,")) is None  # an outage
    assert worsened(row("AT_RISK", ",X,"), row()) is None  # better
    assert worsened(row("AT_RISK", ",X,"), row("AT_RISK", ",Y,")) is None  # as bad, not grave


def test_a_licence_lost_is_an_alert_for_the_workers_still_abroad_only() -> None:
    before = row("UNPROTECTED", ",A,", ",A,")
    revoked = replace(before, licence_status="REVOKED", findings=",A,LICENCE_REVOKED,")
    assert worsened(before, revoked) == ("LICENCE_REVOKED",)
    at_home = replace(revoked, abroad=False, level="EMERGENCY", grave=",A,LICENCE_REVOKED,")
    assert worsened(replace(before, abroad=False), at_home) is None


def test_the_change_key_names_the_change_once() -> None:
    before, after = row(), row("AT_RISK", ",X,")
    assert change_key(before, after) == change_key(before, after)
    assert change_key(before, after) != change_key(
        replace(before, evaluated_at=AT.replace(hour=9)), after
    )
