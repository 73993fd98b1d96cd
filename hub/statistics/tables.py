"""Where releases live: one row per release, one row per published table (cells as JSON).

Nothing here names a person: a table row holds published cells (suppressed ones are null) and
the table's metadata. Releases are immutable: the database refuses to change or delete a
published table and lets a release change only from PUBLISHED to WITHDRAWN (triggers in
migration 0014).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class StatisticsReleaseRow(SQLModel, table=True):
    __tablename__ = "statistics_release"

    id: str = Field(primary_key=True, max_length=40)  # stat-<reference date>-v<version>
    reference_date: date = Field(index=True)
    version: int
    created_at: datetime
    rules_version: str = Field(max_length=40)
    rules: str = Field(sa_column=Column(Text, nullable=False))  # JSON: Rules.as_dict()
    meta: str = Field(sa_column=Column(Text, nullable=False))  # JSON: freshness, linkage...
    status: str = Field(default="PUBLISHED", max_length=20)  # PUBLISHED or WITHDRAWN
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = Field(default=None, max_length=500)


class StatisticsTableRow(SQLModel, table=True):
    __tablename__ = "statistics_table"

    release_id: str = Field(primary_key=True, max_length=40, foreign_key="statistics_release.id")
    name: str = Field(primary_key=True, max_length=60)
    body: str = Field(sa_column=Column(Text, nullable=False))  # JSON: dimensions and cells


class StatisticsExactRow(SQLModel, table=True):
    """A release's cell counts before disclosure control, for the partner query service only:
    never served as they are, only with differentially private noise (``privacy.py``)."""

    __tablename__ = "statistics_exact"

    release_id: str = Field(primary_key=True, max_length=40, foreign_key="statistics_release.id")
    name: str = Field(primary_key=True, max_length=60)
    body: str = Field(sa_column=Column(Text, nullable=False))  # JSON: categories and counts


class PrivacyLedgerRow(SQLModel, table=True):
    """The partner query service's spending (append-only): one row per answered query."""

    __tablename__ = "statistics_privacy_ledger"

    seq: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=80, index=True)
    year: int = Field(index=True)
    rho: float
    release_id: str = Field(max_length=40)
    query: str = Field(max_length=200)  # table and measure asked, never a person
    at: datetime


__all__ = [
    "PrivacyLedgerRow",
    "StatisticsExactRow",
    "StatisticsReleaseRow",
    "StatisticsTableRow",
]
