"""Search index tables: the normalised name words of every linked agency record.

The crosswalk keeps identifiers only as keyed digests, but a name search needs the words
themselves, so this index holds personal data (normalised names, birth dates, countries; no
NIK, passport or phone): docs/search.md says why and who may read it. Rows are keyed by the
agency record, never by worker: the crosswalk's ``agency_record`` says which worker a record
belongs to at query time, so merges and splits need no change here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class SearchRecordRow(SQLModel, table=True):
    """One agency record's name, birth date and countries, for scoring and filters."""

    __tablename__ = "search_record"

    agency: str = Field(primary_key=True, max_length=40)
    local_id: str = Field(primary_key=True, max_length=80)
    given: str = Field(max_length=300)  # the person's own words, spelling keys, space-joined
    father: str = Field(default="", max_length=300)  # the words after "binti"/"bin"
    birth_date: date | None = Field(default=None, index=True)
    countries: str = Field(default="", max_length=200)  # ",HK,TW," (placement, mission)


class SearchTermRow(SQLModel, table=True):
    """A posting: a record holds a term (one word's spelling key, or two adjacent words).

    ``size`` is the number of words of the record's name: within one term the postings are
    read shortest name first, so a capped read keeps the closest namesakes."""

    __tablename__ = "search_term"
    __table_args__ = (Index("ix_search_term_record", "agency", "local_id"),)

    term: str = Field(primary_key=True, max_length=120)
    size: int = Field(primary_key=True)
    agency: str = Field(primary_key=True, max_length=40)
    local_id: str = Field(primary_key=True, max_length=80)


class SearchVocabRow(SQLModel, table=True):
    """Every distinct indexed word, under a trigram index (FTS5 trigram on SQLite, pg_trgm
    GIN on PostgreSQL): a query word finds its near spellings here, not in the postings."""

    __tablename__ = "search_vocab"

    word: str = Field(primary_key=True, max_length=60)
