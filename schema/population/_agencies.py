"""Placement agencies (P3MI) with their Kemnaker licences (SIP3MI).

Kemnaker licensed 424 P3MI in April 2024 (DOMAIN.md §1); the generator writes 460: 400
active, 20 suspended, 28 revoked and 12 expired. How many placements an agency makes is
skewed (a few large agencies place most workers); agencies that lost their licence were
smaller on average.
"""

from __future__ import annotations

import random
from typing import Any

from schema.population._tables import Weighted

STATUS_COUNTS = (("ACTIVE", 400), ("SUSPENDED", 20), ("REVOKED", 28), ("EXPIRED", 12))

_WORDS = (
    "Sinar",
    "Jaya",
    "Abadi",
    "Mitra",
    "Karya",
    "Bunga",
    "Harapan",
    "Sejahtera",
    "Putra",
    "Perkasa",
    "Bina",
    "Tenaga",
    "Mandiri",
    "Cahaya",
    "Mulia",
    "Duta",
    "Insani",
    "Bahari",
    "Sentosa",
    "Graha",
    "Amanah",
    "Citra",
    "Nusantara",
    "Prima",
    "Utama",
    "Anugerah",
    "Berkah",
    "Surya",
    "Lintas",
    "Samudra",
    "Gemilang",
    "Makmur",
)
_CITIES = (
    ("Jakarta", "+6221", 8),
    ("Surabaya", "+6231", 7),
    ("Semarang", "+6224", 7),
    ("Bandung", "+6222", 7),
    ("Malang", "+62341", 6),
    ("Mataram", "+62370", 6),
    ("Bekasi", "+6221", 8),
    ("Tangerang", "+6221", 8),
)
_STREETS = (
    "Jl. Raya Bogor",
    "Jl. Ahmad Yani",
    "Jl. Diponegoro",
    "Jl. Sudirman",
    "Jl. Gatot Subroto",
    "Jl. Pahlawan",
    "Jl. Veteran",
    "Jl. Pemuda",
)


def placement_agencies(seed: int) -> tuple[list[dict[str, Any]], Weighted[str]]:
    """The agencies as scenario entries, and their licence numbers weighted by placements."""
    rng = random.Random(f"{seed}/placement-agencies")
    statuses = [status for status, count in STATUS_COUNTS for _ in range(count)]
    rng.shuffle(statuses)
    numbers = rng.sample(range(1, 1000), len(statuses))
    names: set[str] = set()
    entries: list[dict[str, Any]] = []
    weights: list[tuple[str, float]] = []
    for rank, (status, number) in enumerate(zip(statuses, numbers, strict=True)):
        name = ""
        while not name or name in names:
            a, b = rng.sample(_WORDS, 2)
            name = f"PT {a} {b} {rng.choice(_WORDS)}" if rng.random() < 0.3 else f"PT {a} {b}"
        names.add(name)
        city, area, digits = rng.choice(_CITIES)
        licence = f"KEP.{number:03d}/{rng.randrange(2018, 2026)}"
        entries.append(
            {
                "licenseNumber": licence,
                "name": name,
                "status": status,
                "phone": f"{area}{rng.randrange(10 ** (digits - 1), 10**digits)}",
                "address": f"{rng.choice(_STREETS)} No. {rng.randrange(1, 250)}, {city}",
            }
        )
        size = 1.0 / (rank + 8) * (0.5 if status in ("REVOKED", "EXPIRED") else 1.0)
        weights.append((licence, size))
    return entries, Weighted(weights)
