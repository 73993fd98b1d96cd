"""Assemble the Strawberry schema: a federation v2 subgraph with cached documents."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.types import ExecutionContext

from hub.graphql.query import Query
from hub.graphql.worker import Worker

log = logging.getLogger("pmihub.graphql")


class PartialResults(SchemaExtension):
    """Adds the source failures that left a field answered with partial data to ``errors``."""

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
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


def build_schema(**kwargs: Any) -> HubSchema:
    return HubSchema(
        query=Query,
        types=[Worker],
        extensions=[
            lambda: ParserCache(maxsize=1024),
            lambda: ValidationCache(maxsize=1024),
            PartialResults,
        ],
        **kwargs,
    )
