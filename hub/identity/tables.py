"""Identity-resolution tables: what probabilistic matching reads, and the review queue.

``identity_attribute`` holds, per agency record, the normalised name, birth date, sex and
region of origin that probabilistic matching compares. Names are personal data kept because
matching cannot work without them (docs/identity.md); the NIK and passport stay digests in
``record_key``. ``match_candidate`` is the review queue (pairs between the thresholds) and
``identity_decision`` keeps what identity officers decided, so a sync never undoes it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel


class IdentityAttributeRow(SQLModel, table=True):
    """The identity attributes of one agency record, as matching compares them."""

    __tablename__ = "identity_attribute"
    # Blocking reads rows by birth date (the page's dates and their day/month swaps), the
    # records holding a NIK filtered out when the record asking holds one itself.
    __table_args__ = (Index("ix_identity_attribute_block", "birth_date", "has_nik"),)

    agency: str = Field(primary_key=True, max_length=40)
    local_id: str = Field(primary_key=True, max_length=80)
    given: str = Field(max_length=200)  # the person's own name, normalised words
    father: str | None = Field(default=None, max_length=200)  # after bin/binti, normalised
    birth_date: date | None = None
    sex: str | None = Field(default=None, max_length=10)
    region: str | None = Field(default=None, max_length=4)  # regency code: NIK digits 1-4
    has_nik: bool = False
    # the countries of the record's placements or lapor diri missions, "HK TW" (migration 0011)
    countries: str | None = Field(default=None, max_length=60)


class MatchCandidateRow(SQLModel, table=True):
    """A record that may be a worker, waiting for an identity officer (or decided)."""

    __tablename__ = "match_candidate"
    __table_args__ = (
        Index("ix_match_candidate_status", "status", "id"),
        Index("ix_match_candidate_record", "agency", "local_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(max_length=40)
    local_id: str = Field(max_length=80)
    worker_id: str = Field(max_length=40)  # the candidate worker when it was proposed
    confidence: float
    weight: float  # the Fellegi-Sunter match weight (log2 likelihood ratio) behind it
    evidence: str = Field(sa_type=Text)  # JSON: the comparison level and weight per attribute
    ambiguous: bool = False  # another worker was as close
    status: str = Field(max_length=12)  # PENDING, CONFIRMED, REJECTED, SUPERSEDED
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=120)


class IdentityDecisionRow(SQLModel, table=True):
    """An identity officer's decision: the record is (CONFIRM) or is never (REJECT, SPLIT)
    the same person as the worker. The linker reads these before linking."""

    __tablename__ = "identity_decision"
    __table_args__ = (
        Index("ix_identity_decision_record", "agency", "local_id"),
        Index("ix_identity_decision_worker", "worker_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # CONFIRM, REJECT, SPLIT
    agency: str = Field(max_length=40)
    local_id: str = Field(max_length=80)
    worker_id: str = Field(max_length=40)
    candidate_id: int | None = None
    decided_by: str = Field(max_length=120)
    decided_at: datetime
