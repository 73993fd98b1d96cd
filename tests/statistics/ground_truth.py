"""Figures computed straight from a scenario file (what the agencies hold), for comparison."""

from __future__ import annotations

from collections import Counter
from typing import Any

ABROAD = ("DEPARTED", "WORKING")


def blocks(person: dict[str, Any], agency: str) -> list[dict[str, Any]]:
    value = person.get(agency)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def current_placement(person: dict[str, Any]) -> dict[str, Any] | None:
    placements = [
        p
        for b in blocks(person, "p2mi")
        for p in b.get("placements", [])
        if p["status"] != "CANCELLED"
    ]
    if not placements:
        return None

    def key(p: dict[str, Any]) -> tuple[int, str]:
        when = p.get("departedOn") or p.get("contractStart") or p.get("agreementSignedOn") or ""
        return (1 if p["status"] in ABROAD else 0, when)

    return max(placements, key=key)


def placed_not_enrolled(raw: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """Per destination: people abroad on a placement, and those with no BPJS membership."""
    abroad: Counter[str] = Counter()
    unenrolled: Counter[str] = Counter()
    for person in raw["people"]:
        current = current_placement(person)
        if current is None or current["status"] not in ABROAD:
            continue
        abroad[current["country"]] += 1
        if not blocks(person, "bpjs"):
            unenrolled[current["country"]] += 1
    return abroad, unenrolled
