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
                    "TW": 216_738,
                    "MY": 176_278,
                    "HK": 68_216,
                    "JP": 12_653,
                    "SG": 10_781,
                    "KR": 20_180,
                    "SA": 6_310,
                    "OTHER": 23_209,
                }
            ),
            tolerance=0.02,
            source="BPJS Ketenagakerjaan's 2024 participants by country for the three largest "
            "(Taiwan 216,738, Malaysia 176,278, Hong Kong 68,216 [S15][S17]): people abroad, a "
            "stock; for the rest DOMAIN.md §2's 2024 placements (Japan 12,653, Singapore 10,781, "
            "Korea 10,090 by G to G a year, doubled as EPS stays run up to 4 years 10 months "
            "(assumption), Saudi Arabia 6,310 from 2023, OTHER 23,209), a flow used "
            "as a stand-in",
        ),
        "sector": Target(
            unit="placements, by sector (DOMESTIC and CARE together)",
            shares=MappingProxyType(
                {"HOUSEHOLD_AND_CARE": 0.44, "PLANTATION": 0.17, "OTHER_SECTORS": 0.39}
            ),
            tolerance=0.03,
            source="assumption: DOMAIN.md §2's job figures describe a year's placements (2024: "
            "housemaids 99,485 and caregivers 51,582 of 295,439, 51%; 2023: plantation 25,163 "
            "of 274,965, 9%), dominated by Hong Kong; the population follows the stock of "
            "workers by country (BPJS 2024 participants), where Taiwan's are mostly home "
            "caretakers and Malaysia's plantation workers (memory), so household and care work "
            "falls to 44% and plantation work rises to 17%",
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
                {"NOT_ENROLLED": 0.20, "PRE_PLACEMENT_ONLY": 0.08, "PLACEMENT": 0.72}
            ),
            tolerance=0.02,
            source="derived: the 2022 DJSN/INFID evaluation found 67.7% of all migrant workers "
            "not enrolled (Wantimpres: 60%) [S57][S66][S67], a rate over procedural and "
            "non-procedural workers together; with about half of them non-procedural and "
            "uncovered (KP2MI: about 5 M recorded, about 5 M not [S68]), procedural workers' "
            "non-enrolment is (0.60 to 0.68 - 0.5) / 0.5 = 20% to 35%: 28% not covered during "
            "placement here, of whom 8 points paid only before departure",
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
        "BPJS paid only before departure (of abroad)": 0.08,
        "BPJS never enrolled (of abroad)": 0.20,
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
        # The law of 2023-2025 (docs/scenario.md, "Rates"):
        "placement agreement signed (of REGISTERED)": 0.4,
        "employer kind recorded (of employers)": 0.9,
        "care worker employed by a company (of CARE, kind recorded)": 0.25,
        "household driver, gardener or cook (of OTHER in moratorium countries)": 0.5,
        "SIP2MI for another country (of private placements since 2025)": 0.01,
        "no SIP2MI on record (of private placements since 2025)": 0.02,
        "extension signed at the mission (of extended)": 0.85,
        "post-placement record kept by BPJS (of returnees)": 0.5,
        "minor through a falsified birth date (of placed)": 0.003,
        "failed-departure complaint (of CANCELLED)": 0.1,
        "lapor diri purpose recorded (per report)": 0.8,
        "contract endorsed before departure (of READY private placements)": 0.8,
        # Crews' own documents (PP 22/2022; assumptions, no published rate):
        "seafarer's book recorded (of crews)": 0.9,
        "seafarer's book expired (of crews with a book)": 0.05,
        "sea-service agreement recorded (of crews)": 0.9,
        "sea-service agreement not endorsed (of recorded)": 0.1,
    }
)

# BPJS Ketenagakerjaan's 2024 participants by country [S15][S17]: the stock of enrolled
# workers, which the generated population (people, not a year's placements) follows for the
# three largest destinations; the others keep their 2024 placements (a flow) by assumption.
BPJS_PARTICIPANTS_2024 = MappingProxyType({"TW": 216_738, "MY": 176_278, "HK": 68_216})

PRE_CONTRIBUTION = 37_500
PLACEMENT_CONTRIBUTION = MappingProxyType({24: 332_500, 12: 189_000, 6: 108_000})
EXTRA_MONTH_CONTRIBUTION = 13_500
PRE_COVERAGE_MONTHS = 5  # from payment, at most
PLACEMENT_COVERAGE_EXTRA_MONTHS = 1  # contract end plus one month for the journey home
POST_COVERAGE_DAYS = 30
BPJS_FOR_PMI_FROM = date(2017, 8, 1)  # BPJS TK covers PMI since 1 Aug 2017
DEATH_ABROAD_BENEFIT = 85_000_000
# The longest BPJS Ketenagakerjaan may take to pay a claim once its documents are complete, in
# working days: JHT 5 (Permenaker 4/2022, as the minister announced it on 28 April 2022:
# wahananews.co.id/utama/menaker-pembayaran-jht-paling-lama-5-hari-YsLjIO20xE), JKK 7 (PP
# 44/2015 Art. 37(2): seven working days after the technical and administrative requirements are
# met, a 1% a day penalty beyond), JKM 3 (three working days from the application with the death
# certificate and the heirs' statement: Permenaker 44/2015 Art. 19(3), the same rule for the
# construction sector; pasal.id).
CLAIM_PAYMENT_WORKING_DAYS = MappingProxyType({"JHT": 5, "JKK": 7, "JKM": 3})
# Assumption (no published figure found): the days from a claim's submission until its documents
# are complete: mostly days, for a claim from abroad (a death or an accident) up to two months
# (papers from the mission, the employer, a hospital abroad).
CLAIM_DOCUMENTS_DAYS = MappingProxyType({"JHT": 14, "JKK": 60, "JKM": 45})

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
SIP2MI_DIGITAL_FROM = date(2025, 1, 1)  # Permen P2MI 2/2025 (first day assumed, see law.py)
PASSPORT_TEN_YEARS_FROM = date(2022, 10, 12)  # 10-year validity (memory, unverified)


def placement_contribution(months: int) -> int:
    """The BPJS contribution for a contract of ``months`` (Permenaker 4/2023 Art. 18)."""
    if months in PLACEMENT_CONTRIBUTION:
        return PLACEMENT_CONTRIBUTION[months]
    if months > 24:
        return PLACEMENT_CONTRIBUTION[24] + (months - 24) * EXTRA_MONTH_CONTRIBUTION
    base = max(m for m in PLACEMENT_CONTRIBUTION if m <= months) if months >= 6 else 6
    return PLACEMENT_CONTRIBUTION[base] + (months - base) * EXTRA_MONTH_CONTRIBUTION
