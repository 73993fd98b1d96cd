"""Query limits against abuse: depth, aliases, tokens and a cost budget per request.

The cost of a request is the number of (worker, section) pairs it may fetch: each section of a
worker reaches one or more agencies, so this is what a query really costs upstream. A
``workers`` call with 1,000 ids and seven sections costs 7,000.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

WORKER_LISTS = {"workers": "ids", "workersByNik": "niks", "_entities": "representations"}
SINGLE_WORKERS = {"worker", "workerBy"}


class QueryCost(SchemaExtension):
    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            cost = sum(
                _cost(selection, context.variables or {})
                for definition in document.definitions
                if isinstance(definition, OperationDefinitionNode)
                for selection in definition.selection_set.selections
                if isinstance(selection, FieldNode)
            )
            if cost > self.budget:
                raise GraphQLError(
                    f"Kueri terlalu mahal ({cost} > {self.budget}) / "
                    f"Query too costly ({cost} > {self.budget})",
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": self.budget},
                )
        yield


def _cost(field: FieldNode, variables: dict[str, Any]) -> int:
    name = field.name.value
    if name in SINGLE_WORKERS:
        count = 1
    elif name in WORKER_LISTS:
        count = _list_length(field, WORKER_LISTS[name], variables)
    else:
        return 0
    sections = [
        s
        for s in (field.selection_set.selections if field.selection_set else [])
        if isinstance(s, FieldNode) and s.name.value not in ("id", "__typename")
    ]
    return count * max(1, len(sections))


def _list_length(field: FieldNode, argument: str, variables: dict[str, Any]) -> int:
    for arg in field.arguments:
        if arg.name.value != argument:
            continue
        value = arg.value
        if value.kind == "variable":
            given = variables.get(value.name.value)  # type: ignore[attr-defined]
            return len(given) if isinstance(given, list) else 1
        if value.kind == "list_value":
            return len(value.values)  # type: ignore[attr-defined]
    return 1
