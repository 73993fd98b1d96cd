"""What an operation costs: the (worker, section) pairs it may fetch.

Each section of a worker reaches one or more agencies, so this is what a query really costs
upstream: ``workers`` with 1,000 ids and seven sections costs 7,000. The walk runs on the
validated document with named fragments, inline fragments (``... on Query``, ``... on Worker``)
and aliases expanded, so the same query costs the same however it is written. Fields that
share a response key are merged, as execution merges them; each alias is counted, as each
alias is resolved. A fragment is expanded once per selection set, which ends cycles (refused
by validation anyway) and fragment bombs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

WORKER_TYPES = frozenset({"Worker", "_Entity"})
# The list argument that sets how many workers a field returns.
BATCH_ARGUMENTS = {"workers": "ids", "workersByNik": "niks", "_entities": "representations"}
FREE_FIELDS = frozenset({"id", "__typename"})

Fields = dict[str, list[tuple[FieldNode, GraphQLNamedType]]]


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation that runs (of the dearest one when the name is ambiguous)."""
    return max(
        (
            _Walk(schema, document, operation, variables or {}).total()
            for operation in operations(document, operation_name)
        ),
        default=0,
    )


def root_fields(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    name: str,
) -> Iterable[tuple[FieldNode, OperationDefinitionNode]]:
    """Every root field called ``name``, wherever fragments put it."""
    for operation in operations(document, operation_name):
        walk = _Walk(schema, document, operation, {})
        root = walk.root_type()
        if root is None:
            continue
        for nodes in walk.collect([operation.selection_set], root).values():
            for node, _ in nodes:
                if node.name.value == name:
                    yield node, operation


def argument_value(
    operation: OperationDefinitionNode,
    node: FieldNode,
    name: str,
    variables: Mapping[str, Any],
    default: Any = Undefined,
) -> Any:
    """The value of one argument as the resolver will see it (variables, their defaults)."""
    for argument in node.arguments or ():  # None when the field is written without any
        if argument.name.value != name:
            continue
        if not isinstance(argument.value, VariableNode):
            return value_from_ast_untyped(argument.value, variables)
        variable = argument.value.name.value
        if variable in variables:
            return variables[variable]
        for definition in operation.variable_definitions:
            if definition.variable.name.value == variable and definition.default_value:
                return value_from_ast_untyped(definition.default_value, {})
    return default


def operations(document: DocumentNode, operation_name: str | None) -> list[OperationDefinitionNode]:
    found = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        named = [d for d in found if d.name is not None and d.name.value == operation_name]
        return named or found
    return found


@dataclass
class _Walk:
    schema: GraphQLSchema
    document: DocumentNode
    operation: OperationDefinitionNode
    variables: Mapping[str, Any]

    def __post_init__(self) -> None:
        self.fragments = {
            d.name.value: d
            for d in self.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }

    def root_type(self) -> GraphQLObjectType | None:
        return {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[self.operation.operation]

    def total(self) -> int:
        root = self.root_type()
        return 0 if root is None else self.cost([self.operation.selection_set], root, 1)

    def cost(
        self, selection_sets: list[SelectionSetNode], parent: GraphQLNamedType, times: int
    ) -> int:
        total = 0
        for nodes in self.collect(selection_sets, parent).values():
            node, owner = nodes[0]
            field = _field(owner, node.name.value)
            if field is None:
                continue
            named = get_named_type(field.type)
            count = times * self.count(node, field)
            subsets = [n.selection_set for n, _ in nodes if n.selection_set is not None]
            if named.name in WORKER_TYPES:
                sections = [
                    key
                    for key, group in self.collect(subsets, named).items()
                    if group[0][0].name.value not in FREE_FIELDS
                ]
                total += count * max(1, len(sections))
            elif subsets:
                total += self.cost(subsets, named, count)
        return total

    def collect(self, selection_sets: list[SelectionSetNode], parent: GraphQLNamedType) -> Fields:
        """The fields these selection sets select, by response key, fragments expanded."""
        out: Fields = {}
        seen: set[str] = set()
        for selection_set in selection_sets:
            self._gather(selection_set, parent, out, seen)
        return out

    def _gather(
        self, selection_set: SelectionSetNode, owner: GraphQLNamedType, out: Fields, seen: set[str]
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append((selection, owner))
            elif isinstance(selection, InlineFragmentNode):
                condition = self._type(selection.type_condition, owner)
                self._gather(selection.selection_set, condition, out, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                seen.add(name)
                condition = self._type(fragment.type_condition, owner)
                self._gather(fragment.selection_set, condition, out, seen)

    def _type(self, condition: Any, owner: GraphQLNamedType) -> GraphQLNamedType:
        if condition is None:
            return owner
        return self.schema.get_type(condition.name.value) or owner

    def count(self, node: FieldNode, field: GraphQLField) -> int:
        """How many times the field's result repeats: a batch's length, a page's size."""
        batch = BATCH_ARGUMENTS.get(node.name.value)
        if batch is not None:
            value = self.argument(node, batch, field.args[batch].default_value)
            if value is None:
                return 0
            return len(value) if isinstance(value, list) else 1
        if "first" in field.args:
            value = self.argument(node, "first", field.args["first"].default_value)
            return max(0, value) if isinstance(value, int) else 1
        return 1

    def argument(self, node: FieldNode, name: str, default: Any) -> Any:
        return argument_value(self.operation, node, name, self.variables, default)


def _field(owner: GraphQLNamedType, name: str) -> GraphQLField | None:
    if isinstance(owner, GraphQLObjectType | GraphQLInterfaceType):
        return owner.fields.get(name)
    return None
