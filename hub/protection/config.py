"""The figures the rules depend on, each with the law or source it comes from.

DOMAIN.md warns that most figures come from news and secondary legal sites and that the
moratorium's country list differs between sources, so none of them is written into a rule: a
rule reads them from ``RulesConfig``, and changing one changes ``rules_version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schema.enums import CaseKind, Program, Sector

# Kepmenaker 260/2015 (in force 1 July 2015) stops placements with household employers in
# Middle Eastern countries. Its list differs between published sources (DOMAIN.md §2):
# 21 countries per the Bojonegoro social office's summary [75], Algeria to Jordan with Iran,
# Pakistan and South Sudan; 19 per Kemnaker's 2022 statement [76] (the 21 less Iran and
# Pakistan, as commonly read); 18 per KBRI Tripoli [77], which names Sudan but not Iran,
# Pakistan, South Sudan or Syria.
MORATORIUM_21 = (
    "AE", "BH", "DZ", "EG", "IQ", "IR", "JO", "KW", "LB", "LY", "MA",
    "MR", "OM", "PK", "PS", "QA", "SA", "SS", "SY", "TN", "YE",
)  # fmt: skip
MORATORIUM_19 = tuple(c for c in MORATORIUM_21 if c not in ("IR", "PK"))
MORATORIUM_18 = (
    "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA",
    "MR", "OM", "PS", "QA", "SA", "SD", "TN", "YE",
)  # fmt: skip
# Never falsely reassuring: by default every country any source names.
MORATORIUM_ANY = tuple(sorted(set(MORATORIUM_21) | set(MORATORIUM_19) | set(MORATORIUM_18)))


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """Windows, thresholds and lists of the protection rules.

    BPJS Ketenagakerjaan windows (Permenaker 4/2023, which replaced 18/2018 and 7/2017; the
    BPJS procedure manual, DOMAIN.md [63]): before departure at most ``pre_departure_months``
    from payment; during placement from departure until contract end plus
    ``placement_grace_months``; after return ``post_return_days`` (JKK until home, JKM 30 days
    after arrival).
    JKK and JKM are compulsory (``compulsory_programs``); JHT is optional.

    Moratorium (Kepmenaker 260/2015): no placement with household employers (domestic workers,
    PRT) in ``moratorium_countries``; the records carry no employer type, so the rule reads the
    household jobs from ``moratorium_sectors`` (domestic and care work). It applies to
    placements from ``moratorium_since``; workers already there may finish and extend. The
    Saudi one-channel scheme (SPSK, Kepmenaker 291/2018) is the exception for six household
    jobs through Saudi companies; the records carry no SPSK flag, so the rule still reports a
    placement in ``spsk_countries`` and asks the officer to verify the scheme.

    Not from law, practical thresholds: ``coverage_ends_soon_days`` (BPJS cover ending within
    this many days, today counting as 0), ``passport_warning_days`` (many destinations want six
    months' validity for entry and work permits; memory, unverified),
    ``mission_report_grace_days`` (days after departure before a missing lapor diri is
    reported; UU 23/2006 Art. 18 sets no period that we found), and ``critical_case_kinds``
    (open cases treated as emergencies whatever their recorded severity).
    """

    pre_departure_months: int = 5
    placement_grace_months: int = 1
    post_return_days: int = 30
    compulsory_programs: tuple[Program, ...] = (Program.JKK, Program.JKM)
    coverage_ends_soon_days: int = 30
    passport_warning_days: int = 180
    mission_report_grace_days: int = 30
    moratorium_countries: tuple[str, ...] = MORATORIUM_ANY
    moratorium_sectors: tuple[Sector, ...] = (Sector.DOMESTIC, Sector.CARE)
    moratorium_since: date = date(2015, 7, 1)
    spsk_countries: tuple[str, ...] = ("SA",)
    critical_case_kinds: tuple[CaseKind, ...] = (
        CaseKind.DEATH,
        CaseKind.DETENTION,
        CaseKind.TRAFFICKING,
        CaseKind.MISSING,
    )


DEFAULT_CONFIG = RulesConfig()
