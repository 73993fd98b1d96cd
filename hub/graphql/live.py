"""GraphQL over WebSocket (graphql-transport-ws): who is connected, and only subscriptions.

A browser cannot set headers on a WebSocket, so the token and purpose travel in the
``connection_init`` payload: ``{"authorization": "Bearer <token>", "purpose": "EMERGENCY"}``
(the upgrade request's own Authorization and X-Purpose headers are used when the payload
has none). The connection is refused with close code 4401 when the token is missing or
invalid and 4403 without ``case:read`` or a valid purpose, before any subscription starts.
Queries and mutations go over HTTP, where the audit trail and rate limit apply: over the
socket they are answered with an ``error`` message (SUBSCRIPTIONS_ONLY). Connections and
subscriptions are rate-limited and capped per (client, subject) (hub/graphql/live_limits.py):
close code 4429 at connection_init, a typed ``error`` message at subscribe.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, OperationType, parse
from graphql.error import GraphQLSyntaxError
from starlette.datastructures import Headers
from strawberry.extensions import SchemaExtension
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from auth.errors import AuthError, InvalidToken, MissingToken
from auth.principal import Principal
from auth.starlette import bearer_token
from auth.verify import Verifier, principal_from_claims
from hub.audit import AccessEntry, AuditUnavailable, Outcome
from hub.graphql.errors import hub_error
from hub.graphql.guard import why
from hub.graphql.limits import checked_document
from hub.graphql.live_limits import CLOSE_TOO_MANY, CONNECTIONS, SUBSCRIPTIONS, LiveLimits
from hub.graphql.policy import POLICY
from hub.service import Hub

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
log = logging.getLogger("pmihub.live")
MAX_TOKENS = 4000  # as build_schema's default, over HTTP


@dataclass
class LiveContext:
    """The context of one WebSocket connection; ``principal`` is set at connection_init."""

    hub: Hub
    verifier: Verifier
    request: Any = None
    principal: Principal | None = None
    connection_params: dict[str, Any] = field(default_factory=dict)


class Refused(Exception):
    def __init__(self, close_code: int, reason: str) -> None:
        super().__init__(reason)
        self.close_code, self.reason = close_code, reason


async def authenticate_live(ctx: LiveContext, payload: object) -> Principal:
    """The principal of a connection_init payload; ``Refused`` with the close code."""
    params = payload if isinstance(payload, dict) else {}
    upgrade = Headers(scope=ctx.request.scope) if ctx.request is not None else Headers()
    raw_token = params.get("authorization") or params.get("Authorization")
    raw_token = raw_token or upgrade.get("authorization")
    raw_purpose = params.get("purpose") or params.get("X-Purpose") or upgrade.get("x-purpose")
    try:
        if not isinstance(raw_token, str):
            raise MissingToken()
        token = bearer_token(Headers({"authorization": raw_token}))
        claims = await ctx.verifier.verify(token)
    except AuthError as exc:
        code = "invalid_token" if isinstance(exc, InvalidToken) else "missing_token"
        raise Refused(
            CLOSE_UNAUTHENTICATED, f"{code}: Token tidak sah atau tidak ada / Invalid or no token"
        ) from None
    try:
        purpose = raw_purpose if isinstance(raw_purpose, str) else None
        principal = principal_from_claims(claims, purpose)
        for scope in POLICY["Subscription.caseEvents"].scopes:  # the declared policy
            principal.require(scope)
        principal.require_purpose()
    except AuthError as exc:
        code = exc.extensions().get("code", "FORBIDDEN")
        await _record_refusal(ctx, claims, exc)
        raise Refused(
            CLOSE_FORBIDDEN, f"{code}: perlu case:read dan tujuan / needs case:read and a purpose"
        ) from None
    return principal


async def _record_refusal(ctx: LiveContext, claims: dict[str, Any], error: AuthError) -> None:
    """A verified caller refused the subscription (scope or purpose): recorded with why. The
    connection is refused whether or not the trail can be written."""
    agency = claims.get("agency")
    entry = AccessEntry(
        client_id=str(claims["client_id"]),
        subject=str(claims["sub"]),
        operation="caseEvents",
        request_id=secrets.token_hex(8),
        agency=agency if isinstance(agency, str) else None,
        categories=frozenset({"case"}),
        outcome=Outcome.REFUSED,
        reason=why(error),
    )
    try:
        await ctx.hub.offload(ctx.hub.audit.record, [entry])
    except AuditUnavailable:
        log.error("audit trail unavailable: a refused subscription is not recorded")


class HubTransportWSHandler(BaseGraphQLTransportWSHandler):
    """Strawberry's graphql-transport-ws handler, authenticating at connection_init and
    admitting connections and subscriptions under the live limits (the view's ``live_limits``)."""

    _holds_connection = False

    @property
    def limits(self) -> LiveLimits | None:
        return getattr(self.view, "live_limits", None)

    async def handle_connection_init(self, message: Any) -> None:
        context = self.context
        if (
            isinstance(context, LiveContext)
            and not self.connection_init_received
            and not self.connection_timed_out
        ):
            try:
                principal = await authenticate_live(context, message.get("payload"))
                if self.limits is not None:
                    refusal = await self.limits.admit(CONNECTIONS, principal)
                    if refusal is not None:
                        raise Refused(CLOSE_TOO_MANY, refusal.close_reason())
                    self._holds_connection = True
                context.principal = principal
            except Refused as exc:
                self.connection_init_received = True
                if self.connection_init_timeout_task:
                    self.connection_init_timeout_task.cancel()
                await self.websocket.close(code=exc.close_code, reason=exc.reason[:123])
                return
        await super().handle_connection_init(message)

    async def shutdown(self) -> None:
        await super().shutdown()
        principal = getattr(self.context, "principal", None)
        if self._holds_connection and self.limits is not None and principal is not None:
            self._holds_connection = False
            self.limits.release(CONNECTIONS, principal)

    async def handle_subscribe(self, message: Any) -> None:
        refused = _refusal(message) if self.connection_acknowledged else None
        if refused is not None:  # the same document limits as over HTTP, answered typed
            await self.send_message(
                {"id": message.get("id"), "type": "error", "payload": [refused.formatted]}
            )
            return
        if self.connection_acknowledged and not _is_subscription(message):
            error = GraphQLError(
                "Hanya langganan lewat WebSocket; kueri dan mutasi lewat HTTP POST / "
                "Only subscriptions over WebSocket; queries and mutations over HTTP POST",
                extensions={"code": "SUBSCRIPTIONS_ONLY"},
            )
            await self.send_message(
                {"id": message.get("id"), "type": "error", "payload": [error.formatted]}
            )
            return
        await self._admitted_subscribe(message)

    async def _admitted_subscribe(self, message: Any) -> None:
        """A subscription takes a token and a slot; the slot is given back when it ends."""
        limits, principal = self.limits, getattr(self.context, "principal", None)
        if (
            limits is None
            or principal is None
            or not self.connection_acknowledged
            or message.get("id") in self.operations  # strawberry closes the socket (4409)
        ):
            await super().handle_subscribe(message)
            return
        refusal = await limits.admit(SUBSCRIPTIONS, principal)
        if refusal is not None:
            await self.send_message(
                {"id": message.get("id"), "type": "error", "payload": [refusal.error()]}
            )
            return
        await super().handle_subscribe(message)
        operation = self.operations.get(message.get("id"))
        if operation is None or operation.task is None:
            limits.release(SUBSCRIPTIONS, principal)
            return
        operation.task.add_done_callback(lambda _: limits.release(SUBSCRIPTIONS, principal))


def _refusal(message: Any) -> GraphQLError | None:
    try:
        query = message["payload"]["query"]
    except (KeyError, TypeError):
        return None
    if not isinstance(query, str):
        return None
    try:
        checked_document(query, introspection=False, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        if not (error.extensions or {}).get("code"):  # the parser's own syntax error
            error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
        return error
    return None


def _is_subscription(message: Any) -> bool:
    """Whether the operation to run is a subscription (a document that does not parse is
    left to strawberry, which answers it with its own error)."""
    try:
        payload = message["payload"]
        document = parse(payload["query"])
    except (KeyError, TypeError, GraphQLSyntaxError):
        return True
    name = payload.get("operationName")
    for definition in document.definitions:
        operation = getattr(definition, "operation", None)
        if operation is None:
            continue
        if name is None or getattr(definition.name, "value", None) == name:  # type: ignore[attr-defined]
            return bool(operation == OperationType.SUBSCRIPTION)
    return True


class SubscriptionsOverWebSocket(SchemaExtension):
    """A subscription sent over HTTP gets a typed error instead of a null it cannot have."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.operation_type is StrawberryOperationType.SUBSCRIPTION and not isinstance(
            context.context, LiveContext
        ):
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "Langganan hanya lewat WebSocket graphql-transport-ws di /graphql / "
                        "Subscriptions run over graphql-transport-ws WebSockets at /graphql",
                        extensions={"code": "SUBSCRIPTION_TRANSPORT"},
                    )
                ],
            )
        yield


async def record_live_read(
    ctx: LiveContext,
    principal: Principal,
    *,
    operation: str,
    request_id: str,
    worker_id: str,
    category: str,
) -> None:
    """Hand one event of a subscription to its subscriber: refused once the token has
    expired (UNAUTHENTICATED: reconnect), and recorded first as a read of that worker's
    ``category`` through the offload seam (AUDIT_UNAVAILABLE: nothing is handed over)."""
    if principal.expires_at <= time.time():
        raise hub_error(
            "UNAUTHENTICATED",
            "Token kedaluwarsa; sambung ulang dengan token baru",
            "The token expired; reconnect with a new one",
        )
    entry = AccessEntry(
        client_id=principal.client_id,
        subject=principal.subject,
        operation=operation,
        request_id=request_id,
        worker_id=worker_id,
        agency=principal.agency,
        purpose=principal.purpose.value if principal.purpose else None,
        categories=frozenset({category}),
    )
    try:
        await ctx.hub.offload(ctx.hub.audit.record, [entry])
    except AuditUnavailable as exc:
        raise hub_error(exc.code, exc.message_id, exc.message_en) from None


__all__ = [
    "CLOSE_FORBIDDEN",
    "CLOSE_UNAUTHENTICATED",
    "HubTransportWSHandler",
    "LiveContext",
    "SubscriptionsOverWebSocket",
    "record_live_read",
]
