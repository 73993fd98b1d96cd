"""Partner tables: the accredited organisations and the consent ledger.

The ledger is append-only: a consent is granted as version 1 and every change of its status
(revoked by the worker or at a mission, expired, the organisation suspended) is a new version;
no row is ever updated or deleted. Each version is a signed artefact (``artefact`` is the
canonical JSON the signature covers).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class PartnerOrgRow(SQLModel, table=True):
    """An organisation accredited by an operator (KP2MI under a PKS)."""

    __tablename__ = "partner_org"

    code: str = Field(primary_key=True, max_length=20)  # SBMI, MIGRANTCARE…
    name: str = Field(max_length=200)
    contact: str = Field(max_length=200)  # the organisation's DPO or desk, not a worker
    status: str = Field(max_length=20)  # ACTIVE | SUSPENDED
    created_at: datetime
    suspended_at: datetime | None = None


class ConsentRow(SQLModel, table=True):
    """One version of one consent artefact."""

    __tablename__ = "consent_ledger"
    __table_args__ = (
        Index("ix_consent_ledger_id_version", "consent_id", "version", unique=True),
        Index("ix_consent_ledger_org_worker", "organisation", "worker_id"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    consent_id: str = Field(max_length=40)
    version: int
    worker_id: str = Field(max_length=40, index=True)
    organisation: str = Field(max_length=20)
    purpose: str = Field(max_length=40)
    categories: str = Field(max_length=200)
    include_next_of_kin: bool = False
    case_id: str | None = Field(default=None, max_length=40)
    valid_from: datetime
    valid_until: datetime
    status: str = Field(max_length=20)  # ACTIVE | REVOKED | EXPIRED | SUSPENDED
    channel: str = Field(max_length=30)  # SELF | ASSISTED_AT_MISSION
    officer: str | None = Field(default=None, max_length=120)
    mission: str | None = Field(default=None, max_length=10)
    language: str = Field(max_length=5)
    text_hash: str = Field(max_length=80)
    changed_by: str = Field(max_length=120)  # who made this version (worker, officer, hub)
    recorded_at: datetime
    artefact: str = Field(sa_column=Column(Text, nullable=False))
    signature: str = Field(sa_column=Column(Text, nullable=False))
    key_id: str = Field(max_length=64)


__all__ = ["ConsentRow", "PartnerOrgRow"]
