"""Access decisions in the GraphQL layer: purpose and scope errors.

The access policy itself is hub/graphql/policy.py, enforced by hub/graphql/enforce.py; a refused
section resolves to null with an error whose ``extensions.code`` is FORBIDDEN and names the
missing scope, and the rest of the answer stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLError

from auth.errors import AuthError, Forbidden

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


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
