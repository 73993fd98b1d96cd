"""Cases in the API: openCase, updateCaseStatus, webhooks, and Subscription.caseEvents.

Mutations need ``case:write`` (webhooks ``case:read``: they receive what the client may
read) and a declared purpose; each commits with its audit entry (the worker it concerns). A
grave case (hub/cases/opening.py) also needs ``emergency``; a case is changed only by its
opener, officers of its mission or ``case:admin`` (hub/cases/owners.py); a refusal is
FORBIDDEN and recorded. Bad input gets a typed error and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.errors import Forbidden
from auth.scopes import Scope
from hub.audit import Outcome
from hub.audit.trail import AuditedChange
from hub.cases import Actor, CaseError, CaseEvent
from hub.cases.opening import is_grave
from hub.census.summary import ABROAD, current_placement
from hub.edge.idempotency import IdempotencyError
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.errors import hub_error
from hub.graphql.guard import refuse, require_purpose, require_scope
from hub.graphql.idempotent import arguments_of, idempotency, idempotency_error
from hub.graphql.live import LiveContext, record_live_read
from hub.graphql.query import check_worker_id
from hub.graphql.worker import load_worker
from hub.view.sections import hub_case
from schema.enums import Agency as ContractAgency
from schema.enums import CaseKind, Severity
from schema.graphql import types as t
from schema.records import MissionRecord, RecordKind

if TYPE_CHECKING:
    from auth.principal import Principal
    from hub.cases.webhooks import Webhook as WebhookView
    from hub.graphql.context import HubContext


def case_error(exc: CaseError) -> GraphQLError:
    extra = {"argument": exc.argument} if exc.argument else {}
    return hub_error(exc.code, exc.text_id, exc.text_en, **extra)


def actor(principal: Principal) -> Actor:
    return Actor(
        client_id=principal.client_id,
        subject=principal.subject,
        agency=principal.agency or None,
        purpose=principal.purpose.value if principal.purpose else None,
        mission=principal.mission,
        admin=principal.has(Scope.CASE_ADMIN),
    )


@strawberry.input
class OpenCaseInput:
    worker_id: strawberry.ID
    kind: t.CaseKind  # type: ignore[valid-type]
    severity: t.Severity  # type: ignore[valid-type]
    summary: str
    mission_code: str | None = None
    mission_reason: str | None = strawberry.field(
        default=None,
        description="Why the case goes to a mission outside the worker's placement or lapor "
        "diri countries (else MISSION_MISMATCH); kept as the note of the OPENED event.",
    )


@strawberry.type(name="CaseEvent")
class CaseEventNotice:
    case: t.Case
    event: str
    at: dt.datetime

    @classmethod
    def of(cls, event: CaseEvent) -> CaseEventNotice:
        return cls(case=hub_case(event.case), event=event.event, at=event.at)


@strawberry.type
class Webhook:
    id: strawberry.ID
    url: str
    mission_code: str | None
    created_at: dt.datetime


@strawberry.type
class WebhookRegistration:
    webhook: Webhook
    secret: str = strawberry.field(
        description="The signing secret (whsec_…): shown once, now; store it to verify."
    )


async def _canonical_worker(ctx: HubContext, raw: str) -> str:
    """The worker a case or consent operation names, or NOT_FOUND; a refusal is a recorded
    attempt (an unknown id or one the caller may not read: on that id; a malformed one: on no
    worker, the text typed not kept)."""
    try:
        wanted = check_worker_id(raw)
    except GraphQLError:
        ctx.audit_refused(None, "case", reason="BAD_USER_INPUT workerId")
        raise
    canonical = (await ctx.hub.offload(ctx.hub.crosswalk.canonical, [wanted])).get(wanted)
    if canonical is None or not ctx.principal.may_read_worker(canonical):
        ctx.audit_refused(wanted, "case", reason="NOT_FOUND worker")
        raise hub_error(
            "NOT_FOUND", "Pekerja tidak ditemukan", "No such worker", argument="workerId"
        )
    return canonical


async def _mission_and_agencies(
    ctx: HubContext, worker_id: str, code: str | None
) -> tuple[MissionRecord | None, list[str]]:
    """The mission named, else the one the worker last reported to (when the missions
    answer), else the one serving the place where the worker is placed abroad now (a worker who
    never reported still has a mission to turn to); and the agencies holding records of the
    worker."""
    mission = None
    if code is not None:
        try:
            mission = ctx.hub.cases.missions.resolve(code)
        except CaseError as exc:
            raise case_error(exc) from None
    worker = await load_worker(ctx, worker_id)
    if worker is None:
        return mission, []
    agencies = sorted({link.agency for link in worker.view.links} & set(ContractAgency))
    if mission is None:
        results = await worker.view.agencies(ctx.hub.agencies_with(RecordKind.CONSULAR_REPORT))
        reports = [r for res in results.values() for s in res.sets for r in s.reports]
        latest = max(reports, key=lambda r: r.reported_on, default=None)
        if latest is not None and latest.mission is not None:
            mission = ctx.hub.cases.missions.get(latest.mission.code) or latest.mission
    if mission is None:
        results = await worker.view.agencies(ctx.hub.agencies_with(RecordKind.PLACEMENT))
        placement = current_placement(
            p for res in results.values() for s in res.sets for p in s.placements
        )
        if placement is not None and placement.status in ABROAD:  # not before departure
            employer = placement.employer
            mission = ctx.hub.cases.missions.serving(
                placement.destination_country, employer.city if employer is not None else None
            )
    return mission, agencies


@strawberry.type
class CaseMutations:
    @strawberry.mutation(
        description="Open a case every involved agency sees at once (scope: case:write)."
    )
    async def open_case(self, info: Info, input: OpenCaseInput) -> t.Case:
        ctx: HubContext = info.context
        require_purpose(ctx)
        require_scope(ctx, Scope.CASE_WRITE)
        worker_id = await _canonical_worker(ctx, str(input.worker_id))
        kind, severity = CaseKind(input.kind.value), Severity(input.severity.value)
        if is_grave(kind, severity) and not ctx.principal.has(Scope.EMERGENCY):
            raise refuse(ctx, Forbidden(Scope.EMERGENCY), worker_id, "case")
        mission, agencies = await _mission_and_agencies(ctx, worker_id, input.mission_code)
        idem = idempotency(ctx, "openCase", {**arguments_of(input), "workerId": worker_id})

        def change(unit: AuditedChange, entry: Entry) -> CaseEvent | str:
            at = ctx.hub.cases.service.clock()
            if idem is not None and (prior := idem.prior(unit.session, at)) is not None:
                return prior  # a retry: the first attempt's case, nothing changed
            opened = ctx.hub.cases.service.open(
                actor(ctx.principal),
                worker_id,
                kind,
                severity,
                input.summary,
                mission,
                agencies,
                session=unit.session,
                mission_reason=input.mission_reason,
            )
            unit.record(entry(worker_id=worker_id, categories=frozenset({"case"})))
            if idem is not None:
                idem.keep(unit.session, opened.case.id, at)
            return opened

        try:
            event = await commit_audited(ctx, change)
        except CaseError as exc:
            raise case_error(exc) from None
        except IdempotencyError as exc:
            ctx.audit_refused(worker_id, "case", reason=exc.code)
            raise idempotency_error(exc) from None
        if isinstance(event, str):
            ctx.audit_returned(worker_id, "case")
            return hub_case(await ctx.hub.offload(ctx.hub.cases.service.get, event))  # type: ignore[arg-type]
        ctx.hub.cases.announce(event)
        stored = await ctx.hub.offload(ctx.hub.cases.service.get, event.case.id)
        return hub_case(stored or event.case)

    @strawberry.mutation(
        description="Move a hub case along OPEN -> IN_PROGRESS -> CLOSED (or reopen it); "
        "the note says why (scope: case:write)."
    )
    async def update_case_status(
        self,
        info: Info,
        id: strawberry.ID,
        status: t.CaseStatus,
        note: str,  # type: ignore[valid-type]
    ) -> t.Case:
        ctx: HubContext = info.context
        require_purpose(ctx)
        require_scope(ctx, Scope.CASE_WRITE)
        service = ctx.hub.cases.service
        current = await ctx.hub.offload(service.get, str(id)[:40])
        if current is None or not ctx.principal.may_read_worker(current.worker_id):
            raise hub_error("NOT_FOUND", "Kasus tidak ditemukan", "No such case", argument="id")

        def change(unit: AuditedChange, entry: Entry) -> CaseEvent:
            updated = service.update_status(
                actor(ctx.principal), current.id, status, note, session=unit.session
            )
            unit.record(entry(worker_id=current.worker_id, categories=frozenset({"case"})))
            return updated

        try:
            event = await commit_audited(ctx, change)
        except CaseError as exc:
            if exc.code == "FORBIDDEN":  # not the case's owner: the attempt is recorded
                why = f"FORBIDDEN not the case's owner {current.id}"
                ctx.audit_refused(current.worker_id, "case", reason=why)
            raise case_error(exc) from None
        ctx.hub.cases.announce(event)
        if status == t.CaseStatus.CLOSED:  # consents bound to the case end with it
            await ctx.hub.offload(ctx.hub.consents.close_case, current.id)
        return hub_case(await ctx.hub.offload(service.get, current.id))  # type: ignore[arg-type]

    @strawberry.mutation(
        description="Register an HTTPS endpoint for signed case events, for one mission or "
        "all (scope: case:read). The secret is in this answer only."
    )
    async def register_webhook(
        self, info: Info, url: str, mission_code: str | None = None
    ) -> WebhookRegistration:
        ctx: HubContext = info.context
        require_purpose(ctx)
        partner = ctx.principal.agency if ctx.principal.is_partner else None
        if partner is None:
            require_scope(ctx, Scope.CASE_READ)
        if ctx.principal.is_self:
            raise hub_error("FORBIDDEN", "Tidak diizinkan", "Not allowed")
        if partner is not None and mission_code is not None:
            raise hub_error(
                "BAD_USER_INPUT",
                "Webhook organisasi pendamping menerima kasus yang didampinginya saja",
                "A partner's webhook receives only the cases it accompanies",
                argument="missionCode",
            )
        webhooks = ctx.hub.cases.webhooks

        def change(unit: AuditedChange, entry: Entry) -> tuple[WebhookView, str]:
            made = webhooks.add(
                actor(ctx.principal),
                checked,
                mission_code,
                partner,
                session=unit.session,
                checked=True,
            )
            unit.record(entry(outcome=Outcome.CHANGE, reason=f"webhook added {made[0].id}"))
            return made

        try:
            checked = await ctx.hub.offload(webhooks.check_url, url)  # DNS outside the lock
            hook, secret = await commit_audited(ctx, change)
        except CaseError as exc:
            raise case_error(exc) from None
        return WebhookRegistration(
            webhook=Webhook(
                id=strawberry.ID(hook.id),
                url=hook.url,
                mission_code=hook.mission_code,
                created_at=hook.created_at,
            ),
            secret=secret,
        )

    @strawberry.mutation(description="Stop one of this client's webhooks (scope: case:read).")
    async def remove_webhook(self, info: Info, id: strawberry.ID) -> bool:
        ctx: HubContext = info.context
        require_purpose(ctx)
        if not ctx.principal.is_partner:
            require_scope(ctx, Scope.CASE_READ)
        webhook_id = str(id)[:40]

        def change(unit: AuditedChange, entry: Entry) -> bool:
            gone = ctx.hub.cases.webhooks.remove(
                webhook_id, ctx.principal.client_id, session=unit.session
            )
            if gone:
                unit.record(entry(outcome=Outcome.CHANGE, reason=f"webhook removed {webhook_id}"))
            return gone

        removed = await commit_audited(ctx, change)
        if not removed:
            raise hub_error(
                "NOT_FOUND", "Webhook tidak ditemukan", "No such webhook", argument="id"
            )
        return True


@strawberry.type(name="Subscription")
class CaseSubscription:
    @strawberry.subscription(
        description="New and changed hub cases as they happen, for one mission or all "
        "(scope: case:read; over graphql-transport-ws, token in connection_init)."
    )
    async def case_events(
        self, info: Info, mission_code: str | None = None
    ) -> AsyncGenerator[CaseEventNotice, None]:
        ctx = info.context
        if not isinstance(ctx, LiveContext) or ctx.principal is None:
            raise hub_error(
                "SUBSCRIPTION_TRANSPORT",
                "Langganan hanya lewat WebSocket graphql-transport-ws di /graphql",
                "Subscriptions run over graphql-transport-ws WebSockets at /graphql",
            )
        principal = ctx.principal
        code = None
        if mission_code is not None:
            try:
                code = ctx.hub.cases.missions.resolve(mission_code).code
            except CaseError as exc:
                raise case_error(exc) from None
        return _stream(ctx, principal, code)


async def _stream(
    ctx: LiveContext, principal: Principal, code: str | None
) -> AsyncGenerator[CaseEventNotice, None]:
    async with ctx.hub.cases.bus.subscribe() as events:
        async for event in events:
            if code is not None and event.mission_code != code:
                continue
            if not principal.may_read_worker(event.case.worker_id):
                continue
            await record_live_read(
                ctx,
                principal,
                operation="caseEvents",
                request_id=event.id,
                worker_id=event.case.worker_id,
                category="case",
            )
            yield CaseEventNotice.of(event)


__all__ = [
    "CaseEventNotice",
    "CaseMutations",
    "CaseSubscription",
    "OpenCaseInput",
    "WebhookRegistration",
]
