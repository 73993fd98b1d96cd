"""Mutation.markReached: a crisis roll call's "reached" or "not reached" (its type,
``ContactMark``, is in hub/graphql/cohort.py: each cohort edge shows the latest).

Who: ``cohort:read`` and ``case:write`` under the purpose EMERGENCY or CASE_HANDLING
(hub/graphql/policy.py), as for the cohort the officer is calling down. Whom: a worker the
census holds; an officer whose token names a mission, that mission's workers only. Anything
else is NOT_FOUND, recorded as a refused attempt on the worker (an id the hub does not know:
on that id; a malformed one, BAD_USER_INPUT: on no worker, the text typed not kept). What:
hub/census/marks.py (no free text, no case). The mark commits with its audit entry (category
consular: a contact with the mission) or not at all, so the worker's own access log shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from hub.audit.trail import AuditedChange
from hub.census.marks import ContactMark as Mark
from hub.census.marks import Marker, NotMarkable, mark_of, record_mark
from hub.edge.idempotency import IdempotencyError
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.cohort import ContactMark
from hub.graphql.errors import hub_error
from hub.graphql.idempotent import idempotency, idempotency_error
from hub.graphql.mission_scope import own_mission
from hub.graphql.query import check_worker_id
from schema.clock import now

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

CATEGORY = "consular"  # whether the mission reached the worker: consular contact


def _not_found() -> Exception:
    return hub_error(
        "NOT_FOUND",
        "Pekerja tidak ada dalam kohort krisis Anda",
        "No such worker in your crisis cohorts",
        argument="workerId",
    )


@strawberry.type
class ContactMarkMutations:
    @strawberry.mutation(
        description="Mark a worker of a crisis cohort reached (or not) by the mission "
        "(scopes: cohort:read and case:write; purpose EMERGENCY or CASE_HANDLING). Not a "
        "case: it opens none and sends no case event; the cohort shows the latest mark."
    )
    async def mark_reached(
        self, info: Info, worker_id: strawberry.ID, reached: bool = True
    ) -> ContactMark:
        ctx: HubContext = info.context
        try:
            wanted = check_worker_id(str(worker_id))
        except GraphQLError:  # the attempt is recorded, not what was typed
            ctx.audit_refused(None, CATEGORY, reason="BAD_USER_INPUT workerId")
            raise
        canonical = (await ctx.hub.offload(ctx.hub.crosswalk.canonical, [wanted])).get(wanted)
        if canonical is None:
            ctx.audit_refused(wanted, CATEGORY, reason="NOT_FOUND worker")
            raise _not_found()
        principal = ctx.principal
        by = Marker(
            subject=principal.subject,
            client_id=principal.client_id,
            purpose=principal.purpose.value if principal.purpose else "",
            mission=own_mission(principal),
        )

        idem = idempotency(ctx, "markReached", {"workerId": canonical, "reached": reached})

        def change(unit: AuditedChange, entry: Entry) -> Mark | str:
            at = now()
            if idem is not None and (prior := idem.prior(unit.session, at)) is not None:
                return prior  # a retry: the mark the first attempt made
            made = record_mark(unit.session.connection(), canonical, reached, by, at)
            unit.record(entry(worker_id=canonical, categories=frozenset({CATEGORY})))
            if idem is not None:
                idem.keep(unit.session, str(made.id), at)
            return made

        try:
            mark = await commit_audited(ctx, change)
        except NotMarkable as exc:
            ctx.audit_refused(canonical, CATEGORY, reason=f"NOT_FOUND {exc.why}")
            raise _not_found() from None
        except IdempotencyError as exc:
            ctx.audit_refused(canonical, CATEGORY, reason=exc.code)
            raise idempotency_error(exc) from None
        if isinstance(mark, str):
            ctx.audit_returned(canonical, CATEGORY)
            found = await ctx.hub.offload(mark_of, ctx.hub.engine, int(mark))
            assert found is not None  # marks are appended, never deleted
            mark = found
        return ContactMark.of(mark)


__all__ = ["ContactMarkMutations"]
