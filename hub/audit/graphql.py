"""``Query.accessLog``: who read a worker's data, when and why, for ``audit:read`` or for the
worker's own ``self`` token, with the cohorts (bulk entries) that listed the worker
(hub/audit/members.py). Agencies are shown by name, never by internal client id."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.errors import Forbidden
from auth.principal import Principal
from auth.scopes import Scope
from hub.audit.entry import AuditUnavailable, Outcome
from hub.audit.members import member_key
from hub.audit.pages import AccessLogPage, AccessRecord, BadPage
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.guard import auth_error
from hub.protection.labels import AGENCIES
from hub.protection.text import Text

if TYPE_CHECKING:
    from hub.audit.trail import AuditTrail

HUB_TEXT = Text("PMI Hub (konsol)", "PMI Hub (console)")


def agency_text(code: str | None) -> Text:
    """The agency's name in Indonesian and English; an unlisted code is shown as it is."""
    if code is None:
        return HUB_TEXT
    for agency, text in AGENCIES.items():
        if agency.value == code:
            return text
    return Text(code, code)


@strawberry.type(description="One reading of the worker's personal data.")
class AccessLogEntry:
    at: datetime
    agency_id: str = strawberry.field(description="Agency name in Indonesian.")
    agency_en: str = strawberry.field(description="Agency name in English.")
    purpose: str | None
    operation: str
    categories: list[str]
    break_glass: bool
    consent_id: str | None = strawberry.field(
        default=None, description="The worker's consent a partner organisation read under."
    )

    @classmethod
    def of(cls, record: AccessRecord, partners: dict[str, str] | None = None) -> AccessLogEntry:
        partner = (partners or {}).get(record.agency or "")
        name = Text(partner, partner) if partner else agency_text(record.agency)
        consent = record.grant_id if is_consent(record.grant_id) else None
        grant = None if consent else record.grant_id
        return cls(
            at=record.at,
            agency_id=name.id,
            agency_en=name.en,
            purpose=record.purpose,
            operation=record.operation,
            categories=record.categories,
            break_glass=record.outcome == Outcome.BREAK_GLASS.value or grant is not None,
            consent_id=consent,
        )


def is_consent(grant_id: str | None) -> bool:
    """Whether an entry's grant is a worker's consent (hub.partners) rather than a
    break-glass grant: a partner's reads carry the consent they were made under."""
    return grant_id is not None and grant_id.startswith("cns_")


@strawberry.type
class AccessLogPageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="A page of the access log, newest first.")
class AccessLogConnection:
    entries: list[AccessLogEntry]
    page_info: AccessLogPageInfo

    @classmethod
    def of(cls, page: AccessLogPage, partners: dict[str, str] | None = None) -> AccessLogConnection:
        return cls(
            entries=[AccessLogEntry.of(r, partners) for r in page.entries],
            page_info=AccessLogPageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )


def may_read_log(principal: Principal, worker_id: str) -> bool:
    """``audit:read`` reads any worker's log; a ``self`` token only its own."""
    if principal.is_self:
        return principal.worker_id == worker_id
    return principal.has(Scope.AUDIT_READ)


async def access_log(
    info: Info, worker_id: strawberry.ID, first: int = 20, after: str | None = None
) -> AccessLogConnection:
    """Resolver for ``accessLog(workerId, first, after)``; the trail is ``context.hub.audit``."""
    ctx: Any = info.context
    worker_id = strawberry.ID(str(worker_id))
    found = await ctx.workers.load(worker_id) if hasattr(ctx, "workers") else None
    if found is not None:  # a merged id answers as its canonical worker (review M4)
        worker_id = strawberry.ID(found[0])
    if not may_read_log(ctx.principal, worker_id):
        error = Forbidden(Scope.AUDIT_READ)
        refused = getattr(ctx, "audit_refused", None)
        if refused is not None:
            refused(worker_id, "access_log", reason=f"{error.code} {error.scope}")
        raise auth_error(error)
    trail: AuditTrail | None = getattr(ctx.hub, "audit", None)
    if trail is None:
        raise _unavailable()
    pseudo = getattr(ctx.hub, "pseudonymizer", None)  # the cohorts that listed the worker too
    member = member_key(pseudo, str(worker_id)) if pseudo is not None else None
    try:
        page = await ctx.hub.offload(trail.access_log, worker_id, first, after, member)
    except BadPage as exc:
        raise bad_input(exc.message_id, exc.message_en, "after" if after else "first") from None
    except Exception as exc:  # the database: never a stack trace to the client
        raise _unavailable() from exc
    returned = getattr(ctx, "audit_returned", None)
    if returned is not None:  # reading who looked is itself recorded
        returned(str(worker_id), "access_log")
    registry = getattr(ctx.hub, "partners", None)
    partners = {}
    if registry is not None and any(is_consent(r.grant_id) for r in page.entries):
        partners = {o.code: o.name for o in await ctx.hub.offload(registry.list)}
    return AccessLogConnection.of(page, partners)


def _unavailable() -> GraphQLError:
    error = AuditUnavailable()
    return hub_error(error.code, error.message_id, error.message_en)


__all__ = [
    "AccessLogConnection",
    "AccessLogEntry",
    "AccessLogPageInfo",
    "access_log",
    "agency_text",
    "may_read_log",
]
