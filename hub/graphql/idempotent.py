"""The ``Idempotency-Key`` header in the mutations that honour it (openCase, referCase,
grantConsent): read and digested here, checked and kept in the mutation's own transaction
(hub/edge/idempotency.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import GraphQLError

from hub.edge.idempotency import HEADER, Idempotency, IdempotencyError
from hub.graphql.errors import hub_error

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


def idempotency(ctx: HubContext, operation: str, arguments: dict[str, Any]) -> Idempotency | None:
    """The request's key for this mutation, or None without the header; BAD_USER_INPUT for a
    malformed one."""
    headers = getattr(ctx.request, "headers", None)
    raw = headers.get(HEADER) if headers is not None else None
    if raw is None:
        return None
    principal = ctx.principal
    try:
        return Idempotency.of(
            ctx.hub.settings.pseudonym_key,
            raw,
            (principal.client_id, principal.subject),
            operation,
            arguments,
        )
    except IdempotencyError as exc:
        raise idempotency_error(exc) from None


def idempotency_error(exc: IdempotencyError) -> GraphQLError:
    return hub_error(exc.code, exc.text_id, exc.text_en, header=HEADER)


def arguments_of(value: Any) -> dict[str, Any]:
    """An input object's fields, for the request digest."""
    return {k: v.value if hasattr(v, "value") else v for k, v in vars(value).items()}


__all__ = ["arguments_of", "idempotency", "idempotency_error"]
