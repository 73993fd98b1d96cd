"""Destinations: placement weights, sectors, contract lengths, cities and the missions serving them.

Weights follow BPJS Ketenagakerjaan's 2024 participants for the three largest destinations
(Taiwan 216,738, Malaysia 176,278, Hong Kong 68,216: people abroad, like the population), and
the 2024 placements by destination for the rest (DOMAIN.md §2: Japan 12,653, Singapore
10,781; Korea 10,090 through G to G, doubled for EPS stays; Saudi Arabia 6,310 from 2023).
The remaining 23,209 placements of 2024 are spread over Brunei, Macau, the Gulf, Turkey and
Europe by assumption. Sector mixes per destination are assumptions (targets.py). Cambodia
has no placement channel: only workers known to the mission are there.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.missions import MISSIONS
from schema.population._tables import Weighted


@dataclass(frozen=True, slots=True)
class Destination:
    country: str
    placements: int  # weight: placements a year
    sectors: Weighted[str]
    months: Weighted[int]  # contract length
    cities: Weighted[tuple[str, str]]  # (city, mission code)
    g2g: float  # share of placements through G to G
    independent: float  # share of the rest placed as individual workers
    phone_prefix: str  # country calling code and mobile prefix
    phone_digits: int


MISSION_OFFSET = {m.code: m.utc_offset for m in MISSIONS}

_GULF_SECTORS = (
    ("DOMESTIC", 50),
    ("HOSPITALITY", 25),
    ("CONSTRUCTION", 10),
    ("OTHER", 10),
    ("CARE", 5),
)
_TWO_YEARS = Weighted(((24, 90), (12, 8), (6, 2)))


def _d(
    country: str,
    placements: int,
    sectors: tuple[tuple[str, float], ...],
    cities: tuple[tuple[str, str, float], ...],
    phone: tuple[str, int],
    *,
    months: Weighted[int] = _TWO_YEARS,
    g2g: float = 0.0,
    independent: float = 0.085,
) -> Destination:
    return Destination(
        country,
        placements,
        Weighted(sectors),
        months,
        Weighted(tuple(((city, mission), weight) for city, mission, weight in cities)),
        g2g,
        independent,
        phone[0],
        phone[1],
    )


DESTINATIONS: tuple[Destination, ...] = (
    _d(
        "HK",
        68_216,
        (("DOMESTIC", 70), ("CARE", 24), ("OTHER", 6)),
        (
            ("Kowloon", "HKG", 4),
            ("Sha Tin", "HKG", 2),
            ("Tsuen Wan", "HKG", 2),
            ("Tuen Mun", "HKG", 2),
            ("Yuen Long", "HKG", 1),
            ("Wan Chai", "HKG", 1),
            ("Causeway Bay", "HKG", 1),
            ("Tseung Kwan O", "HKG", 1),
        ),
        ("+852", 8),
    ),
    _d(
        "TW",
        216_738,
        (  # most Indonesians in Taiwan care for the elderly at home (memory, unverified)
            ("CARE", 55),
            ("MANUFACTURING", 27),
            ("FISHERIES_SEA", 8),
            ("DOMESTIC", 4),
            ("CONSTRUCTION", 3),
            ("OTHER", 3),
        ),
        (
            ("Taipei", "TPE", 3),
            ("New Taipei", "TPE", 3),
            ("Taoyuan", "TPE", 3),
            ("Taichung", "TPE", 3),
            ("Tainan", "TPE", 2),
            ("Kaohsiung", "TPE", 2),
            ("Changhua", "TPE", 1),
            ("Pingtung", "TPE", 1),
        ),
        ("+8869", 8),
        months=Weighted(((36, 85), (24, 10), (12, 5))),
    ),
    _d(
        "MY",
        176_278,
        (
            ("PLANTATION", 50),
            ("MANUFACTURING", 25),
            ("DOMESTIC", 9),
            ("CONSTRUCTION", 10),
            ("HOSPITALITY", 4),
            ("OTHER", 2),
        ),
        (
            ("Kuala Lumpur", "KUL", 3),
            ("Shah Alam", "KUL", 2),
            ("Klang", "KUL", 2),
            ("Penang", "PEN", 2),
            ("Johor Bahru", "JHB", 3),
            ("Muar", "JHB", 1),
            ("Kota Kinabalu", "BKI", 2),
            ("Sandakan", "BKI", 2),
            ("Tawau", "TWU", 2),
            ("Lahad Datu", "TWU", 2),
            ("Kuching", "KCH", 1),
            ("Miri", "KCH", 1),
        ),
        ("+601", 9),
    ),
    _d(
        "JP",
        12_653,
        (
            ("MANUFACTURING", 45),
            ("CARE", 20),
            ("CONSTRUCTION", 12),
            ("FISHERIES_SEA", 8),
            ("HOSPITALITY", 8),
            ("PLANTATION", 7),
        ),
        (
            ("Tokyo", "TYO", 2),
            ("Yokohama", "TYO", 2),
            ("Saitama", "TYO", 1),
            ("Ibaraki", "TYO", 1),
            ("Nagoya", "OSA", 2),
            ("Osaka", "OSA", 2),
            ("Kobe", "OSA", 1),
            ("Hiroshima", "OSA", 1),
        ),
        ("+8190", 8),
        months=Weighted(((36, 60), (12, 25), (60, 15))),
        g2g=0.025,
        independent=0.2,
    ),
    _d(
        "SG",
        10_781,
        (("DOMESTIC", 80), ("CARE", 5), ("MANUFACTURING", 8), ("HOSPITALITY", 7)),
        (("Singapore", "SIN", 1),),
        ("+659", 7),
    ),
    _d(
        "KR",
        20_180,  # two years' placements: EPS stays run up to 4 years 10 months (assumption)
        (("MANUFACTURING", 85), ("FISHERIES_SEA", 10), ("CONSTRUCTION", 3), ("PLANTATION", 2)),
        (
            ("Ansan", "SEL", 3),
            ("Hwaseong", "SEL", 2),
            ("Gimhae", "SEL", 2),
            ("Changwon", "SEL", 1),
            ("Busan", "SEL", 2),
            ("Incheon", "SEL", 1),
            ("Cheonan", "SEL", 1),
        ),
        ("+8210", 8),
        months=Weighted(((36, 90), (12, 10))),
        g2g=1.0,
        independent=0.0,
    ),
    _d(
        "SA",
        6_310,
        (("DOMESTIC", 60), ("HOSPITALITY", 15), ("CONSTRUCTION", 10), ("OTHER", 10), ("CARE", 5)),
        (
            ("Riyadh", "RUH", 3),
            ("Dammam", "RUH", 1),
            ("Jeddah", "JED", 3),
            ("Mecca", "JED", 1),
            ("Medina", "JED", 1),
            ("Taif", "JED", 1),
        ),
        ("+9665", 8),
    ),
    _d(
        "BN",
        7_000,
        (
            ("DOMESTIC", 45),
            ("CONSTRUCTION", 20),
            ("HOSPITALITY", 15),
            ("PLANTATION", 10),
            ("OTHER", 10),
        ),
        (("Bandar Seri Begawan", "BWN", 3), ("Kuala Belait", "BWN", 1)),
        ("+6738", 6),
    ),
    _d(
        "MO",
        1_100,
        (("DOMESTIC", 85), ("CARE", 10), ("HOSPITALITY", 5)),
        (("Macau", "HKG", 1),),
        ("+8536", 7),
    ),
    _d(
        "AE",
        3_500,
        _GULF_SECTORS,
        (("Abu Dhabi", "AUH", 2), ("Al Ain", "AUH", 1), ("Dubai", "DXB", 3), ("Sharjah", "DXB", 1)),
        ("+9715", 8),
    ),
    _d("QA", 2_500, _GULF_SECTORS, (("Doha", "DOH", 1),), ("+9743", 7)),
    _d("KW", 1_600, _GULF_SECTORS, (("Kuwait City", "KWI", 1),), ("+9656", 7)),
    _d("OM", 1_200, _GULF_SECTORS, (("Muscat", "MCT", 1),), ("+9689", 7)),
    _d("BH", 600, _GULF_SECTORS, (("Manama", "BAH", 1),), ("+9733", 7)),
    _d("JO", 300, _GULF_SECTORS, (("Amman", "AMM", 1),), ("+9627", 8)),
    # No placement channel (closed destination): only workers known to the mission live here.
    _d(
        "KH",
        0,
        (("OTHER", 1),),
        (("Phnom Penh", "PNH", 2), ("Sihanoukville", "PNH", 1)),
        ("+85512", 6),
    ),
    _d(
        "TR",
        1_800,
        (("HOSPITALITY", 40), ("DOMESTIC", 20), ("MANUFACTURING", 20), ("OTHER", 20)),
        (("Ankara", "ANK", 1), ("Istanbul", "IST", 2), ("Antalya", "IST", 1)),
        ("+905", 9),
    ),
    _d(
        "PL",
        2_200,
        (("MANUFACTURING", 40), ("HOSPITALITY", 30), ("PLANTATION", 15), ("CONSTRUCTION", 15)),
        (("Warsaw", "WAW", 2), ("Wroclaw", "WAW", 1), ("Poznan", "WAW", 1)),
        ("+485", 8),
    ),
    _d(
        "DE",
        600,
        (("CARE", 80), ("HOSPITALITY", 20)),
        (
            ("Berlin", "BER", 1),
            ("Hamburg", "BER", 1),
            ("Frankfurt", "FRA", 1),
            ("Munich", "FRA", 1),
        ),
        ("+4915", 9),
        months=Weighted(((36, 80), (24, 20))),
        g2g=0.19,
    ),
    _d(
        "IT",
        800,
        (("HOSPITALITY", 50), ("CARE", 30), ("OTHER", 20)),
        (("Rome", "ROM", 1), ("Milan", "ROM", 1)),
        ("+393", 9),
    ),
)
BY_COUNTRY = {d.country: d for d in DESTINATIONS}
PLACEMENT_DESTINATIONS: Weighted[Destination] = Weighted(
    tuple((d, float(d.placements)) for d in DESTINATIONS if d.placements)
)
# Where workers known only to a mission are: Malaysia and the Gulf above all (assumption;
# DOMAIN.md §3: undocumented status dominates the missions' cases).
UNDOCUMENTED_DESTINATIONS: Weighted[Destination] = Weighted(
    tuple(
        (BY_COUNTRY[code], weight)
        for code, weight in (
            ("MY", 45),
            ("SA", 18),
            ("TW", 8),
            ("KR", 6),
            ("AE", 5),
            ("KW", 3),
            ("QA", 3),
            ("HK", 3),
            ("SG", 3),
            ("JO", 2),
            ("OM", 2),
            ("BN", 2),
            ("KH", 3),  # online-scam compounds; among 2024's top complaint countries [S49]
        )
    )
)

OCCUPATIONS: dict[str, Weighted[str]] = {
    "DOMESTIC": Weighted(
        (("Domestic worker", 6), ("Housemaid", 3), ("Penata laksana rumah tangga", 1))
    ),
    "CARE": Weighted((("Caregiver", 7), ("Caretaker", 2), ("Nurse aide", 1))),
    "MANUFACTURING": Weighted(
        (
            ("Factory operator", 5),
            ("Production operator", 3),
            ("Welder", 1),
            ("Machine operator", 1),
        )
    ),
    "PLANTATION": Weighted(
        (("Plantation worker", 5), ("Palm oil harvester", 3), ("Farm worker", 2))
    ),
    "CONSTRUCTION": Weighted(
        (("Construction worker", 5), ("Carpenter", 2), ("Scaffolder", 1), ("Bricklayer", 2))
    ),
    "FISHERIES_SEA": Weighted((("Fishing crew", 6), ("Deckhand", 3), ("Ship's cook", 1))),
    "HOSPITALITY": Weighted(
        (("Waiter", 3), ("Housekeeping attendant", 3), ("Cook", 2), ("Spa therapist", 2))
    ),
    "OTHER": Weighted((("Driver", 3), ("Cleaner", 3), ("Gardener", 2), ("Security guard", 2))),
}

# Women's share by sector (assumption; household and care work is done mostly by women).
FEMALE_SHARE: dict[str, float] = {
    "DOMESTIC": 0.98,
    "CARE": 0.9,
    "PLANTATION": 0.3,
    "MANUFACTURING": 0.35,
    "CONSTRUCTION": 0.03,
    "FISHERIES_SEA": 0.02,
    "HOSPITALITY": 0.45,
    "OTHER": 0.4,
}
