"""Mutations: break-glass access (cases come with the emergency console issue)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info

from auth.breakglass import BreakGlass
from auth.errors import AuthError, BreakGlassRefused
from hub.audit import Outcome
from hub.audit.trail import AuditedChange
from hub.audit.witness_graphql import WitnessMutations
from hub.graphql.alerts import AlertMutations
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.cases import CaseMutations
from hub.graphql.consents import ConsentMutations
from hub.graphql.errors import hub_error
from hub.graphql.guard import refuse, require_purpose
from hub.graphql.identity_review import IdentityReviewMutations
from hub.graphql.marks import ContactMarkMutations
from hub.graphql.query import check_worker_id
from hub.observability import default_metrics

log = logging.getLogger("pmihub.breakglass")

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


@strawberry.type
class BreakGlassGrant:
    id: strawberry.ID
    worker_id: strawberry.ID
    expires_at: dt.datetime
    reason: str


@strawberry.type
class Mutation(
    CaseMutations,
    IdentityReviewMutations,
    WitnessMutations,
    ConsentMutations,
    AlertMutations,
    ContactMarkMutations,
):
    @strawberry.mutation(
        description="Lift field scopes for one worker for a limited time (scope: emergency; "
        "an officer signed in, under purpose EMERGENCY; the grant works only under "
        "EMERGENCY). The reason must be words, not filler; a few an hour per officer; every "
        "grant is recorded for review."
    )
    async def break_glass(
        self, info: Info, worker_id: strawberry.ID, reason: str
    ) -> BreakGlassGrant:
        ctx: HubContext = info.context
        require_purpose(ctx)
        wanted = check_worker_id(str(worker_id))
        canonical = (await ctx.hub.offload(ctx.hub.crosswalk.canonical, [wanted])).get(wanted)
        if canonical is None:
            raise hub_error(
                "NOT_FOUND", "Pekerja tidak ditemukan", "No such worker", argument="workerId"
            )

        def change(unit: AuditedChange, entry: Entry) -> BreakGlass:
            opened = ctx.hub.breakglass.open(ctx.principal, canonical, reason, unit.session)
            unit.record(entry(worker_id=canonical, grant_id=opened.id, outcome=Outcome.BREAK_GLASS))
            return opened

        try:
            grant = await commit_audited(ctx, change)
        except AuthError as exc:  # a break-glass request that was refused: recorded, and
            if isinstance(exc, BreakGlassRefused):  # a limit or a machine client: an alert
                default_metrics().break_glass_alerts.labels(exc.reason).inc()
                log.warning(
                    "break-glass refused (%s) for client %s: review the audit trail",
                    exc.reason,
                    ctx.principal.client_id,
                )
            raise refuse(ctx, exc, canonical) from None
        return BreakGlassGrant(
            id=strawberry.ID(grant.id),
            worker_id=strawberry.ID(grant.worker_id),
            expires_at=grant.expires_at,
            reason=grant.reason,
        )
