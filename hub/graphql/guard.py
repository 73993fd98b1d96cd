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


def why(error: AuthError) -> str:
    """What the audit trail records as the reason of a refusal: the code and its detail."""
    detail = next(
        (v for v in (getattr(error, n, None) for n in ("scope", "argument", "reason")) if v),
        None,
    )
    return f"{error.code} {detail}" if detail else error.code


def refuse(
    ctx: HubContext, error: AuthError, worker_id: str | None = None, *categories: str
) -> GraphQLError:
    """Record the refused attempt, with why, and the typed error to raise."""
    ctx.audit_refused(worker_id, *categories, reason=why(error))
    return auth_error(error)


def require_purpose(ctx: HubContext) -> None:
    """Every query for personal data declares its purpose, checked before any data is read."""
    try:
        ctx.principal.require_purpose()
    except AuthError as exc:
        raise refuse(ctx, exc) from None


def require_scope(ctx: HubContext, scope: str) -> None:
    if not ctx.principal.has(scope):
        raise refuse(ctx, Forbidden(scope)) from None
