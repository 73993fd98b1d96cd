"""Assemble the Strawberry schema: a federation v2 subgraph with cached documents."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from hub.graphql.alerts import AlertSubscription
from hub.graphql.cases import CaseSubscription
from hub.graphql.enforce import enforce
from hub.graphql.limits import DocumentLimits, QueryCost, limit_rules
from hub.graphql.live import SubscriptionsOverWebSocket
from hub.graphql.mutation import Mutation
from hub.graphql.plain import PlainDataExecutor
from hub.graphql.query import Query
from hub.graphql.worker import Worker

log = logging.getLogger("pmihub.graphql")


@strawberry.type(name="Subscription")
class Subscription(CaseSubscription, AlertSubscription):
    """Case events and protection alerts, over graphql-transport-ws."""


class PartialResults(SchemaExtension):
    """Adds the source failures that left a field answered with partial data to ``errors``,
    and names the operation for the audit trail."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "operation"):  # named for the audit trail
            context.operation = self.execution_context.operation_name or "anonymous"
        yield
        result = self.execution_context.result
        soft = getattr(context, "soft_errors", None)
        if soft and result is not None:
            result.errors = [*(result.errors or []), *soft]


class HubSchema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs each error with its traceback and message, which may
        # carry request values; log only what locates the fault.
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                log.error(
                    "resolver failed: %s at %s",
                    type(original).__name__,
                    error.path,
                    exc_info=(type(original), original, original.__traceback__),
                )


def build_schema(
    *,
    dev: bool = False,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 4000,
    max_cost: int = 10_000,
    max_batch_ids: int = 1000,
) -> HubSchema:
    """The hub's schema. Outside dev, introspection and "did you mean" suggestions are off."""
    # The limiters' rule classes are made once: made per request (as factories would), each
    # request would bring new classes, and the validation cache, keyed by the rules, would miss
    # every time (measured: half of the hub's CPU went to validating the same document again).
    rules = limit_rules(max_depth=max_depth, max_aliases=max_aliases, dev=dev)
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: DocumentLimits(introspection=dev),  # parses (cached), checks the shape
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=1024),
        PartialResults,  # before QueryCost: a cost refusal is audited under its operation
        lambda: QueryCost(max_cost, max_batch_ids),
        SubscriptionsOverWebSocket,
    ]
    schema = HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Worker],
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not dev),
        execution_context_class=PlainDataExecutor,  # plain data in one pass (plain.py)
    )
    enforce(schema._schema, dev=dev)  # the access policy, declared in hub/graphql/policy.py
    return schema
