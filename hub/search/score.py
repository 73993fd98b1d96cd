"""How well a record's name answers a query: one number in 0..1, the same on every backend.

Both names are spelling keys (``hub.search.terms``), so case, "binti", Muhammad's variants and
old spellings are already equal; what is left is typos, missing or extra words, and names
written joined or split. The score is mostly *coverage* (each query word's best match among
the record's words, or the whole name compared without spaces, whichever is higher), plus a
little *exactness* (the query against the record's own name as a whole), so that "Siti" ranks
the person called just Siti above Siti Aminah.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from hub.search.terms import NameKeys

COVERAGE_WEIGHT = 0.8
SWAPPED_DATE_FACTOR = 0.97  # a day/month-swapped birth date is a likely typo, not a match


def name_score(query: NameKeys, given: tuple[str, ...], father: tuple[str, ...]) -> float:
    words = (*given, *father)
    if not words:
        return 0.0
    asked = query.words
    per_word = [max(fuzz.ratio(q, w) for w in words) for q in asked]
    coverage = sum(per_word) / len(per_word)
    joined = max(
        fuzz.ratio("".join(query.given), "".join(given)),
        fuzz.ratio("".join(asked), "".join(words)),
    )
    exactness = fuzz.ratio(" ".join(query.given or asked), " ".join(given))
    score = COVERAGE_WEIGHT * max(coverage, joined) + (1 - COVERAGE_WEIGHT) * exactness
    return round(score / 100, 4)
