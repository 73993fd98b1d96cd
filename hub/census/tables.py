"""Census tables: one minimal verdict record per worker, the workers waiting for a new
verdict, the protection alerts raised when a verdict worsens, and crisis roll-call marks.

The census keeps no name, NIK, passport, phone or address: the worker id, the verdict (level,
phase, finding codes, rules version) and what a crisis cohort is chosen by (destination
country, mission, employer city, lapor diri region, last contact with the mission, the
placement company's licence number and status, whether the worker is abroad), and the
categories the coverage statistics count (``stat_*``, hub/statistics/facts.py: codes and years,
never a date finer than a year, no identifier), so a statistics run reads them in bulk.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class CensusRow(SQLModel, table=True):
    """The latest verdict of one (canonical) worker, as the census evaluated it."""

    __tablename__ = "census_verdict"
    __table_args__ = (
        Index("ix_census_verdict_urgency", "level_rank", "last_contact_on"),
        Index("ix_census_verdict_mission", "mission_code", "level_rank"),
        Index("ix_census_verdict_country", "country", "level_rank"),
        Index("ix_census_verdict_licence", "licence", "abroad"),
        Index("ix_census_verdict_city", "city"),
        Index("ix_census_verdict_region", "region"),
        Index("ix_census_verdict_day", "evaluated_on"),
    )

    worker_id: str = Field(primary_key=True, max_length=40)
    level: str = Field(max_length=20)  # schema.enums.ProtectionLevel
    level_rank: int  # 0 EMERGENCY … 4 PROTECTED: the urgency order
    phase: str = Field(max_length=20)
    complete: bool = True
    findings: str = Field(default="", sa_column=Column(Text, nullable=False))  # ",CODE,CODE,"
    grave: str = Field(default="", sa_column=Column(Text, nullable=False))  # HIGH/CRITICAL codes
    rules_version: str = Field(max_length=40)
    evaluated_at: datetime
    evaluated_on: date  # the day the verdict is for (HUB_TODAY when pinned)
    country: str | None = Field(default=None, max_length=2)
    mission_code: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=80)  # employer's city, lower case
    region: str | None = Field(default=None, max_length=80)  # lapor diri region, lower case
    last_contact_on: date | None = None
    licence: str | None = Field(default=None, max_length=60)
    licence_status: str | None = Field(default=None, max_length=20)
    abroad: bool = False
    # The statistics' facts (hub.statistics.facts.StatsRow) for ``evaluated_on``; NULL in a
    # gap column: outside that figure's population. ``stat_country`` is NULL only on a row
    # the census stored before it kept them (``pmihub census --full`` fills them).
    stat_country: str | None = Field(default=None, max_length=40)
    stat_sector: str | None = Field(default=None, max_length=30)
    stat_sex: str | None = Field(default=None, max_length=10)
    stat_age_band: str | None = Field(default=None, max_length=10)
    stat_scheme: str | None = Field(default=None, max_length=30)
    stat_employer: str | None = Field(default=None, max_length=20)
    stat_province: str | None = Field(default=None, max_length=10)
    stat_departure_year: str | None = Field(default=None, max_length=10)
    stat_enrolled: str | None = Field(default=None, max_length=20)
    stat_placed_not_enrolled: str | None = Field(default=None, max_length=20)
    stat_cover_lapsed: str | None = Field(default=None, max_length=20)
    stat_departed_uncovered: str | None = Field(default=None, max_length=20)
    stat_not_in_siskop2mi: str | None = Field(default=None, max_length=20)
    stat_no_lapor_diri: str | None = Field(default=None, max_length=20)
    stat_jht: str | None = Field(default=None, max_length=10)
    # claims "PROGRAMME|BENEFIT|OUTCOME|AMOUNT|YEAR|DAYS;…", cases "KIND|STATUS|YEAR;…",
    # each agency's answer "AGENCY=STATE;…"
    stat_claims: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    stat_cases: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    stat_sources: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # contributions and benefits paid, summed per year: "YEAR|FLOW|AMOUNT;…" (0022)
    stat_money: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class CensusPendingRow(SQLModel, table=True):
    """A worker whose agency records changed: the sync writes it, the census takes it."""

    __tablename__ = "census_pending"

    id: int | None = Field(default=None, primary_key=True)
    worker_id: str = Field(max_length=40, index=True)


class AlertRow(SQLModel, table=True):
    """One worsening of one worker's verdict; ``change_key`` makes it one per change."""

    __tablename__ = "protection_alert"
    __table_args__ = (Index("ix_protection_alert_mission", "mission_code", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=40, unique=True, index=True)  # alt_…
    change_key: str = Field(max_length=64, unique=True)
    worker_id: str = Field(max_length=40, index=True)
    mission_code: str | None = Field(default=None, max_length=10)
    previous_level: str | None = Field(default=None, max_length=20)
    level: str = Field(max_length=20)
    new_findings: str = Field(default="", sa_column=Column(Text, nullable=False))
    cause: str = Field(max_length=20)  # SYNC, DAILY, LICENCE, FULL
    raised_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = Field(default=None, max_length=120)
    acknowledged_client: str | None = Field(default=None, max_length=80)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ContactMarkRow(SQLModel, table=True):
    """One crisis roll-call mark: a mission reached a worker of a cohort, or tried and did not.

    Kept apart from cases (a mark is neither a case nor a case note: it opens nothing, sends no
    case event) and append-only: the worker's latest mark is the one with the highest ``id``.
    No free text: who, when, under which purpose, for which mission, reached or not.
    """

    __tablename__ = "contact_mark"
    __table_args__ = (Index("ix_contact_mark_worker", "worker_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    worker_id: str = Field(max_length=40)
    reached: bool
    mission_code: str | None = Field(default=None, max_length=10)
    marked_at: datetime
    marked_by: str = Field(max_length=120)  # the officer's subject (or the client's)
    client_id: str = Field(max_length=80)
    purpose: str = Field(max_length=40)  # EMERGENCY or CASE_HANDLING


__all__ = ["AlertRow", "CensusPendingRow", "CensusRow", "ContactMarkRow"]
