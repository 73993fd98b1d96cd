"""What the generated population aims at, where each figure comes from, and how close it must be.

``TARGETS`` lists the distributions the generator is tested against (tests/schema/population):
shares of a whole, the published figure or assumption behind them, and the tolerance in
share points that a 10,000-person population must meet. ``RATES`` lists how often the
generator plants each rule-relevant situation. The BPJS amounts and windows are those of
Permenaker 4/2023 as summarised in DOMAIN.md §2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Target:
    """Expected shares of one categorical variable, counted over ``unit``."""

    unit: str
    shares: Mapping[str, float]
    tolerance: float  # absolute, in share points (0.02 = two percentage points)
    source: str


def _shares(counts: Mapping[str, float]) -> Mapping[str, float]:
    total = sum(counts.values())
    return MappingProxyType({key: value / total for key, value in counts.items()})


TARGETS: Mapping[str, Target] = MappingProxyType(
    {
        "destination": Target(
            unit="placements (every placement in a P2MI record), by country",
            shares=_shares(
                {
                    "HK": 99_168,
                    "TW": 84_306,
                    "MY": 50_917,
                    "JP": 12_653,
                    "SG": 10_781,
                    "KR": 10_090,
                    "SA": 6_310,
                    "OTHER": 23_209,
                }
            ),
            tolerance=0.02,
            source="DOMAIN.md §2: 2024 placements by destination (Hong Kong 99,168, Taiwan 84,306, "
            "Malaysia 50,917, Japan 12,653, Singapore 10,781), Korea 10,090 by G to G (2024), "
            "Saudi Arabia 6,310 (2023); OTHER is the rest of the 297,434 placements of 2024",
        ),
        "sector": Target(
            unit="placements, by sector",
            shares=MappingProxyType(
                {"DOMESTIC": 0.337, "CARE": 0.175, "PLANTATION": 0.092, "OTHER_SECTORS": 0.396}
            ),
            tolerance=0.025,
            source="DOMAIN.md §2: 2024 jobs housemaid 99,485 (33.7%) and caregiver 51,582 of "
            "295,439; 2023 plantation workers 25,163 of 274,965; OTHER_SECTORS is the rest",
        ),
        "scheme": Target(
            unit="placements, by placement scheme",
            shares=_shares(
                {
                    "PRIVATE_AGENCY": 235_768,
                    "G_TO_G": 10_515,
                    "INDEPENDENT": 21_631,
                    "EMPLOYER_DIRECT": 4_084,
                }
            ),
            tolerance=0.02,
            source="DOMAIN.md §2: 2024 placements by scheme: private-to-private 235,768, "
            "G to G 10,515, individual 21,631; EMPLOYER_DIRECT is the remainder of 297,434 after "
            "25,436 contract extensions (assumption)",
        ),
        "lifecycle": Target(
            unit="people, by the status of their latest placement (else the agency knowing them)",
            shares=MappingProxyType(
                {
                    "REGISTERED": 0.04,
                    "READY": 0.06,
                    "DEPARTED": 0.03,
                    "WORKING": 0.52,
                    "RETURNED": 0.21,
                    "CANCELLED": 0.02,
                    "KEMNAKER_ONLY": 0.04,
                    "EMBASSY_ONLY": 0.08,
                }
            ),
            tolerance=0.015,
            source="assumption: about 4.6 M workers in SISKOP2MI, 0.3 M placed a year, and 4 M "
            "non-procedural of whom the missions know only those who report or have a case "
            "(DOMAIN.md §2-3)",
        ),
        "province": Target(
            unit="people, by province of the NIK",
            shares=_shares(
                {
                    "35": 24,
                    "33": 21,
                    "32": 20,
                    "52": 12,
                    "18": 7,
                    "12": 4.5,
                    "51": 3,
                    "36": 2.5,
                    "53": 2.5,
                    "61": 2,
                    "73": 1.5,
                }
            ),
            tolerance=0.02,
            source="assumption (memory, unverified): BP2MI's ranking of sending provinces, East "
            "Java first, then Central Java, West Java, NTB, Lampung, North Sumatra",
        ),
        "licenceStatus": Target(
            unit="placement agencies, by licence status",
            shares=_shares({"ACTIVE": 400, "SUSPENDED": 20, "REVOKED": 28, "EXPIRED": 12}),
            tolerance=0.0,
            source="DOMAIN.md §1: 424 P3MI licensed in April 2024; the suspended, revoked and "
            "expired ones are an assumption",
        ),
        "bpjsAbroad": Target(
            unit="people abroad through a placement (latest placement WORKING or DEPARTED), by "
            "BPJS Ketenagakerjaan state of that placement",
            shares=MappingProxyType(
                {"NOT_ENROLLED": 0.08, "PRE_PLACEMENT_ONLY": 0.04, "PLACEMENT": 0.88}
            ),
            tolerance=0.02,
            source="assumption: procedural placement requires a BPJS number (UU 18/2017 Art. 5), "
            "yet DJSN reports most workers abroad uncovered (DOMAIN.md §5)",
        ),
    }
)

# How often each rule-relevant situation is planted (per eligible person), beyond those
# that arise by themselves.
RATES: Mapping[str, float] = MappingProxyType(
    {
        "contract expired, still WORKING": 0.05,
        "contract extended abroad (of WORKING)": 0.10,
        "extension not paid to BPJS (of extended)": 0.45,
        "BPJS paid only before departure (of abroad)": 0.04,
        "BPJS never enrolled (of abroad)": 0.08,
        "JHT enrolled (of covered placements)": 0.07,
        "orientation not completed (of departed)": 0.03,
        "reported to the mission (WORKING, G to G / other)": 0.75,
        "contract endorsed at the mission (of reported)": 0.8,
        "passport expires within 6 months (of abroad)": 0.03,
        "passport expired (of abroad)": 0.03,
        "two KPJ numbers (of people with two BPJS-era placements)": 0.3,
        "old SISKOTKLN record kept beside the new one (of eligible)": 0.08,
        "birth date with day and month swapped (per embassy record)": 0.03,
        "same name and birth date as another person": 0.004,
        "embassy case (WORKING)": 0.05,
        "embassy case (embassy only)": 0.35,
        "P2MI complaint (of departed)": 0.025,
    }
)

PRE_CONTRIBUTION = 37_500
PLACEMENT_CONTRIBUTION = MappingProxyType({24: 332_500, 12: 189_000, 6: 108_000})
EXTRA_MONTH_CONTRIBUTION = 13_500
PRE_COVERAGE_MONTHS = 5  # from payment, at most
PLACEMENT_COVERAGE_EXTRA_MONTHS = 1  # contract end plus one month for the journey home
POST_COVERAGE_DAYS = 30
BPJS_FOR_PMI_FROM = date(2017, 8, 1)  # BPJS TK covers PMI since 1 Aug 2017
DEATH_ABROAD_BENEFIT = 85_000_000

# Kepmenaker 260/2015 (from 1 July 2015), the 21-country reading of [75] in DOMAIN.md.
MORATORIUM_COUNTRIES = frozenset(
    {
        "DZ",
        "SA",
        "BH",
        "IQ",
        "IR",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "EG",
        "OM",
        "PK",
        "PS",
        "QA",
        "SS",
        "SY",
        "TN",
        "AE",
        "YE",
        "JO",
    }
)
MORATORIUM_FROM = date(2015, 7, 1)
SPSK_FROM = date(2023, 6, 25)  # first departures of the Saudi one-channel scheme
SISKOTKLN_CLOSED = date(2023, 7, 17)
PASSPORT_TEN_YEARS_FROM = date(2022, 10, 12)  # 10-year validity (memory, unverified)


def placement_contribution(months: int) -> int:
    """The BPJS contribution for a contract of ``months`` (Permenaker 4/2023 Art. 18)."""
    if months in PLACEMENT_CONTRIBUTION:
        return PLACEMENT_CONTRIBUTION[months]
    if months > 24:
        return PLACEMENT_CONTRIBUTION[24] + (months - 24) * EXTRA_MONTH_CONTRIBUTION
    base = max(m for m in PLACEMENT_CONTRIBUTION if m <= months) if months >= 6 else 6
    return PLACEMENT_CONTRIBUTION[base] + (months - base) * EXTRA_MONTH_CONTRIBUTION
