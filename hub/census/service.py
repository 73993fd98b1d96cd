"""Reading and acknowledging protection alerts (synchronous: the GraphQL layer offloads it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hub.cases.lifecycle import MAX_NOTE, CaseError, check_text
from hub.census.alerts import ALERT, Alert
from schema.clock import now

MAX_PAGE = 200


def unknown_alert() -> CaseError:
    return CaseError("NOT_FOUND", "Peringatan tidak ditemukan", "No such alert", "id")


class AlertService:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = now) -> None:
        self.engine = engine
        self.clock = clock

    def page(
        self, mission_code: str | None, first: int, after: int | None
    ) -> list[tuple[int, Alert]]:
        """Alerts newest first (of one mission when given), after the cursor ``after``."""
        query = select(ALERT)
        if mission_code is not None:
            query = query.where(ALERT.c.mission_code == mission_code)
        if after is not None:
            query = query.where(ALERT.c.seq < after)
        query = query.order_by(ALERT.c.seq.desc()).limit(max(1, min(first, MAX_PAGE)))
        with self.engine.connect() as connection:
            return [(row.seq, Alert.of(row)) for row in connection.execute(query)]

    def get(self, alert_id: str) -> Alert | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(ALERT).where(ALERT.c.id == alert_id[:40])).first()
        return Alert.of(row) if row is not None else None

    def acknowledge(
        self,
        alert_id: str,
        subject: str,
        client_id: str,
        note: str,
        session: Session | None = None,
    ) -> Alert:
        """Acknowledge once; a second acknowledgement keeps the first (who and when). With
        ``session`` the change commits with it (and its audit entries: commit_audited)."""
        text_ = check_text(note, MAX_NOTE, "note", "Catatan", "The note")
        if session is not None:
            return self._acknowledge(session.connection(), alert_id, subject, client_id, text_)
        with self.engine.begin() as connection:
            return self._acknowledge(connection, alert_id, subject, client_id, text_)

    def _acknowledge(
        self, connection: Connection, alert_id: str, subject: str, client_id: str, note: str
    ) -> Alert:
        row = connection.execute(
            select(ALERT).where(ALERT.c.id == alert_id[:40]).with_for_update()
        ).first()
        if row is None:
            raise unknown_alert()
        if row.acknowledged_at is None:
            connection.execute(
                update(ALERT)
                .where(ALERT.c.seq == row.seq)
                .values(
                    acknowledged_at=self.clock(),
                    acknowledged_by=subject[:120],
                    acknowledged_client=client_id[:80],
                    note=note,
                )
            )
        row = connection.execute(select(ALERT).where(ALERT.c.seq == row.seq)).one()
        return Alert.of(row)


__all__ = ["MAX_PAGE", "AlertService", "unknown_alert"]
