"""Access decisions in the GraphQL layer: purpose, scopes per section, self, break-glass.

Decided once per request and worker (``auth.access.Access``), never per leaf; a refused
section resolves to null with an error whose ``extensions.code`` is FORBIDDEN and names the
missing scope, and the rest of the answer stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError

from auth.errors import AuthError, Forbidden

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


# The audit category of each Worker section (hub/audit/categories.py's vocabulary).
SECTION_CATEGORIES = {
    "identity": "identity",
    "nextOfKin": "contact",
    "placements": "placement",
    "socialSecurity": "social_security",
    "consular": "consular",
    "cases": "case",
    "protection": "protection",
}


def auth_error(error: AuthError, path: list[str | int] | None = None) -> GraphQLError:
    graphql_error = GraphQLError(error.message, extensions=error.extensions())
    if path is not None:
        graphql_error.path = path
    return graphql_error


def require_purpose(ctx: HubContext) -> None:
    """Every query for personal data declares its purpose, checked before any data is read."""
    try:
        ctx.principal.require_purpose()
    except AuthError as exc:
        ctx.audit_refused(None)
        raise auth_error(exc) from None


def require_scope(ctx: HubContext, scope: str) -> None:
    if not ctx.principal.has(scope):
        raise auth_error(Forbidden(scope)) from None


async def check_section(ctx: HubContext, worker_id: str, section: str) -> None:
    access = await ctx.access(worker_id)
    if not access.section(section):
        from auth.access import SECTION_SCOPES

        ctx.audit_refused(worker_id, SECTION_CATEGORIES[section])
        raise auth_error(Forbidden(SECTION_SCOPES[section]))
