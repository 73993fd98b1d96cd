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


def days_to_payment(raw: dict[str, Any]) -> Counter[tuple[str, str]]:
    """Paid claims per (programme, days band from submission to payment), as the scenario
    holds them (hub.statistics.facts's bands, written out again here)."""
    from datetime import date

    bands = ((7, "0_7"), (14, "8_14"), (30, "15_30"), (60, "31_60"))
    out: Counter[tuple[str, str]] = Counter()
    for person in raw["people"]:
        for block in blocks(person, "bpjs"):
            for claim in block.get("claims", []):
                if claim["status"] != "PAID":
                    continue
                if "paidOn" not in claim:
                    out[(claim["program"], "UNKNOWN")] += 1
                    continue
                days = (
                    date.fromisoformat(claim["paidOn"]) - date.fromisoformat(claim["submittedOn"])
                ).days
                band = next((b for upper, b in bands if days <= upper), "61_PLUS")
                out[(claim["program"], band)] += 1
    return out


def money(raw: dict[str, Any]) -> Counter[tuple[str, str]]:
    """F9's sums per (year, flow): contributions by the year paid (else the period's year),
    paid claims by the year paid (UNKNOWN without a payment day)."""
    out: Counter[tuple[str, str]] = Counter()
    for person in raw["people"]:
        for block in blocks(person, "bpjs"):
            for paid in block.get("contributions", []):
                year = (paid.get("paidOn") or paid["period"])[:4]
                out[(year, "CONTRIBUTIONS")] += paid["amount"]
            for claim in block.get("claims", []):
                if claim["status"] == "PAID" and claim.get("amount"):
                    year = claim["paidOn"][:4] if "paidOn" in claim else "UNKNOWN"
                    out[(year, "BENEFITS_PAID")] += claim["amount"]
    return out
