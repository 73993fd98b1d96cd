"""The law as data: every rule and every configured list cites its legal basis and its dates.

A ``Law`` is a citation (the article), the sources it was checked against (references to
``../shared/research/domain-2026.md`` section 6, ``[S#]``, or DOMAIN.md ``[n]``), the day it
takes effect and the last day it is in force (None: open), and, where the source is weak (a
secondary summary, an article number from memory, a date that is an assumption), a sentence
saying so. The engine runs a rule only on days its law is in force, and reads each list entry
in force on the day that matters (a moratorium on the placement's start, a claim limit on the
evaluation day), so that a change in the law is a change of these data with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from schema.enums import Sector

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Law:
    citation: str
    sources: tuple[str, ...] = ()
    since: date | None = None  # first day in force; None: before every evaluation date
    until: date | None = None  # last day in force; None: still in force
    weak: str | None = None  # why the basis is not firm, in plain words

    def in_force(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def dates(self) -> str:
        since = f"from {self.since}" if self.since else "from no recorded first day"
        return f"in force {since}" + (f" to {self.until}" if self.until else "")


@dataclass(frozen=True, slots=True)
class Dated(Generic[T]):
    """A configured value (a period, a limit) and the law that sets it for its dates."""

    value: T
    law: Law


def in_force(entries: Iterable[Dated[T]], day: date) -> T | None:
    """The value of the latest-starting entry in force on ``day`` (None when none is)."""
    live = [e for e in entries if e.law.in_force(day)]
    return max(live, key=lambda e: e.law.since or date.min).value if live else None


# The instruments, once each, so that rules and lists cite the same words and dates.
UU_18_2017 = date(2017, 11, 22)  # Undang-Undang 18/2017, enacted and in force
PERMENAKER_4_2023 = date(2023, 2, 22)  # enacted 22 Feb 2023 [S4]; replaced 18/2018
PERMENAKER_18_2018 = date(2018, 1, 1)  # (memory) replaced 7/2017; its first day is not sourced
KEPMENAKER_260_2015 = date(2015, 7, 1)
KEPMENAKER_291_2018 = date(2018, 10, 11)  # SPSK pilot (memory: decree of October 2018)
PERMEN_P2MI_1_2025 = date(2025, 1, 1)  # (weak) month of enactment not in the stored sources
PERMEN_P2MI_2_2025 = date(2025, 1, 1)  # (weak) idem
PERMEN_P2MI_27_2025 = date(2025, 10, 1)  # (weak) "late 2025" per the review
PERMEN_P2MI_34_2025 = date(2025, 10, 1)  # (weak) idem
PP_22_2022 = date(2022, 6, 8)  # (memory) signed June 2022 [S34]

WEAK_2025_DATE = (
    "The stored sources give the regulation's year but not its first day; the date here is an "
    "assumption to be checked against the State Gazette before relying on it."
)


@dataclass(frozen=True, slots=True)
class MoratoriumEntry:
    """Kepmenaker 260/2015: no placement with household employers in ``country`` for
    placements starting between the law's dates; ``exception`` names a scheme through which
    placement is allowed again (SPSK, Kepmenaker 291/2018), the law that opened it and the
    licence numbers of the placement companies approved for it (``approved``: 58 were
    selected in 2019 [S36], but their list is not in the sources, so it is empty and every
    such placement is reported with a request to verify the scheme)."""

    country: str
    law: Law
    exception: str | None = None
    exception_law: Law | None = None
    approved: tuple[str, ...] = ()


_MORATORIUM_SOURCES = ("DOMAIN [75]-[79]", "[S35]", "[S36]")
_MORATORIUM = Law(
    "Kepmenaker 260/2015 (no placement with household employers, pengguna perseorangan, in "
    "Middle Eastern countries)",
    _MORATORIUM_SOURCES,
    since=KEPMENAKER_260_2015,
)
_MORATORIUM_SOME = Law(
    _MORATORIUM.citation,
    _MORATORIUM_SOURCES,
    since=KEPMENAKER_260_2015,
    weak="Only some published lists name this country (21 per DOMAIN [75], 19 per [76], 18 per "
    "[77]); kept so as never to reassure falsely.",
)
_SPSK = Law(
    "Kepmenaker 291/2018 (one-channel placement system, SPSK, through selected P3MI)",
    ("[S36]",),
    since=KEPMENAKER_291_2018,
    weak="The decree's first day is from memory; the list of SPSK-approved P3MI is not in the "
    "records, so an SPSK placement cannot be verified automatically.",
)
_NAMED_BY_ALL = (
    "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA", "TN", "YE",
)  # fmt: skip
_NAMED_BY_SOME = ("IR", "PK", "SD", "SS", "SY")

MORATORIUM: tuple[MoratoriumEntry, ...] = (
    *(MoratoriumEntry(c, _MORATORIUM) for c in _NAMED_BY_ALL),
    *(MoratoriumEntry(c, _MORATORIUM_SOME) for c in _NAMED_BY_SOME),
    # Lifting for Saudi Arabia was approved on 14 Mar 2025 [S37], but no revoking decree is in
    # the sources and in Feb 2026 the minister was "still considering" [S38]: still closed.
    MoratoriumEntry("SA", _MORATORIUM, exception="SPSK", exception_law=_SPSK),
)

_NOT_OPEN = Law(
    "UU 18/2017 Art. 31-32 (placement only to countries that protect foreign workers; the "
    "government may stop or ban placement to given countries); PP 59/2021 Art. 4(4)(j) (the "
    "list of banned countries)",
    ("[S46]", "[S47]", "[S49]"),
    since=UU_18_2017,
    weak="No published ban decree names these countries; they are online-scam and trafficking "
    "hubs with no placement channel (Cambodia among the top complaint countries in 2024, "
    "[S49]); Myanmar and Laos are from memory.",
)

CLOSED_DESTINATIONS: tuple[tuple[str, Law], ...] = (
    ("KH", _NOT_OPEN),
    ("MM", _NOT_OPEN),
    ("LA", _NOT_OPEN),
)

# Programme periods: each value with the law that sets it for its dates.
JKK_CLAIM_YEARS: tuple[Dated[int], ...] = (
    Dated(2, Law("Permenaker 18/2018 and before (JKK claims within 2 years)", ("[S3]",),
                 until=date(2023, 2, 21))),
    Dated(5, Law("Permenaker 4/2023 (JKK claims within 5 years)", ("[S3]",),
                 since=PERMENAKER_4_2023)),
)  # fmt: skip
INDEPENDENT_PRE_DEPARTURE_MONTHS: tuple[Dated[int], ...] = (
    Dated(1, Law("Permenaker 4/2023 Art. 18(2) and the BPJS procedure manual (independent PMI: "
                 "one month of JKM from payment until embarkation)", ("[S2]", "[S6]"),
                 since=PERMENAKER_4_2023)),
)  # fmt: skip
CARD_TRANSITION_MONTHS: tuple[Dated[int], ...] = (
    Dated(12, Law("Permen P2MI 34/2025 Art. 14 (an expired E-PMI is replaced by an E-KPMI "
                  "through Sisko P2MI within one year)", ("[S32]",),
                  since=PERMEN_P2MI_34_2025, weak=WEAK_2025_DATE)),
)  # fmt: skip

# The BPJS cover windows, plain numbers in RulesConfig because their value is the same under
# every regulation since BPJS covered migrant workers (Permenaker 7/2017, 18/2018, 4/2023):
# each with the law that sets it, so that the documentation shows basis and dates; a new value
# from a new regulation becomes a dated entry like those above.
WINDOW_LAWS: dict[str, Law] = {
    "pre_departure_months": Law(
        "Permenaker 4/2023 and the BPJS procedure manual (pre-work cover at most 5 months from "
        "payment; it ends early on departure, failure to depart, disability or death)",
        ("[S6]", "DOMAIN [63]"),
        since=date(2017, 8, 1),
        weak="The five months come from BPJS's procedure manual, not the regulation's text.",
    ),
    "placement_grace_months": Law(
        "Permenaker 4/2023 and the BPJS procedure manual (placement cover until the contract "
        "ends plus up to one month to prepare the return)",
        ("[S6]",),
        since=date(2017, 8, 1),
    ),
    "post_return_days": Law(
        "Permenaker 4/2023 and the BPJS procedure manual (JKK from debarkation until home, at "
        "most 30 days; JKM 30 days from debarkation)",
        ("[S6]", "[S7]"),
        since=date(2017, 8, 1),
    ),
}

# Household jobs outside the DOMESTIC and CARE sectors (Perban BP2MI 9/2020: family drivers,
# gardeners, family cooks [S26][S27]) are matched by occupation when the employer kind is absent.
HOUSEHOLD_SECTORS = (Sector.DOMESTIC,)
HOUSEHOLD_OCCUPATION_WORDS = ("domestic", "household", "family driver", "gardener", "family cook")
