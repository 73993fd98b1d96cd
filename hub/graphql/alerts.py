"""Protection alerts in the API: Query.protectionAlerts, Mutation.acknowledgeAlert and
Subscription.protectionAlerts.

Each mission sees its own: a token bound to a mission (the ``mission`` claim) reads that
mission's alerts only, and asking for another is FORBIDDEN; other holders of ``case:read`` may
name a mission or read all. Every alert handed out is a read of that worker's protection
status, recorded in the audit trail; acknowledging needs ``case:write`` and a note.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import secrets
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.principal import Principal
from hub.audit.entry import AccessEntry, AuditUnavailable, Outcome
from hub.audit.trail import AuditedChange
from hub.cases import CaseError
from hub.census.alerts import Alert
from hub.census.service import MAX_PAGE, AlertService
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.mission_scope import own_mission
from schema.graphql import types as t

if TYPE_CHECKING:
    from hub.graphql.context import HubContext
    from hub.graphql.live import LiveContext

log = logging.getLogger(__name__)


@strawberry.type
class ProtectionAlert:
    id: strawberry.ID
    worker_id: strawberry.ID
    mission_code: str | None
    previous_level: t.ProtectionLevel | None  # type: ignore[valid-type]
    level: t.ProtectionLevel  # type: ignore[valid-type]
    new_findings: list[str]
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    cursor: str = strawberry.field(description="Give as `after` for the older alerts.")

    @classmethod
    def of(cls, alert: Alert, seq: int = 0) -> ProtectionAlert:
        return cls(
            id=strawberry.ID(alert.id),
            worker_id=strawberry.ID(alert.worker_id),
            mission_code=alert.mission_code,
            previous_level=t.ProtectionLevel(alert.previous_level)
            if alert.previous_level
            else None,
            level=t.ProtectionLevel(alert.level),
            new_findings=list(alert.new_findings),
            raised_at=alert.raised_at,
            acknowledged_at=alert.acknowledged_at,
            cursor=_cursor(seq) if seq else "",
        )


def _cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"alert:{seq}".encode()).decode().rstrip("=")


def _seq(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix != "alert" or not number.isdigit() or len(number) > 18:
            raise ValueError(raw)
        return int(number)
    except (ValueError, UnicodeDecodeError):
        raise bad_input("Kursor tidak sah", "Malformed cursor", "after") from None


def _case_error(exc: CaseError) -> GraphQLError:
    extra = {"argument": exc.argument} if exc.argument else {}
    return hub_error(exc.code, exc.text_id, exc.text_en, **extra)


def alert_mission(
    missions: object,
    principal: Principal,
    asked: str | None,
    refused: Callable[[str], None] | None = None,
) -> str | None:
    """The mission whose alerts the principal reads (None: all); typed errors. Another
    mission's alerts asked by a mission-bound token are refused, and ``refused`` is told
    why (the audit trail records the attempt)."""
    code = None
    if asked is not None:
        try:
            code = missions.resolve(asked).code  # type: ignore[attr-defined]
        except CaseError as exc:
            raise _case_error(exc) from None
    bound = own_mission(principal)
    if bound is None:
        return code
    if code is not None and code != bound:
        if refused is not None:
            refused(f"FORBIDDEN mission {code}")
        raise hub_error(
            "FORBIDDEN",
            f"Hanya peringatan perwakilan Anda ({bound})",
            f"Only the alerts of your own mission ({bound})",
            argument="missionCode",
        )
    return bound


def _reads(ctx: HubContext, alerts: list[Alert]) -> None:
    for alert in alerts:
        ctx.audit_returned(alert.worker_id, "protection")


@strawberry.type
class AlertQueries:
    @strawberry.field(
        description="Protection alerts, newest first, of one mission or all the token may "
        "read (scope: case:read)."
    )
    async def protection_alerts(
        self,
        info: Info,
        mission_code: str | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> list[ProtectionAlert]:
        ctx: HubContext = info.context
        first = 50 if first is None else first
        if not 1 <= first <= MAX_PAGE:
            raise bad_input(f"first: 1 sampai {MAX_PAGE}", f"first: 1 to {MAX_PAGE}", "first")
        code = alert_mission(
            ctx.hub.cases.missions,
            ctx.principal,
            mission_code,
            lambda why: ctx.audit_refused(None, "protection", reason=why),
        )
        before = _seq(after) if after is not None else None
        found = await ctx.hub.offload(AlertService(ctx.hub.engine).page, code, first, before)
        _reads(ctx, [a for _, a in found])
        return [ProtectionAlert.of(alert, seq) for seq, alert in found]


@strawberry.type
class AlertMutations:
    @strawberry.mutation(
        description="Acknowledge a protection alert with a note saying what was done "
        "(scope: case:write); the first acknowledgement stands."
    )
    async def acknowledge_alert(self, info: Info, id: strawberry.ID, note: str) -> ProtectionAlert:
        ctx: HubContext = info.context
        service = AlertService(ctx.hub.engine)
        current = await ctx.hub.offload(service.get, str(id)[:40])
        bound = own_mission(ctx.principal)
        if current is not None and bound is not None and current.mission_code != bound:
            ctx.audit_refused(current.worker_id, "protection", reason="NOT_FOUND mission")
            current = None  # another mission's alert answers as one that does not exist
        if current is None:
            raise hub_error(
                "NOT_FOUND", "Peringatan tidak ditemukan", "No such alert", argument="id"
            )
        principal = ctx.principal

        def change(unit: AuditedChange, entry: Entry) -> Alert:
            done = service.acknowledge(
                current.id, principal.subject, principal.client_id, note, session=unit.session
            )
            unit.record(entry(worker_id=done.worker_id, categories=frozenset({"protection"})))
            return done

        try:
            done = await commit_audited(ctx, change)  # the acknowledgement and its entry
        except CaseError as exc:
            raise _case_error(exc) from None
        return ProtectionAlert.of(done)


@strawberry.type
class AlertSubscription:
    @strawberry.subscription(
        description="Protection alerts as they are raised, for one mission or all the token "
        "may read (scope: case:read; over graphql-transport-ws, token in connection_init)."
    )
    async def protection_alerts(
        self, info: Info, mission_code: str | None = None
    ) -> AsyncGenerator[ProtectionAlert, None]:
        from hub.graphql.live import LiveContext  # live imports the query, which imports this

        ctx = info.context
        if not isinstance(ctx, LiveContext) or ctx.principal is None:
            raise hub_error(
                "SUBSCRIPTION_TRANSPORT",
                "Langganan hanya lewat WebSocket graphql-transport-ws di /graphql",
                "Subscriptions run over graphql-transport-ws WebSockets at /graphql",
            )
        reasons: list[str] = []
        try:
            code = alert_mission(
                ctx.hub.cases.missions, ctx.principal, mission_code, reasons.append
            )
        except GraphQLError:
            if reasons:  # another mission's alerts: the attempt is recorded, as over HTTP
                await _record_refusal(ctx, ctx.principal, reasons[0])
            raise
        return _stream(ctx, ctx.principal, code)


async def _record_refusal(ctx: LiveContext, principal: Principal, reason: str) -> None:
    entry = AccessEntry(
        client_id=principal.client_id,
        subject=principal.subject,
        operation="protectionAlerts",
        request_id=secrets.token_hex(8),
        agency=principal.agency,
        purpose=principal.purpose.value if principal.purpose else None,
        categories=frozenset({"protection"}),
        outcome=Outcome.REFUSED,
        reason=reason,
    )
    try:
        await ctx.hub.offload(ctx.hub.audit.record, [entry])
    except AuditUnavailable:  # refused all the same
        log.error("audit trail unavailable: a refused subscription is not recorded")


async def _stream(
    ctx: LiveContext, principal: Principal, code: str | None
) -> AsyncGenerator[ProtectionAlert, None]:
    from hub.graphql.live import record_live_read  # live imports the query, which imports this

    async with ctx.hub.cases.alert_bus.subscribe() as alerts:
        async for alert in alerts:
            if code is not None and alert.mission_code != code:
                continue
            await record_live_read(
                ctx,
                principal,
                operation="protectionAlerts",
                request_id=alert.id,
                worker_id=alert.worker_id,
                category="protection",
            )
            yield ProtectionAlert.of(alert)


__all__ = ["AlertMutations", "AlertQueries", "AlertSubscription", "ProtectionAlert"]
