"""Indonesian personal names, normalised the way identity resolution and search compare them.

Agencies write one person's name differently: upper case, with "binti <father>" (or BT, BN,
Bin), Muhammad as Muhamad / Mohammad / Moch. / Moh. / M., a pilgrimage title (H., Hj.),
joined or split (Nurhayati / Nur Hayati), in the old spelling (Soekarno, Djoko, Tjahjo) and
with small typos. ``parse`` takes one written form apart into the person's own name and the
father's name; ``spelling_key`` folds the spelling variants of one word onto one key, so that
"Achmad", "Akhmad" and "Ahmad" or "Djoko" and "Joko" compare equal before any fuzzy measure.
Typos are left to the similarity measure (hub.identity.similarity).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Markers of a patronymic: what follows is the father's name.
PATRONYMIC = frozenset({"bin", "binti", "bt", "bte", "binte", "bn", "b"})
# Titles that are not part of the name: pilgrimage (H., Hj.), academic and honorific.
TITLES = frozenset(
    {"h", "hj", "haji", "hajah", "hajjah", "dr", "drs", "dra", "ir", "prof", "kh", "ust"}
)
# Academic degrees written after the name ("Siti Aminah, S.Pd.").
_DEGREES = re.compile(r"[,\s]+(s\.\s?(pd|e|h|kom|t|sos|ag|kep|ip)|a\.\s?md|m\.\s?pd)\.?(?=[,\s]|$)")
MUHAMMAD = frozenset(
    {
        "muhammad", "muhamad", "muhammed", "muhamed", "mohammad", "mohamad", "mohammed",
        "mohamed", "mochammad", "mochamad", "mohamat", "moch", "moh", "mhd", "muh", "mochd", "m",
    }
)  # fmt: skip
ABDUL = frozenset({"abdul", "abd", "abdoel", "abdu"})

# Old (pre-1972 and Dutch-era) spellings and common phonetic variants, applied in order.
_SPELLING = (
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("ch", "kh"),
    ("kh", "h"),
    ("ph", "f"),
    ("q", "k"),
    ("sy", "s"),
    ("ie", "i"),
    ("y", "i"),
    ("p", "f"),  # Sundanese speakers write f as p (Pitri / Fitri); folded for comparison only
)
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z\s]")


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A written name taken apart: ``given`` are the person's own words, ``father`` the words
    after a patronymic marker, both lower-case ASCII with titles and punctuation removed and
    Muhammad's variants written "muhammad"."""

    given: tuple[str, ...]
    father: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The person's own name as one normalised string ("siti aminah")."""
        return " ".join(self.given)

    @property
    def joined(self) -> str:
        """The own name without spaces, for joined/split variants ("nurhayati")."""
        return "".join(self.given)

    @property
    def key(self) -> str:
        """The own name's spelling key without spaces: equal for spelling variants."""
        return "".join(spelling_key(word) for word in self.given)


def ascii_words(raw: str) -> list[str]:
    """Lower-case ASCII words: accents dropped, punctuation (".", "'", "-") a word break."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    text = _DEGREES.sub(" ", text)
    return _NOT_LETTER.sub(" ", text.replace("'", "")).split()


def parse(raw: str) -> ParsedName:
    """Take a written name apart (see the module docstring)."""
    words = ascii_words(raw)
    given: list[str] = []
    father: list[str] = []
    target = given
    for i, word in enumerate(words):
        if word in PATRONYMIC and word != "b" and given and i == len(words) - 1:
            continue  # "SITI AMINAH BINTI": a marker with the father's name missing
        if word in PATRONYMIC and given and i < len(words) - 1 and target is given:
            if word == "b" and len(words) - i > 3:  # "B" mid-name is more likely an initial
                target.append(word)
                continue
            target = father
            continue
        if not target and word in TITLES and i < len(words) - 1:
            continue
        if word in MUHAMMAD and (word != "m" or i < len(words) - 1):
            word = "muhammad"
        elif word in ABDUL:
            word = "abdul"
        target.append(word)
    return ParsedName(tuple(given), tuple(father))


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """One key for a word's spelling variants: old spelling, kh/h, sy/s, y/i, f/p, doubled
    letters ("Djoko" -> "joko", "Achmad" -> "ahmad", "Mariyam" -> "mariam")."""
    key = word.lower()
    for old, new in _SPELLING:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    if len(key) > 3 and key.endswith("ah"):  # "Aminah" / "Amina"
        key = key[:-1]
    return key


def search_words(raw: str) -> tuple[str, ...]:
    """The spelling keys of every word of a name, the father's too, without duplicates:
    what the search index holds for a name and what a query is split into."""
    parsed = parse(raw)
    words = [spelling_key(w) for w in (*parsed.given, *parsed.father)]
    return tuple(dict.fromkeys(w for w in words if w))
