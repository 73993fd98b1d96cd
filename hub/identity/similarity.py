"""How close two normalised names are, as one of a few comparison levels.

The spelling key (hub.identity.names) already folds case, titles, patronymics, Muhammad's
variants, old spelling and joined/split forms, so equal keys are the same written name.
What is left are typos, which rapidfuzz measures: the optimal-string-alignment distance
counts a substitution, an insertion, a deletion or two swapped neighbours as one edit, the
way people mistype. A level, not a raw number, is what the match weights are estimated for
(hub.identity.scoring), as a Fellegi-Sunter model does.
"""

from __future__ import annotations

from enum import StrEnum

from rapidfuzz.distance import OSA

from hub.identity.names import spelling_key


class NameLevel(StrEnum):
    EXACT = "EXACT"  # the same spelling key
    TYPO = "TYPO"  # one edit apart (two in a long name), or the same words reordered
    PARTIAL = "PARTIAL"  # one name is the other with words left out
    DIFFERENT = "DIFFERENT"
    MISSING = "MISSING"  # one side has no name to compare


# Words too common to carry a partial match on their own.
_COMMON = frozenset({"siti", "nur", "nurul", "muhamad", "ni", "i", "sri", "dewi", "abdul"})


def _keys(words: tuple[str, ...]) -> list[str]:
    return [key for key in (spelling_key(w) for w in words) if key]


def compare_names(a: tuple[str, ...], b: tuple[str, ...]) -> NameLevel:
    """The level at which two names (normalised words, hub.identity.names.parse) agree."""
    keys_a, keys_b = _keys(a), _keys(b)
    if not keys_a or not keys_b:
        return NameLevel.MISSING
    joined_a, joined_b = "".join(keys_a), "".join(keys_b)
    if joined_a == joined_b:
        return NameLevel.EXACT
    shorter = min(len(joined_a), len(joined_b))
    allowed = 2 if shorter >= 10 else 1 if shorter >= 5 else 0
    if allowed and OSA.distance(joined_a, joined_b, score_cutoff=allowed) <= allowed:
        return NameLevel.TYPO
    if sorted(keys_a) == sorted(keys_b):
        return NameLevel.TYPO
    small, large = (keys_a, keys_b) if len(keys_a) < len(keys_b) else (keys_b, keys_a)
    if len(small) < len(large) and set(small) <= set(large) and set(small) - _COMMON:
        return NameLevel.PARTIAL
    return NameLevel.DIFFERENT
