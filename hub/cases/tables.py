"""Case tables: the hub's own cases, their history, webhook subscriptions and the outbox.

The history is also the event log: every row is one event (OPENED, STATUS_CHANGED) that
subscribers and webhooks receive. The outbox holds one row per (event, webhook), written in
the same transaction as the case change, so a committed change always reaches its webhooks
and a rolled-back one never does (transactional outbox).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class CaseRow(SQLModel, table=True):
    """One case the hub coordinates; ``id`` is ``CASE-HUB-<year>-<seq>``."""

    __tablename__ = "hub_case"

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=40, unique=True, index=True)
    worker_id: str = Field(max_length=40, index=True)
    kind: str = Field(max_length=20)  # schema.enums.CaseKind
    status: str = Field(max_length=20)  # schema.enums.CaseStatus
    severity: str = Field(max_length=20)  # schema.enums.Severity
    summary: str = Field(sa_column=Column(Text, nullable=False))
    mission_code: str | None = Field(default=None, max_length=10, index=True)
    agencies: str = Field(default="", max_length=200)  # comma-separated Agency values
    opened_at: datetime
    updated_at: datetime
    opened_by_client: str = Field(max_length=80)
    opened_by_agency: str | None = Field(default=None, max_length=40)
    version: int = 1
    # the partner organisation accompanying the case (referCase), shown as pendamping
    partner_org: str | None = Field(default=None, max_length=20)


class CaseEventRow(SQLModel, table=True):
    """One change of a case: who, when, what, and the note that explains it."""

    __tablename__ = "hub_case_event"
    __table_args__ = (Index("ix_hub_case_event_case_seq", "case_seq", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=40, unique=True, index=True)  # evt_…: the idempotency key
    case_seq: int = Field(foreign_key="hub_case.seq")
    event: str = Field(max_length=30)
    at: datetime
    status: str = Field(max_length=20)  # the status after this event
    previous_status: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    client_id: str = Field(max_length=80)
    subject: str = Field(max_length=120)
    agency: str | None = Field(default=None, max_length=40)


class WebhookRow(SQLModel, table=True):
    """An agency's endpoint for case events, for one mission or (``mission_code`` None) all.

    The secret must be readable to sign with (HMAC), so it is stored sealed under
    HUB_AUTH_KEY_SECRET (hub/cases/webhook_secrets.py); it is shown to the registering client
    once and never returned again.
    """

    __tablename__ = "hub_webhook"

    id: str = Field(primary_key=True, max_length=40)  # wh_<random>
    url: str = Field(max_length=500)
    mission_code: str | None = Field(default=None, max_length=10)
    secret_sealed: str = Field(sa_column=Column(Text, nullable=False))
    client_id: str = Field(max_length=80)
    subject: str = Field(max_length=120)
    agency: str | None = Field(default=None, max_length=40)
    purpose: str | None = Field(default=None, max_length=40)
    created_at: datetime
    active: bool = True
    # a partner organisation's webhook: only its accompanied cases (no notes) and its consents
    partner_org: str | None = Field(default=None, max_length=20, index=True)


class DeliveryRow(SQLModel, table=True):
    """One event owed to one webhook; delivered at least once, retried with backoff."""

    __tablename__ = "hub_webhook_delivery"
    __table_args__ = (
        Index("ix_hub_webhook_delivery_due", "delivered_at", "next_attempt_at"),
        Index("ix_hub_webhook_delivery_webhook", "webhook_id", "event_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: str = Field(foreign_key="hub_webhook.id", max_length=40)
    event_id: str = Field(max_length=40)
    worker_id: str = Field(max_length=40)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the JSON body, fixed at commit
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime
    delivered_at: datetime | None = None
    failed_at: datetime | None = None  # gave up after the last attempt
    last_error: str | None = Field(default=None, max_length=200)
    # to a partner's webhook: the worker's consent it is sent under (recorded in the audit)
    consent_id: str | None = Field(default=None, max_length=40)


__all__ = ["CaseEventRow", "CaseRow", "DeliveryRow", "WebhookRow"]
