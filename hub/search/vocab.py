"""Near spellings of a query word, from the vocabulary's trigram index.

The vocabulary holds each distinct indexed word once (a few thousand to some hundred thousand
words, against tens of millions of postings), so a typo is corrected here, cheaply, before
any posting is read. The trigram index narrows the vocabulary to words sharing a trigram
(SQLite: FTS5 with the trigram tokenizer; PostgreSQL: pg_trgm's ``%`` over a GIN index), and
one similarity measure, the same on both backends, keeps the close ones.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

MIN_SIMILARITY = 75.0  # rapidfuzz ratio: one edit in 4-7 letters, two from 8 letters on
MAX_VARIANTS = 6
MAX_SCANNED = 3000  # trigram matches read per word: bounds a word made of common trigrams
FUZZY_FROM = 4  # shorter words are matched exactly (their trigrams say too little)


def trigrams(word: str) -> list[str]:
    return sorted({word[i : i + 3] for i in range(len(word) - 2)})


def _sharing_trigrams(connection: Connection, word: str) -> list[str]:
    if connection.dialect.name == "postgresql":
        # pg_trgm's default threshold (0.3) drops some one-edit variants of short words that
        # FTS5's OR of trigrams keeps; 0.2 lets the similarity below decide on both backends.
        connection.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.2"))
        rows = connection.execute(
            text("SELECT word FROM search_vocab WHERE word % :w LIMIT :n"),
            {"w": word, "n": MAX_SCANNED},
        )
    else:
        match = " OR ".join(f'"{t}"' for t in trigrams(word))  # words are [a-z]: no quoting
        rows = connection.execute(
            text("SELECT word FROM search_vocab_fts WHERE search_vocab_fts MATCH :m LIMIT :n"),
            {"m": match, "n": MAX_SCANNED},
        )
    return [row[0] for row in rows]


def near_words(connection: Connection, word: str) -> dict[str, float]:
    """Vocabulary words close to ``word`` (itself included), with their similarity 0..1."""
    found = {word: 1.0}
    if len(word) < FUZZY_FROM:
        return found
    choices = _sharing_trigrams(connection, word)
    for match, score, _ in process.extract(
        word, choices, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=MAX_VARIANTS
    ):
        found.setdefault(match, score / 100)
    return found


def known_words(connection: Connection, words: list[str]) -> set[str]:
    """Which of ``words`` the vocabulary holds (for joined and split spellings)."""
    if not words:
        return set()
    rows = connection.execute(
        text("SELECT word FROM search_vocab WHERE word IN :words").bindparams(
            bindparam("words", expanding=True)
        ),
        {"words": words},
    )
    return {row[0] for row in rows}
