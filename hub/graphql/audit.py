"""The audit entries of one GraphQL request, from what its resolvers returned and refused.

The resolvers report each worker section they hand out (``HubContext.audit_returned``), so an
alias or a fragment cannot hide a read from the trail.
"""

from __future__ import annotations

from hub.audit import AccessEntry, Outcome
from hub.graphql.context import HubContext
from hub.observability import request_id


def audit_entries(ctx: HubContext) -> list[AccessEntry]:
    principal = ctx.principal
    common = {
        "client_id": principal.client_id,
        "subject": principal.subject,
        "operation": ctx.operation[:200],
        "request_id": request_id.get() or "-",
        "agency": principal.agency,
        "purpose": principal.purpose.value if principal.purpose else None,
    }
    entries = [
        AccessEntry(
            **common,  # type: ignore[arg-type]
            worker_id=worker_id,
            categories=frozenset(categories),
            grant_id=ctx.grants_used.get(worker_id),
        )
        for worker_id, categories in sorted(ctx.returned.items())
    ]
    entries += [
        AccessEntry(
            **common,  # type: ignore[arg-type]
            worker_id=worker_id,
            grant_id=grant_id,
            outcome=Outcome.BREAK_GLASS,
        )
        for worker_id, grant_id in sorted(ctx.opened_grants.items())
    ]
    entries += [
        AccessEntry(
            **common,  # type: ignore[arg-type]
            worker_id=worker_id,
            categories=frozenset(categories),
            outcome=Outcome.REFUSED,
            reason=reason,
        )
        for (worker_id, reason), categories in sorted(
            ctx.refused.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")
        )
    ]
    return entries
