"""Protection alerts: when a worker's verdict worsens, one alert per change.

An alert is raised when the level gets worse (PROTECTED < AT_RISK < UNPROTECTED < EMERGENCY;
UNKNOWN, a verdict that could not be made, is never a worsening), when a HIGH or CRITICAL
finding appears that the previous verdict did not have, or when the placement company of a
worker still abroad loses its licence. A licence change raises alerts for the workers still
abroad only (one each); those at home are the placement company's and P2MI's to handle. A
worker's first verdict is the baseline and raises none.

The alert, one outbox row per matching webhook (the case events' outbox and signing) and, on
PostgreSQL, the NOTIFY that tells every replica's subscribers are written in the transaction
that stores the new verdict: nothing is announced that did not commit. ``change_key`` (the
worker, the verdict it replaced, the one it became) is unique, so two census runs racing over
the same change raise it once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from hub.cases.service import NOTIFY_CHANNEL
from hub.cases.tables import DeliveryRow, WebhookRow
from hub.census.summary import GRAVITY, split_codes
from hub.census.tables import AlertRow, CensusRow
from schema.enums import ProtectionLevel

EVENT = "protection.alert"
LOST = frozenset({"REVOKED", "SUSPENDED", "EXPIRED"})
ALERT = AlertRow.__table__  # type: ignore[attr-defined]
HOOK = WebhookRow.__table__  # type: ignore[attr-defined]
DELIVERY = DeliveryRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    worker_id: str
    mission_code: str | None
    previous_level: str | None
    level: str
    new_findings: tuple[str, ...]
    raised_at: datetime
    cause: str = "SYNC"
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The webhook body (the event id is the alert id)."""
        return {
            "id": self.id,
            "event": EVENT,
            "at": self.raised_at.isoformat(),
            "alert": {
                "id": self.id,
                "workerId": self.worker_id,
                "missionCode": self.mission_code,
                "previousLevel": self.previous_level,
                "level": self.level,
                "newFindings": list(self.new_findings),
                "raisedAt": self.raised_at.isoformat(),
            },
        }

    @classmethod
    def of(cls, row: Any) -> Alert:
        return cls(
            id=row.id,
            worker_id=row.worker_id,
            mission_code=row.mission_code,
            previous_level=row.previous_level,
            level=row.level,
            new_findings=tuple(split_codes(row.new_findings)),
            raised_at=row.raised_at,
            cause=row.cause,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            note=row.note,
        )


def worsened(before: CensusRow | None, after: CensusRow) -> tuple[str, ...] | None:
    """The new finding codes when ``after`` is worse than ``before`` (see the module doc);
    None when it is not an alert."""
    if before is None:
        return None
    new = tuple(c for c in split_codes(after.findings) if c not in split_codes(before.findings))
    grave = set(split_codes(after.grave)) - set(split_codes(before.grave))
    old_gravity = GRAVITY.get(ProtectionLevel(before.level))
    new_gravity = GRAVITY.get(ProtectionLevel(after.level))
    worse = old_gravity is not None and new_gravity is not None and new_gravity > old_gravity
    if licence_changed(before, after) and not after.abroad:
        return None  # a licence change concerns the workers still abroad (module doc)
    return new if worse or grave or licence_lost(before, after) else None


def licence_changed(before: CensusRow, after: CensusRow) -> bool:
    return after.licence == before.licence and after.licence_status != before.licence_status


def licence_lost(before: CensusRow, after: CensusRow) -> bool:
    """The placement company of a worker still abroad lost its licence: an alert whatever
    the level does (the company answers for the worker abroad, UU 18/2017 Art. 58)."""
    return (
        after.abroad
        and after.licence is not None
        and after.licence == before.licence
        and after.licence_status in LOST
        and before.licence_status not in LOST
    )


def change_key(before: CensusRow, after: CensusRow) -> str:
    raw = "|".join(
        (
            after.worker_id,
            before.level,
            before.findings,
            before.evaluated_at.isoformat(),
            after.level,
            after.findings,
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def raise_alerts(
    connection: Connection,
    changes: list[tuple[CensusRow, CensusRow, tuple[str, ...], str | None]],
    at: datetime,
    *,
    notify: bool,
) -> list[Alert]:
    """Insert the alerts of ``changes`` (before, after, new codes, cause: SYNC, DAILY, FULL)
    not raised already, their outbox rows, and the NOTIFY; the alerts inserted."""
    if not changes:
        return []
    rows = [
        {
            "id": f"alt_{secrets.token_urlsafe(18)}",
            "change_key": change_key(before, after),
            "worker_id": after.worker_id,
            "mission_code": after.mission_code,
            "previous_level": before.level,
            "level": after.level,
            "new_findings": ",".join(new),
            "cause": cause or "SYNC",
            "raised_at": at,
        }
        for before, after, new, cause in changes
    ]
    keys = [r["change_key"] for r in rows]
    taken = set(
        connection.execute(select(ALERT.c.change_key).where(ALERT.c.change_key.in_(keys))).scalars()
    )
    fresh = [r for r in rows if r["change_key"] not in taken]
    if not fresh:
        return []
    connection.execute(insert(ALERT), fresh)  # a racing run's duplicate fails the unique key
    alerts = [Alert.of(_Row(r)) for r in fresh]
    hooks = connection.execute(  # the agencies' webhooks; a partner's never hears alerts
        select(HOOK.c.id, HOOK.c.mission_code).where(
            HOOK.c.active.is_(True), HOOK.c.partner_org.is_(None)
        )
    ).all()
    deliveries = [
        {
            "webhook_id": hook_id,
            "event_id": alert.id,
            "worker_id": alert.worker_id,
            "payload": json.dumps(alert.to_json(), ensure_ascii=False, separators=(",", ":")),
            "created_at": at,
            "attempts": 0,
            "next_attempt_at": at,
        }
        for alert in alerts
        for hook_id, mission in hooks
        if mission is None or mission == alert.mission_code
    ]
    if deliveries:
        connection.execute(insert(DELIVERY), deliveries)
    if notify:
        for alert in alerts:
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": alert.id},
            )
    return alerts


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update({"acknowledged_at": None, "acknowledged_by": None, "note": None})
        self.__dict__.update(values)


__all__ = ["EVENT", "Alert", "change_key", "raise_alerts", "worsened"]
