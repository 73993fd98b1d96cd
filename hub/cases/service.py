"""Open and update the hub's cases; each change writes its event, its webhook deliveries and
(on PostgreSQL) its NOTIFY in one transaction, so nothing is announced that did not commit.

Synchronous, like the crosswalk and the audit trail: the GraphQL layer calls it from a
worker thread.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session, col, select

from hub.cases.lifecycle import (
    MAX_NOTE,
    MAX_SUMMARY,
    CaseError,
    CaseEventType,
    case_id,
    check_text,
    check_transition,
    unknown_case,
)
from hub.cases.missions import MissionCatalog
from hub.cases.opening import check_substance, mission_note
from hub.cases.owners import may_change, not_owner
from hub.cases.records import Actor, CaseEvent, HistoryEntry, HubCase
from hub.cases.tables import CaseEventRow, CaseRow, DeliveryRow, WebhookRow
from hub.crosswalk.tables import WorkerRow
from hub.storage.unit import writing
from schema.clock import now
from schema.enums import CaseKind, CaseStatus, Severity
from schema.records import MissionRecord

NOTIFY_CHANNEL = "pmihub_case_events"
CASE = CaseRow.__table__  # type: ignore[attr-defined]
EVENT = CaseEventRow.__table__  # type: ignore[attr-defined]
WORKER = WorkerRow.__table__  # type: ignore[attr-defined]
# Read for every worker read that shows cases: Core, not the ORM, and built once
_IDS = bindparam("ids", expanding=True)
OF_WORKERS = (
    sa_select(CASE, WORKER.c.merged_into)
    .join(WORKER, WORKER.c.id == CASE.c.worker_id, isouter=True)
    .where(or_(CASE.c.worker_id.in_(_IDS), WORKER.c.merged_into.in_(_IDS)))
    .order_by(CASE.c.opened_at.desc(), CASE.c.seq.desc())
)
HISTORY = (
    sa_select(
        EVENT.c.case_seq,
        EVENT.c.event,
        EVENT.c.at,
        EVENT.c.status,
        EVENT.c.previous_status,
        EVENT.c.note,
        EVENT.c.agency,
        EVENT.c.client_id,
    )
    .where(EVENT.c.case_seq.in_(bindparam("seqs", expanding=True)))
    .order_by(EVENT.c.seq)
)


class CaseService:
    def __init__(
        self,
        engine: Engine,
        missions: MissionCatalog | None = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.engine = engine
        self.missions = missions or MissionCatalog.default()
        self.clock = clock
        self.notify = engine.dialect.name == "postgresql"
        # (session, organisation, worker id) -> the consent of the worker to the
        # organisation in force, if any: a partner's webhook hears of the case only then
        self.partner_gate: Callable[[Session, str, str], str | None] | None = None

    def open(
        self,
        actor: Actor,
        worker_id: str,
        kind: CaseKind,
        severity: Severity,
        summary: str,
        mission: MissionRecord | None,
        agencies: Iterable[str] = (),
        session: Session | None = None,
        mission_reason: str | None = None,
        partner_org: str | None = None,
    ) -> CaseEvent:
        """A new OPEN case for a (canonical) worker; ``mission`` is already resolved and is
        checked against the worker's countries (hub/cases/opening.py). With a ``session``,
        written into the caller's transaction (``hub.storage.unit``); ``partner_org``: the
        organisation that referred it and accompanies it."""
        text_ = check_text(summary, MAX_SUMMARY, "summary", "Ringkasan", "The summary")
        check_substance(text_, "summary", "Ringkasan", "The summary")
        at = self.clock()
        involved = sorted({*(a for a in agencies if a), *([actor.agency] if actor.agency else [])})
        with writing(self.engine, session) as session:
            if session.get(WorkerRow, worker_id) is None:
                raise CaseError(
                    "NOT_FOUND", "Pekerja tidak ditemukan", "No such worker", "workerId"
                )
            note = mission_note(session, worker_id, mission, mission_reason)
            row = CaseRow(
                id=f"pending-{secrets.token_hex(8)}",
                worker_id=worker_id,
                kind=kind.value,
                status=CaseStatus.OPEN.value,
                severity=severity.value,
                summary=text_,
                mission_code=mission.code if mission else None,
                agencies=",".join(involved),
                opened_at=at,
                updated_at=at,
                opened_by_client=actor.client_id,
                opened_by_agency=actor.agency,
                partner_org=partner_org,
            )
            session.add(row)
            session.flush()  # assigns seq, which numbers the case
            assert row.seq is not None
            row.id = case_id(row.seq, at.year)
            event = self._record(session, row, CaseEventType.OPENED, at, actor, None, note)
        return event

    def update_status(
        self,
        actor: Actor,
        id: str,
        status: CaseStatus,
        note: str,
        session: Session | None = None,
    ) -> CaseEvent:
        text_ = check_text(note, MAX_NOTE, "note", "Catatan", "The note")
        with writing(self.engine, session) as session:
            row = session.exec(
                select(CaseRow).where(col(CaseRow.id) == id).with_for_update()
            ).first()
            if row is None:
                raise unknown_case()
            if not may_change(actor, row.mission_code, self._opener(session, row)):
                raise not_owner(row.id)
            previous = CaseStatus(row.status)
            check_transition(previous, status)
            at = self.clock()
            row.status = status.value
            row.updated_at = at
            row.version += 1
            if actor.agency and actor.agency not in row.agencies.split(","):
                row.agencies = ",".join(sorted({*row.agencies.split(","), actor.agency} - {""}))
            session.add(row)
            event = self._record(
                session, row, CaseEventType.STATUS_CHANGED, at, actor, previous, text_
            )
        return event

    def _opener(self, session: Session, row: CaseRow) -> tuple[str, str]:
        """The (client id, subject) that opened the case (its OPENED event)."""
        found = session.exec(
            select(CaseEventRow.client_id, CaseEventRow.subject).where(
                col(CaseEventRow.case_seq) == row.seq,
                col(CaseEventRow.event) == CaseEventType.OPENED.value,
            )
        ).first()
        return (found[0], found[1]) if found else (row.opened_by_client, row.opened_by_client)

    def _record(
        self,
        session: Session,
        row: CaseRow,
        kind: CaseEventType,
        at: datetime,
        actor: Actor,
        previous: CaseStatus | None,
        note: str | None,
    ) -> CaseEvent:
        """The event row, one outbox row per matching webhook, and the NOTIFY."""
        assert row.seq is not None
        event_row = CaseEventRow(
            id=f"evt_{secrets.token_urlsafe(18)}",
            case_seq=row.seq,
            event=kind.value,
            at=at,
            status=row.status,
            previous_status=previous.value if previous else None,
            note=note,
            client_id=actor.client_id,
            subject=actor.subject,
            agency=actor.agency,
        )
        session.add(event_row)
        # the worker's verdict follows the case (CRITICAL_CASE): the census takes them at its
        # next run, as a worker whose agency records changed (hub/census/run.py)
        from hub.census.tables import CensusPendingRow  # hub.census imports this module

        session.add(CensusPendingRow(worker_id=row.worker_id))
        event = CaseEvent(
            id=event_row.id, event=kind.value, at=at, case=self._case(row, ()), note=note
        )
        body = json.dumps(event.to_json(), ensure_ascii=False, separators=(",", ":"))
        hooks = list(
            session.exec(
                select(WebhookRow.id).where(
                    col(WebhookRow.active).is_(True),
                    col(WebhookRow.partner_org).is_(None),
                    or_(
                        col(WebhookRow.mission_code).is_(None),
                        col(WebhookRow.mission_code) == row.mission_code,
                    ),
                )
            ).all()
        )
        bodies: dict[str, tuple[str, str | None]] = dict.fromkeys(hooks, (body, None))
        gate = self.partner_gate
        consent = (
            gate(session, row.partner_org, row.worker_id) if row.partner_org and gate else None
        )
        if consent is not None:
            plain = json.dumps(
                event.to_json(with_note=False), ensure_ascii=False, separators=(",", ":")
            )
            partner_hooks = session.exec(
                select(WebhookRow.id).where(
                    col(WebhookRow.active).is_(True),
                    col(WebhookRow.partner_org) == row.partner_org,
                )
            ).all()
            bodies.update(dict.fromkeys(partner_hooks, (plain, consent)))
        for hook, (payload, consent_id) in bodies.items():
            session.add(
                DeliveryRow(
                    webhook_id=hook,
                    event_id=event.id,
                    worker_id=row.worker_id,
                    payload=payload,
                    created_at=at,
                    next_attempt_at=at,
                    consent_id=consent_id,
                )
            )
        session.flush()
        if self.notify:  # delivered by PostgreSQL to every listener once this commits
            session.connection().execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": event.id},
            )
        return event

    def get(self, id: str) -> HubCase | None:
        with Session(self.engine) as session:
            row = session.exec(select(CaseRow).where(col(CaseRow.id) == id)).first()
            if row is None:
                return None
            return self._with_history(session.connection(), [row])[0]

    def event(self, event_id: str) -> CaseEvent | None:
        """An event as it is now told: the case's state when the event happened."""
        with Session(self.engine) as session:
            found = session.exec(
                select(CaseEventRow, CaseRow)
                .join(CaseRow, col(CaseRow.seq) == col(CaseEventRow.case_seq))
                .where(col(CaseEventRow.id) == event_id)
            ).first()
        if found is None:
            return None
        event_row, row = found
        case = self._case(row, ())
        return CaseEvent(
            id=event_row.id,
            event=event_row.event,
            at=event_row.at,
            case=_replace_status(case, CaseStatus(event_row.status), event_row.at),
            note=event_row.note,
        )

    def for_workers(self, worker_ids: Sequence[str]) -> dict[str, list[HubCase]]:
        """The cases of each worker id, newest first, with their history: two queries for
        the whole batch. Cases opened under an id since merged into one of ``worker_ids``
        count for the id it was merged into."""
        found: dict[str, list[HubCase]] = defaultdict(list)
        if not worker_ids:
            return found
        wanted = set(worker_ids)
        with self.engine.connect() as connection:
            rows = connection.execute(OF_WORKERS, {"ids": list(wanted)}).all()
            cases = self._with_history(connection, rows)
        for row, case in zip(rows, cases, strict=True):
            owner = row.worker_id if row.worker_id in wanted else row.merged_into
            if owner is not None:
                found[owner].append(case)
        return found

    def _with_history(
        self, connection: Connection, rows: Sequence[CaseRow | Row[Any]]
    ) -> list[HubCase]:
        history: dict[int, list[HistoryEntry]] = defaultdict(list)
        seqs = [row.seq for row in rows if row.seq is not None]
        if seqs:
            for e in connection.execute(HISTORY, {"seqs": seqs}):
                history[e.case_seq].append(
                    HistoryEntry(
                        event=e.event,
                        at=e.at,
                        status=CaseStatus(e.status),
                        previous_status=CaseStatus(e.previous_status)
                        if e.previous_status
                        else None,
                        note=e.note,
                        agency=e.agency,
                        client_id=e.client_id,
                    )
                )
        return [self._case(row, tuple(history.get(row.seq or 0, ()))) for row in rows]

    def _case(self, row: CaseRow | Row[Any], history: tuple[HistoryEntry, ...]) -> HubCase:
        return HubCase(
            id=row.id,
            worker_id=row.worker_id,
            kind=CaseKind(row.kind),
            status=CaseStatus(row.status),
            severity=Severity(row.severity),
            summary=row.summary,
            mission=self.missions.get(row.mission_code),
            agencies=tuple(a for a in row.agencies.split(",") if a),
            opened_at=row.opened_at,
            updated_at=row.updated_at,
            opened_by_agency=row.opened_by_agency,
            history=history,
            partner_org=row.partner_org,
        )


def _replace_status(case: HubCase, status: CaseStatus, at: datetime) -> HubCase:
    from dataclasses import replace

    return replace(case, status=status, updated_at=at)


__all__ = ["NOTIFY_CHANNEL", "CaseService"]
