"""What a name becomes in the index: spelling keys of its words, and adjacent-word pairs.

Both sides go through ``hub.identity.names`` (``parse`` and ``spelling_key``), so "SITI AMINAH
BT SAHRONI", "Siti Aminah Binti Sahroni" and "siti aminah" meet on the same keys. Pairs of
adjacent words ("siti aminah") are terms of their own: a two-word query is then one exact
index read instead of an intersection of two long posting lists of common words.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from hub.identity.names import parse, spelling_key

MAX_WORD = 60  # longer "words" are noise (a pasted text), not part of a name
MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class NameKeys:
    """A name as spelling keys: the person's own words and the father's."""

    given: tuple[str, ...]
    father: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """Given then father words, in order, without repeats."""
        return tuple(dict.fromkeys((*self.given, *self.father)))

    @property
    def size(self) -> int:
        return len(self.given) + len(self.father)


def name_keys(raw: str) -> NameKeys:
    parsed = parse(raw)

    def keys(words: tuple[str, ...]) -> tuple[str, ...]:
        out = (spelling_key(w) for w in words)
        return tuple(k for k in out if k and len(k) <= MAX_WORD)[:MAX_WORDS]

    return NameKeys(keys(parsed.given), keys(parsed.father))


def pair(a: str, b: str) -> str:
    return f"{a} {b}"


def record_terms(name: NameKeys) -> set[str]:
    """The terms a record is indexed under: every word, and every adjacent pair (given words
    then father words, as written: "siti aminah", "aminah sahroni")."""
    sequence = (*name.given, *name.father)
    terms = set(sequence)
    terms.update(pair(a, b) for a, b in pairwise(sequence) if a != b)
    return terms
