"""Find workers by name (typos and variants tolerated) or by identifier, ranked by score.

A name query runs in three steps, each bounded, none scanning a table:

1. each query word finds its near spellings in the vocabulary (``hub.search.vocab``);
2. candidate records are read from the postings: the adjacent pairs of the (corrected) query
   words first ("siti aminah" is one exact index read, however common "siti" is), then each
   word alone, every read shortest name first and capped (``PAIR_CAP``, ``WORD_CAP``), and
   the records holding most of the query are kept (``hub.search.candidates``, one statement);
   with a birth date the candidates are instead that date's records (and its day/month swap);
3. candidates are scored against the query (``hub.search.score``), grouped by worker (the
   crosswalk's ``agency_record``) and ranked by score, then worker id.

Identifiers are exact: the crosswalk's keyed digests, score 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from sqlalchemy import Executable, Subquery, select
from sqlalchemy.engine import Connection, Engine

from hub.crosswalk import CrosswalkReader
from hub.search.candidates import Read, candidate_rows, with_records
from hub.search.index import RECORD
from hub.search.query import SearchQuery
from hub.search.score import SWAPPED_DATE_FACTOR, name_score
from hub.search.terms import NameKeys, pair
from hub.search.vocab import lookup
from schema.enums import Agency

PAIR_CAP = 300  # postings read per pair term (and per joined spelling)
WORD_CAP = 100  # postings read per single word of a query of several words
ONE_WORD_CAP = 1000  # postings read per variant of a one-word query
DATE_CAP = 5000  # records read for one birth date (about 70 a day in a million people)
PAIR_VARIANTS = 3  # spellings per word combined into pair terms (3 x 3 pairs at most)
MIN_SCORE = 0.6
SPLIT_FROM = 5  # a query word this long may be a joined name ("nurhayati" = "nur hayati")

# Query identifier kind -> crosswalk key kinds (hub.crosswalk.keys.record_keys).
KEY_KINDS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK",),
    "passport": ("PASSPORT",),
    "kpj": (f"{Agency.BPJS_KETENAGAKERJAAN}:KPJ",),  # its local id is sealed
    "pmiId": (f"{Agency.P2MI}:LOCAL_ID",),
    "recordId": (f"{Agency.KEMNAKER}:LOCAL_ID", f"{Agency.EMBASSY}:LOCAL_ID"),
}


@dataclass(frozen=True, slots=True)
class Hit:
    worker_id: str
    score: float


def swapped(day: date) -> date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


def rank(best: dict[str, float]) -> list[Hit]:
    return [Hit(w, s) for w, s in sorted(best.items(), key=lambda item: (-item[1], item[0]))]


class SearchIndex:
    """The read side of the search index; stateless, one per process or per call."""

    def __init__(self, engine: Engine, crosswalk: CrosswalkReader) -> None:
        self.engine = engine
        self.crosswalk = crosswalk

    def search(self, query: SearchQuery) -> list[Hit]:
        """Every worker the query finds, best first (bounded by the caps above)."""
        if query.identifiers:
            return self.by_identifier(query.identifiers)
        assert query.name is not None
        with self.engine.connect() as connection:
            return self.by_name(connection, query)

    def by_identifier(self, identifiers: Iterable[tuple[str, str]]) -> list[Hit]:
        found: set[str] = set()
        for kind, value in identifiers:
            for key_kind in KEY_KINDS[kind]:
                found.update(self.crosswalk.find(key_kind, [value]).values())
        canonical = self.crosswalk.canonical(sorted(found))
        return rank(dict.fromkeys(canonical.values(), 1.0))

    def by_name(self, connection: Connection, query: SearchQuery) -> list[Hit]:
        name = query.name
        assert name is not None
        if query.birth_date is not None:
            statement = with_records(self._by_birth_date(query.birth_date, query.country))
        else:
            statement = self._by_terms(connection, name, query.country)
        best: dict[str, float] = {}
        for given, father, born, worker in connection.execute(statement):
            score = name_score(name, tuple(given.split()), tuple(father.split()))
            if query.birth_date is not None and born != query.birth_date:
                score = round(score * SWAPPED_DATE_FACTOR, 4)
            if score >= MIN_SCORE and score > best.get(worker, 0.0):
                best[worker] = score
        return rank(best)

    # -- candidates ------------------------------------------------------------------------

    def _by_birth_date(self, born: date, country: str | None) -> Subquery:
        days = [born, *([d] if (d := swapped(born)) else [])]
        statement = select(RECORD.c.agency, RECORD.c.local_id).where(RECORD.c.birth_date.in_(days))
        if country:
            statement = statement.where(RECORD.c.countries.contains(f",{country},"))
        return statement.limit(DATE_CAP).subquery("candidates")

    def _by_terms(self, connection: Connection, name: NameKeys, country: str | None) -> Executable:
        sequence = (*name.given, *name.father)
        adjacent = [(a, b) for a, b in pairwise(sequence) if a != b]
        joined = [a + b for a, b in adjacent]
        splits = [
            (w[:i], w[i:]) for w in name.words if len(w) >= SPLIT_FROM for i in range(2, len(w) - 1)
        ]
        variants, known = lookup(connection, name.words, [*joined, *(p for s in splits for p in s)])
        weights: dict[str, int] = {}  # term -> how much of the query it stands for, x 100

        def weigh(term: str, weight: float) -> None:
            weights[term] = max(weights.get(term, 0), round(weight * 100))

        for a, b in adjacent:
            for x in _top(variants[a]):
                for y in _top(variants[b]):
                    if x != y:
                        weigh(pair(x, y), variants[a][x] + variants[b][y])
        for a, b in splits:
            if a in known and b in known:
                weigh(pair(a, b), 1.0)  # one query word, written split
        for j in joined:
            if j in known:
                weigh(j, 2.0)  # two query words, written joined
        whole = set(weights)
        word_cap = ONE_WORD_CAP if len(sequence) == 1 else WORD_CAP
        words: dict[str, int] = {}
        for found in variants.values():
            for word, similarity in found.items():
                if word not in whole:
                    words[word] = max(words.get(word, 0), round(similarity * 100))
        reads = [
            *(Read(t, PAIR_CAP, weights[t]) for t in sorted(whole)),
            *(Read(t, word_cap, words[t]) for t in sorted(words)),
        ]
        return candidate_rows(connection, reads, country)


def _top(found: dict[str, float]) -> list[str]:
    return [w for w, _ in sorted(found.items(), key=lambda item: (-item[1], item[0]))][
        :PAIR_VARIANTS
    ]


__all__ = ["KEY_KINDS", "Hit", "SearchIndex", "rank", "swapped"]
