"""SISKOP2MI's dates and code lists."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from connectors.p2mi.dialect import (
    COMPLAINT_KIND,
    COMPLAINT_STATUS,
    PLACEMENT_STATUS,
    SCHEME,
    SECTOR,
    SEVERITY,
    SEX,
    CodeTable,
    format_date,
    parse_date,
)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(1990, 8, 5), "05-08-1990"),
        (date(2026, 12, 31), "31-12-2026"),
        (date(5, 1, 2), "02-01-0005"),
    ],
)
def test_dates_round_trip_as_dd_mm_yyyy(day: date, text: str) -> None:
    assert format_date(day) == text
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "value",
    [
        "1990-08-05",
        "5-8-1990",
        "05/08/1990",
        "05-08-90",
        "31-02-2024",
        "00-01-2024",
        " 05-08-1990",
        "05-08-1990\n",
        "٠٥-٠٨-١٩٩٠",
        5081990,
        None,
    ],
)
def test_anything_but_a_real_dd_mm_yyyy_date_is_refused(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert "1990" not in str(caught.value)


TABLES: list[CodeTable[StrEnum]] = [  # type: ignore[list-item]
    SEX,
    PLACEMENT_STATUS,
    SCHEME,
    SECTOR,
    COMPLAINT_KIND,
    COMPLAINT_STATUS,
    SEVERITY,
]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_value_has_a_code_that_reads_back(table: CodeTable[StrEnum]) -> None:
    enum = type(next(iter(table._wire)))
    assert set(table._wire) == set(enum)
    for value in enum:
        assert table.parse(table.wire(value)) is value


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_unknown_codes_are_refused(table: CodeTable[StrEnum]) -> None:
    with pytest.raises(ValueError, match="unknown"):
        table.parse("NO_SUCH_CODE")
    with pytest.raises(ValueError):
        table.parse(None)


def test_a_code_table_must_be_one_to_one() -> None:
    class Colour(StrEnum):
        RED = "RED"
        ROSE = "ROSE"

    with pytest.raises(ValueError, match="one-to-one"):
        CodeTable[Colour]("colour", {Colour.RED: "MERAH", Colour.ROSE: "MERAH"})
