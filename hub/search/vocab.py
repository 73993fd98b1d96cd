"""Near spellings of a query word, from the vocabulary's trigram index.

The vocabulary holds each distinct indexed word once (a few thousand to some hundred thousand
words, against tens of millions of postings), so a typo is corrected here, cheaply, before
any posting is read. The trigram index narrows the vocabulary to words sharing a trigram
(SQLite: FTS5 with the trigram tokenizer; PostgreSQL: pg_trgm's ``%`` over a GIN index), and
one similarity measure, the same on both backends, keeps the close ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

MIN_SIMILARITY = 75.0  # rapidfuzz ratio: one edit in 4-7 letters, two from 8 letters on
MAX_VARIANTS = 6
MAX_SCANNED = 3000  # trigram matches read per word: bounds a word made of common trigrams
FUZZY_FROM = 4  # shorter words are matched exactly (their trigrams say too little)


def trigrams(word: str) -> list[str]:
    return sorted({word[i : i + 3] for i in range(len(word) - 2)})


_PG_LOOKUP = """
SELECT wanted.word, v.word FROM unnest(CAST(:fuzzy AS text[])) AS wanted(word)
CROSS JOIN LATERAL (
    SELECT word FROM search_vocab WHERE word % wanted.word LIMIT :scanned
) AS v
UNION ALL
SELECT NULL, word FROM search_vocab WHERE word = ANY(CAST(:exact AS text[]))"""


def _lookup_postgres(
    connection: Connection, fuzzy: list[str], exact: list[str]
) -> tuple[dict[str, list[str]], set[str]]:
    """One round trip for every query word's trigram neighbours and the exact look-ups."""
    # pg_trgm's default threshold (0.3) drops some one-edit variants of short words that
    # FTS5's OR of trigrams keeps; 0.2 lets the similarity below decide on both backends.
    connection.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.2"))
    rows = connection.execute(
        text(_PG_LOOKUP), {"fuzzy": fuzzy, "exact": exact, "scanned": MAX_SCANNED}
    )
    sharing: dict[str, list[str]] = {w: [] for w in fuzzy}
    known: set[str] = set()
    for wanted, word in rows:
        if wanted is None:
            known.add(word)
        else:
            sharing[wanted].append(word)
    return sharing, known


def _lookup_sqlite(
    connection: Connection, fuzzy: list[str], exact: list[str]
) -> tuple[dict[str, list[str]], set[str]]:
    """SQLite runs in process: a statement per word costs no round trip."""
    sharing: dict[str, list[str]] = {}
    for word in fuzzy:
        match = " OR ".join(f'"{t}"' for t in trigrams(word))  # words are [a-z]: no quoting
        rows = connection.execute(
            text("SELECT word FROM search_vocab_fts WHERE search_vocab_fts MATCH :m LIMIT :n"),
            {"m": match, "n": MAX_SCANNED},
        )
        sharing[word] = [row[0] for row in rows]
    known: set[str] = set()
    if exact:
        rows = connection.execute(
            text("SELECT word FROM search_vocab WHERE word IN :words").bindparams(
                bindparam("words", expanding=True)
            ),
            {"words": exact},
        )
        known = {row[0] for row in rows}
    return sharing, known


def lookup(
    connection: Connection, words: Iterable[str], exact: Iterable[str] = ()
) -> tuple[dict[str, dict[str, float]], set[str]]:
    """(near spellings of each of ``words``, with their similarity 0..1, the word itself
    included; which of ``exact`` the vocabulary holds, for joined and split spellings)."""
    words, exact = list(dict.fromkeys(words)), sorted(set(exact))
    fuzzy = [w for w in words if len(w) >= FUZZY_FROM and trigrams(w)]
    if connection.dialect.name == "postgresql":
        sharing, known = _lookup_postgres(connection, fuzzy, exact)
    else:
        sharing, known = _lookup_sqlite(connection, fuzzy, exact)
    near: dict[str, dict[str, float]] = {}
    for word in words:
        found = near[word] = {word: 1.0}
        choices = [c for c in sharing.get(word, ()) if _shares_a_trigram(word, c)]
        for match, score, _ in process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=MAX_VARIANTS
        ):
            found.setdefault(match, score / 100)
    return near, known


def _shares_a_trigram(word: str, other: str) -> bool:
    """FTS5's candidate rule (an unpadded trigram in common), applied to pg_trgm's candidates
    too (pg_trgm pads words, so "dewi" and "dedi" share "  d"): both backends then choose
    among the same words."""
    return not set(trigrams(word)).isdisjoint(trigrams(other))
