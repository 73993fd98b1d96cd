"""Whether a text written by a person is words, not filler: break-glass reasons and case
summaries must say something a reviewer can act on.

The check, documented in docs/auth.md and docs/cases.md, counts *real words*: a token of two
letters or more that is not filler and not a keyboard mash. Filler is lorem ipsum and the usual
test words (``lorem ipsum dolor sit amet``, ``test``, ``asdf``, ``qwerty``, ``xxx``, ``coba``,
``blah``…); a mash is a word made of one short unit repeated (``asdfasdfasdf``,
``qwerqwerqwer``, ``aaaa``) or a lower-case word of four letters or more without a vowel
(``sdfgh``; upper-case abbreviations such as ``BPJS`` stay words). A text passes with at least
``min_chars`` non-space characters, ``min_words`` real words, five different letters, and real
words making up most of its words. Not a language model: a determined liar still writes a
plausible lie; the check stops filler, and the audit trail keeps the words for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FILLER_WORDS = """lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing
elit eiusmod tempor incididunt labore dolore magna aliqua test tests testing tes tst coba
cobacoba asdf asdfg asdfgh qwer qwert qwerty qwertz zxcv zxcvb hjkl jkl foo bar baz qux blah
bla dummy xxx xx yyy zzz abc abcd abcdef aaa bbb ccc lol hmm"""
FILLER = frozenset(_FILLER_WORDS.split())
VOWELS = frozenset("aeiouy")
TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
REPEATED = re.compile(r"(.{1,4}?)\1{2,}")


@dataclass(frozen=True, slots=True)
class Substance:
    min_chars: int
    min_words: int

    def problem(self, text: str) -> str | None:
        """None when ``text`` is substantive, else which rule it breaks (for the error)."""
        squeezed = "".join(text.split())
        if len(squeezed) < self.min_chars:
            return "short"
        if len({c for c in squeezed.lower() if c.isalpha()}) < 5:
            return "letters"
        tokens = TOKEN.findall(text)
        real = [t for t in tokens if is_word(t)]
        if len(real) < self.min_words or 2 * len(real) <= len(tokens):
            return "filler"
        return None


def is_word(token: str) -> bool:
    """A real word: two letters or more, not filler, not a mash."""
    lower = token.lower()
    if len(lower) < 2 or lower in FILLER:
        return False
    if REPEATED.fullmatch(lower):
        return False
    return not (token.islower() and len(lower) >= 4 and not VOWELS & set(lower))


__all__ = ["FILLER", "Substance", "is_word"]
