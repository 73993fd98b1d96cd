"""Crosswalk tables: which agency records are the same person.

The hub keeps identifiers only as keyed digests (HMAC-SHA256 with the hub's pseudonym key),
so the crosswalk can link and look up by NIK or passport without storing either.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class WorkerRow(SQLModel, table=True):
    __tablename__ = "worker"

    id: str = Field(primary_key=True, max_length=40)
    created_at: datetime
    merged_into: str | None = Field(default=None, foreign_key="worker.id", index=True)


class AgencyRecordRow(SQLModel, table=True):
    """One agency's person record, linked to a worker."""

    __tablename__ = "agency_record"

    agency: str = Field(primary_key=True, max_length=40)
    local_id: str = Field(primary_key=True, max_length=80)
    worker_id: str = Field(foreign_key="worker.id", index=True, max_length=40)
    method: str = Field(max_length=20)  # schema.enums.MatchMethod
    confidence: float = 1.0
    fingerprint: str = Field(max_length=64)  # digest of the identity attributes last seen
    updated_at: datetime


class RecordKeyRow(SQLModel, table=True):
    """An identifier a record holds, as a keyed digest: ``kind`` is NIK, PASSPORT or
    ``AGENCY:KEY`` (``P2MI:PLACEMENT_ID``, ``KEMNAKER:LOCAL_ID``, …)."""

    __tablename__ = "record_key"
    __table_args__ = (Index("ix_record_key_record", "agency", "local_id"),)

    kind: str = Field(primary_key=True, max_length=60)
    digest: str = Field(primary_key=True, max_length=64)
    agency: str = Field(primary_key=True, max_length=40)
    local_id: str = Field(primary_key=True, max_length=80)


class SyncCursorRow(SQLModel, table=True):
    """Where the last sync of an agency's changes feed stopped."""

    __tablename__ = "sync_cursor"

    agency: str = Field(primary_key=True, max_length=40)
    cursor: str = Field(max_length=500)
    records: int = 0
    updated_at: datetime
