"""Publishing each signed checkpoint to the agencies that witness the trail.

An agency holding ``audit:read`` subscribes one of its webhooks (``witnessAuditCheckpoints``);
every checkpoint the hub signs is then queued, in the transaction that stores it, as an
``audit.checkpoint`` event in the webhook outbox (``hub_webhook_delivery``), delivered and
retried like case events. The agency appends each one to its witness file; it can also read
them back any time with the ``auditCheckpoints`` query. Checkpoints carry no personal data, so
their delivery records no access entry.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, SQLModel

from hub.audit.tables import AuditCheckpointRow
from hub.audit.witness import EVENT, WitnessCheckpoint
from hub.cases.tables import DeliveryRow, WebhookRow
from schema.clock import now

CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]
DELIVERY = DeliveryRow.__table__  # type: ignore[attr-defined]
WEBHOOK = WebhookRow.__table__  # type: ignore[attr-defined]
MAX_PAGE = 500


class AuditWitnessRow(SQLModel, table=True):
    """A webhook that receives every signed audit checkpoint (``audit.checkpoint``)."""

    __tablename__ = "hub_audit_witness"

    webhook_id: str = Field(primary_key=True, foreign_key="hub_webhook.id", max_length=40)
    client_id: str = Field(max_length=80)
    created_at: datetime


WITNESS = AuditWitnessRow.__table__  # type: ignore[attr-defined]


def queue_checkpoint(conn: Connection, checkpoint: WitnessCheckpoint) -> int:
    """Owe ``checkpoint`` to every active witnessing webhook; how many."""
    hooks = conn.execute(
        select(WEBHOOK.c.id)
        .join(WITNESS, WITNESS.c.webhook_id == WEBHOOK.c.id)
        .where(WEBHOOK.c.active.is_(True))
    ).scalars()
    event_id = f"evt_ckpt_{secrets.token_urlsafe(12)}"
    body = {"type": EVENT, "id": event_id, "checkpoint": checkpoint.to_json()}
    payload = json.dumps(body, separators=(",", ":"))
    at = now()  # the outbox's clock (the delivery worker's), which tests pin to a day
    rows = [
        {
            "webhook_id": hook,
            "event_id": event_id,
            "worker_id": "",  # about no worker: nothing personal leaves the hub
            "payload": payload,
            "created_at": at,
            "attempts": 0,
            "next_attempt_at": at,
        }
        for hook in hooks.all()
    ]
    if rows:
        conn.execute(insert(DELIVERY), rows)
    return len(rows)


def subscribe(conn: Connection, webhook_id: str, client_id: str, at: datetime) -> bool:
    """Make ``client_id``'s active webhook a witness, in the caller's transaction (the
    mutation's audit unit commits it with its entry); False when it is not theirs or gone."""
    owner = conn.execute(
        select(WEBHOOK.c.client_id).where(WEBHOOK.c.id == webhook_id, WEBHOOK.c.active)
    ).scalar()
    if owner != client_id:
        return False
    known = conn.execute(select(WITNESS.c.webhook_id).where(WITNESS.c.webhook_id == webhook_id))
    if known.first() is None:
        conn.execute(
            insert(WITNESS).values(webhook_id=webhook_id, client_id=client_id, created_at=at)
        )
    return True


def checkpoints_after(
    engine: Engine, after: int, first: int
) -> list[tuple[int, WitnessCheckpoint]]:
    """(number, checkpoint) in the order signed, after number ``after`` (0: from the first)."""
    query = select(CHECKPOINT).where(CHECKPOINT.c.id > after).order_by(CHECKPOINT.c.id)
    with engine.connect() as conn:
        rows = conn.execute(query.limit(min(first, MAX_PAGE))).all()
    return [(int(row.id), WitnessCheckpoint.of(row)) for row in rows]


__all__ = ["MAX_PAGE", "AuditWitnessRow", "checkpoints_after", "queue_checkpoint", "subscribe"]
