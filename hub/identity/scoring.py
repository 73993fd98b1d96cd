"""Fellegi-Sunter scoring: how much more likely a pair of records is one person than two.

Each attribute is compared at a level, and each level carries a weight: log2(m/u), where m is
how often the level occurs when the two records are the same person and u how often it occurs
for two different people who share a birth-date block. The weights add up to the match
weight; with the prior odds that two records in a block are one person, the logistic of the
sum (base 2) is the match probability, the link's confidence. The m and u behind each weight
are written next to it; they were set from the agencies' spelling practice (the population
generator reproduces it) and checked against the 10,000-person demo's ground truth
(docs/identity.md gives the figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hub.identity.attributes import Attributes
from hub.identity.similarity import NameLevel, compare_names


def _w(m: float, u: float) -> float:
    return round(math.log2(m / u), 2)


NAME_WEIGHTS = {
    NameLevel.EXACT: _w(0.88, 0.004),  # the same name in one birth-date block: rare by chance
    NameLevel.TYPO: _w(0.08, 0.0015),
    NameLevel.PARTIAL: _w(0.02, 0.004),
    NameLevel.DIFFERENT: _w(0.02, 0.99),
    NameLevel.MISSING: 0.0,
}
FATHER_WEIGHTS = {
    NameLevel.EXACT: _w(0.9, 0.03),
    NameLevel.TYPO: _w(0.06, 0.01),
    NameLevel.PARTIAL: _w(0.03, 0.02),
    NameLevel.DIFFERENT: _w(0.01, 0.94),
    NameLevel.MISSING: 0.0,
}
BIRTH_DATE_WEIGHTS = {
    # Blocking already chose the date: the weight is how likely the date agreement (exact, or
    # with day and month swapped, which clerks do) is for one person versus two.
    "EXACT": _w(0.97, 1 / 13_000),
    "SWAPPED": _w(0.03, 1 / 13_000),
    "MISSING": 0.0,
}
SEX_WEIGHTS = {"AGREE": _w(0.99, 0.5), "DISAGREE": _w(0.01, 0.5), "MISSING": 0.0}
REGION_WEIGHTS = {"AGREE": _w(0.98, 0.02), "DISAGREE": _w(0.02, 0.98), "MISSING": 0.0}
# The country of the stay: a mission's record (its lapor diri) against the worker's placements
# and lapor diri, compared over all of the candidate worker's records in the block (a worker
# placed in Hong Kong agrees with KJRI Hong Kong's record). m: a worker's mission record is in
# a country of their placements or earlier reports, 0.9 (the rest moved on, often
# non-procedurally); u: two different people share a country by chance, the sum of the
# squared destination shares (Taiwan 38%, Malaysia 31%, Hong Kong 12%, ...: 0.26). Evidence
# only: records holding two different NIKs are never compared, whatever their countries.
COUNTRY_WEIGHTS = {"AGREE": _w(0.9, 0.26), "DISAGREE": _w(0.1, 0.74), "MISSING": 0.0}
# A worker links alone only when every other close worker scores this many bits below it:
# odds of 16 to 1 that the record is the best worker's rather than the runner-up's. Two
# namesakes told apart by the country of the mission differ by 1.79 + 2.89 = 4.68 bits.
LINK_MARGIN = 4.0
# Prior odds that two records are one person: about one in the population it is drawn from.
PRIOR = math.log2(1 / 100_000)


@dataclass(frozen=True, slots=True)
class Score:
    """A scored pair: the match weight, its probability, and the evidence per attribute."""

    weight: float
    confidence: float
    evidence: dict[str, tuple[str, float]]  # attribute -> (level, weight)


def confidence_of(weight: float) -> float:
    """The match probability of a match weight (log2 likelihood ratio), prior included."""
    odds = weight + PRIOR
    if odds > 60:
        return 1.0
    return 1.0 / (1.0 + 2.0 ** (-odds))


def _agree(a: str | None, b: str | None) -> str:
    if a is None or b is None:
        return "MISSING"
    return "AGREE" if a == b else "DISAGREE"


def score(a: Attributes, b: Attributes) -> Score:
    """Compare two records' attributes (see the module docstring)."""
    name = compare_names(a.given, b.given)
    father = compare_names(a.father, b.father)
    if a.birth_date is None or b.birth_date is None:
        born = "MISSING"
    elif a.birth_date == b.birth_date:
        born = "EXACT"
    elif (a.birth_date.day, a.birth_date.month) == (b.birth_date.month, b.birth_date.day) and (
        a.birth_date.year == b.birth_date.year
    ):
        born = "SWAPPED"
    else:
        born = "MISSING"  # blocking never pairs other dates; treated as no evidence
    sex, region = _agree(a.sex, b.sex), _agree(a.region, b.region)
    country = country_level(a.countries, b.countries)
    evidence = {
        "name": (str(name), NAME_WEIGHTS[name]),
        "fatherName": (str(father), FATHER_WEIGHTS[father]),
        "birthDate": (born, BIRTH_DATE_WEIGHTS[born]),
        "sex": (sex, SEX_WEIGHTS[sex]),
        "region": (region, REGION_WEIGHTS[region]),
        "country": (country, COUNTRY_WEIGHTS[country]),
    }
    return _scored(evidence)


def country_level(mine: tuple[str, ...], theirs: tuple[str, ...] | set[str]) -> str:
    if not mine or not theirs:
        return "MISSING"
    return "AGREE" if set(mine) & set(theirs) else "DISAGREE"


def with_country(scored: Score, level: str) -> Score:
    """The score with the country evidence at ``level`` (the worker's, over its records)."""
    return _scored({**scored.evidence, "country": (level, COUNTRY_WEIGHTS[level])})


def _scored(evidence: dict[str, tuple[str, float]]) -> Score:
    weight = round(sum(w for _, w in evidence.values()), 2)
    return Score(weight, confidence_of(weight), evidence)
