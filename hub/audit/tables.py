"""Audit tables: the chained entries, the chain head, and the signed checkpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class AuditEntryRow(SQLModel, table=True):
    """One worker's personal data returned (or refused) to one client in one operation.

    ``seq`` rises by one per entry with no gaps; ``hash`` covers every other column and
    ``prev_hash`` (``hub.audit.chain``). ``at`` is naive UTC.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_worker_seq", "worker_id", "seq"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(index=True)
    client_id: str = Field(max_length=80)
    agency: str | None = Field(default=None, max_length=40)
    subject: str = Field(max_length=120)
    purpose: str | None = Field(default=None, max_length=40)
    operation: str = Field(max_length=120)
    worker_id: str | None = Field(default=None, max_length=40)
    categories: str = Field(default="", max_length=200)
    grant_id: str | None = Field(default=None, max_length=80)
    request_id: str = Field(max_length=80)
    outcome: str = Field(max_length=20)  # hub.audit.entry.Outcome
    # why an attempt was refused: the error code and its detail ("FORBIDDEN case:write")
    reason: str | None = Field(default=None, max_length=200)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # a bulk entry (a cohort): SHA-256 over the keyed digests of the workers it listed
    # (``audit_member``), hashed into the chain, so its members cannot change unseen
    members: str | None = Field(default=None, max_length=64)


class AuditMemberRow(SQLModel, table=True):
    """One worker a bulk entry listed, as a keyed digest of the worker id (hub.audit.members):
    how the worker's access log finds the entry, with no list of ids in clear."""

    __tablename__ = "audit_member"

    member: str = Field(primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)


class AuditHeadRow(SQLModel, table=True):
    """The chain head, one row: appends lock it, so the chain stays linear."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int
    hash: str = Field(max_length=64)


class AuditCheckpointRow(SQLModel, table=True):
    """The signed chain head at ``seq``. A purge checkpoint also records that entries before
    ``purged_before_seq`` are gone: the remaining chain starts after ``seq``/``head_hash``."""

    __tablename__ = "audit_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True)
    head_hash: str = Field(max_length=64)
    signed_at: datetime
    signature: str = Field(sa_column=Column(Text, nullable=False))
    key_id: str = Field(max_length=64)
    purged_before_seq: int | None = None
    # a hand-over: the next signing key (raw public bytes, base64), endorsed by this signature
    next_public_key: str | None = Field(default=None, max_length=64)


__all__ = ["AuditCheckpointRow", "AuditEntryRow", "AuditHeadRow", "AuditMemberRow"]
