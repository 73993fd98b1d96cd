"""The figures the rules depend on, each with the law or source it comes from.

DOMAIN.md warns that most figures come from news and secondary legal sites and that the
moratorium's country list differs between sources, so none of them is written into a rule: a
rule reads them from ``RulesConfig``, and changing one changes ``rules_version``. The lists
and periods set by law are dated entries with their citation (``hub.protection.law``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub.protection.law import (
    CARD_TRANSITION_MONTHS,
    CLOSED_DESTINATIONS,
    INDEPENDENT_PRE_DEPARTURE_MONTHS,
    JKK_CLAIM_YEARS,
    MORATORIUM,
    Dated,
    Law,
    MoratoriumEntry,
)
from schema.enums import CaseKind, Program


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """Windows, thresholds and lists of the protection rules.

    BPJS Ketenagakerjaan windows (Permenaker 4/2023, which replaced 18/2018 and 7/2017; the
    BPJS procedure manual, DOMAIN.md [63]): before departure at most ``pre_departure_months``
    from payment; during placement from departure until contract end plus
    ``placement_grace_months``; after return ``post_return_days`` (JKK until home, JKM 30 days
    after arrival).
    JKK and JKM are compulsory (``compulsory_programs``); JHT is optional.

    Moratorium (Kepmenaker 260/2015): no placement with household employers (pengguna
    perseorangan) in the countries of ``moratorium``, each entry dated and sourced; it applies
    to placements that started while the entry was in force. The Saudi one-channel scheme
    (SPSK, Kepmenaker 291/2018) is the exception for household jobs through selected
    companies; the records carry no SPSK flag, so the rule still reports such a placement and
    asks the officer to verify the scheme. ``closed_destinations``: countries with no
    placement channel (UU 18/2017 Art. 31-32), dated and sourced.

    Crews (sector FISHERIES_SEA; PP 22/2022): the destination is the flag state, the
    moratorium, the SIP2MI, endorsement and extension rules do not apply to them, and their
    minimum age is that of UNDERAGE_PLACEMENT; their own documents, the seafarer's book and
    the sea-service agreement (PKL), are checked when SISKOP2MI records them
    (SEAFARER_BOOK_EXPIRED, SEA_AGREEMENT_NOT_ENDORSED). The records carry no flag state,
    vessel, manning licence (SIUPPAK) or Kemenhub technical selection, so no check on those
    is made.

    Dated periods (the value in force on the evaluation day): ``jkk_claim_years`` (JKK claims
    within 2 years, 5 since Permenaker 4/2023), ``independent_pre_departure_months`` (an
    independent worker's JKM before embarkation), ``card_transition_months`` (an expired E-PMI
    is replaced by an E-KPMI within a year, Permen P2MI 34/2025).

    Not from law, practical thresholds: ``coverage_ends_soon_days`` (BPJS cover ending within
    this many days, today counting as 0), ``passport_warning_days`` (many destinations want six
    months' validity for entry and work permits; memory, unverified),
    ``mission_report_grace_days`` (days after departure before a missing lapor diri is
    reported; missions and guides read UU 23/2006 Art. 18 as 30 days from arrival, a secondary
    reading [S50][S51]), ``critical_case_kinds`` (open cases treated as emergencies whatever
    their recorded severity), ``claim_pending_days`` (a submitted or verified claim unpaid this
    long is reported), ``death_claim_days`` (a death with no JKM claim after this many days is
    HIGH), ``minimum_age`` (UU 18/2017 Art. 5(a); PP 22/2022 for crews) and
    ``departure_near_days`` (pre-placement cover missing this close to departure is HIGH).
    """

    pre_departure_months: int = 5
    placement_grace_months: int = 1
    post_return_days: int = 30
    compulsory_programs: tuple[Program, ...] = (Program.JKK, Program.JKM)
    coverage_ends_soon_days: int = 30
    passport_warning_days: int = 180
    mission_report_grace_days: int = 30
    moratorium: tuple[MoratoriumEntry, ...] = MORATORIUM
    closed_destinations: tuple[tuple[str, Law], ...] = CLOSED_DESTINATIONS
    jkk_claim_years: tuple[Dated[int], ...] = JKK_CLAIM_YEARS
    independent_pre_departure_months: tuple[Dated[int], ...] = INDEPENDENT_PRE_DEPARTURE_MONTHS
    card_transition_months: tuple[Dated[int], ...] = CARD_TRANSITION_MONTHS
    critical_case_kinds: tuple[CaseKind, ...] = (
        CaseKind.DEATH,
        CaseKind.DETENTION,
        CaseKind.TRAFFICKING,
        CaseKind.MISSING,
        CaseKind.DEATH_PENALTY,
        CaseKind.SEXUAL_VIOLENCE,
    )
    claim_pending_days: int = 60
    death_claim_days: int = 30
    minimum_age: int = 18
    departure_near_days: int = 30

    def moratorium_on(self, country: str, day: date) -> MoratoriumEntry | None:
        """The moratorium entry for ``country`` in force on ``day``, if any."""
        return next(
            (m for m in self.moratorium if m.country == country and m.law.in_force(day)), None
        )

    def closed_on(self, country: str, day: date) -> Law | None:
        """The law closing ``country`` to placement on ``day``, if any."""
        return next(
            (law for c, law in self.closed_destinations if c == country and law.in_force(day)),
            None,
        )


DEFAULT_CONFIG = RulesConfig()
