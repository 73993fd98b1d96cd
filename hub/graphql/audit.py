"""The audit entries of one GraphQL request, from what its resolvers returned and refused.

The resolvers report each worker section they hand out (``HubContext.audit_returned``), so an
alias or a fragment cannot hide a read from the trail. A mutation writes its change and its
audit entries in one transaction (``commit_audited``): if the trail cannot be written, the
change is not made either, and a retry does not find a half-done first attempt.

A cohort (``Query.cohort``) is one bulk access: its workers' reads in the request are folded
into one entry with no worker id, whose operation names the filter and the count, and whose
categories are everything the request returned of them. The workers it listed are kept as
keyed digests (hub/audit/members.py), so each one's access log still shows the cohort. Reads
of workers the cohort did not list stay entries of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from hub.audit import AccessEntry, AuditUnavailable, Outcome
from hub.audit.members import member_key
from hub.audit.trail import AuditedChange
from hub.graphql.context import HubContext
from hub.graphql.errors import hub_error
from hub.observability import request_id

log = logging.getLogger("pmihub.audit")
T = TypeVar("T")
Entry = Callable[..., AccessEntry]  # an AccessEntry with this request's who, why and when


def _common(ctx: HubContext) -> dict[str, Any]:
    principal = ctx.principal
    return {
        "client_id": principal.client_id,
        "subject": principal.subject,
        "operation": ctx.operation[:200],
        "request_id": request_id.get() or "-",
        "agency": principal.agency,
        "purpose": principal.purpose.value if principal.purpose else None,
    }


def audit_entries(ctx: HubContext) -> list[AccessEntry]:
    common = _common(ctx)
    listed = ctx.bulk[1] if ctx.bulk is not None else frozenset()
    entries = [
        AccessEntry(
            **common,
            worker_id=worker_id,
            categories=frozenset(categories),
            grant_id=ctx.grants_used.get(worker_id),
        )
        for worker_id, categories in sorted(ctx.returned.items())
        if worker_id not in listed or worker_id in ctx.grants_used
    ]
    if ctx.bulk is not None:
        read = {"protection", "consular"}  # the cohort's own level, last contact and mark
        folded = listed - set(ctx.grants_used)
        for worker_id in folded:
            read |= ctx.returned.get(worker_id, set())
        bulk = {**common, "operation": f"{ctx.operation} {ctx.bulk[0]}"[:120]}
        pseudo = ctx.hub.pseudonymizer
        members = frozenset(member_key(pseudo, worker_id) for worker_id in folded)
        entries.insert(0, AccessEntry(**bulk, categories=frozenset(read), members=members))
    entries += [
        AccessEntry(
            **common,
            worker_id=worker_id,
            grant_id=grant_id,
            outcome=Outcome.BREAK_GLASS,
        )
        for worker_id, grant_id in sorted(ctx.opened_grants.items())
    ]
    entries += [
        AccessEntry(
            **common,
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


async def commit_audited(ctx: HubContext, change: Callable[[AuditedChange, Entry], T]) -> T:
    """Run ``change`` (in a worker thread) in one transaction with the audit entries: the
    request's entries so far and those ``change`` records (``unit.record(entry(...))``).
    Both commit or neither: AUDIT_UNAVAILABLE leaves no change behind. An error ``change``
    raises rolls it back and reaches the caller; the request's entries then stay pending."""
    pending = audit_entries(ctx)
    entry = partial(AccessEntry, **_common(ctx))

    def run() -> T:
        with ctx.hub.audit.unit() as unit:
            unit.record(*pending)
            return change(unit, entry)

    try:
        result = await ctx.hub.offload(run)
    except AuditUnavailable as exc:
        log.error("audit trail unavailable: the change is not made (%s)", exc.detail)
        raise hub_error(exc.code, exc.message_id, exc.message_en) from None
    ctx.returned.clear()  # written with the change
    ctx.refused.clear()
    ctx.opened_grants.clear()
    return result


__all__ = ["Entry", "audit_entries", "commit_audited"]
