"""The shape of a parsed document, checked before validation runs.

Validation is where an overloaded document costs CPU: the overlapping-fields rule compares
fields with the same response key pairwise, and strawberry's depth limiter follows fragment
spreads by recursion. So before it runs, at most:

- 3 directives on one field, fragment or operation, 30 in the document (``TOO_MANY_DIRECTIVES``);
- 10 uses of one response key in a selection set, its inline fragments and fragment spreads
  merged (``FIELD_REPEATED``; 400 inline fragments of one field cost seconds to validate);
- 40 levels of nesting, fragments expanded (``QUERY_TOO_DEEP``; a chain of fragments would
  take the depth limiter past Python's stack);
- outside dev, no ``__schema`` or ``__type`` (``INTROSPECTION_DISABLED``).

Each refusal is one typed error; fragments are walked once each (memoised), cycles ignored
(validation refuses them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    SelectionSetNode,
)

from hub.graphql.errors import hub_error

MAX_DIRECTIVES_PER_LOCATION = 3
MAX_DIRECTIVES = 30
MAX_FIELD_REPEATS = 10
MAX_NESTING = 40
META = frozenset({"__schema", "__type"})
INTROSPECTION = hub_error(
    "INTROSPECTION_DISABLED",
    "Introspeksi skema dimatikan di luar mode dev",
    "Schema introspection is disabled outside dev",
)
NESTED = (
    "QUERY_TOO_DEEP",
    "Dokumen kueri bersarang terlalu dalam",
    "Query document nested too deeply",
)


def check_shape(document: DocumentNode, *, introspection: bool) -> None:
    selections = _Selections(
        {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    )
    total = 0
    stack: list[Any] = list(document.definitions)
    for definition in document.definitions:
        if selections.height(definition.selection_set) > MAX_NESTING:  # type: ignore[attr-defined]
            raise at(definition, *NESTED)
    while stack:
        node = stack.pop()
        if not introspection and isinstance(node, FieldNode) and node.name.value in META:
            raise GraphQLError(INTROSPECTION.message, [node], extensions=INTROSPECTION.extensions)
        directives = getattr(node, "directives", None) or ()
        total += len(directives)
        if len(directives) > MAX_DIRECTIVES_PER_LOCATION or total > MAX_DIRECTIVES:
            raise at(
                node,
                "TOO_MANY_DIRECTIVES",
                f"Terlalu banyak direktif (paling banyak {MAX_DIRECTIVES_PER_LOCATION} per "
                f"tempat, {MAX_DIRECTIVES} per dokumen)",
                f"Too many directives (at most {MAX_DIRECTIVES_PER_LOCATION} per location, "
                f"{MAX_DIRECTIVES} per document)",
            )
        stack.extend(getattr(node, "variable_definitions", None) or ())
        selection_set: SelectionSetNode | None = getattr(node, "selection_set", None)
        if selection_set is not None:
            if not isinstance(node, InlineFragmentNode):  # its fields count in its parent's
                selections.check_repeats(node, selection_set)
            stack.extend(selection_set.selections)


def at(node: Node, code: str, message_id: str, message_en: str) -> GraphQLError:
    typed = hub_error(code, message_id, message_en)
    return GraphQLError(typed.message, [node], extensions=typed.extensions)


class _Selections:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.counted: dict[str, Counter[str]] = {}
        self.heights: dict[str, int] = {}
        self.expanding: set[str] = set()
        self.level = 0

    def check_repeats(self, node: Node, selection_set: SelectionSetNode) -> None:
        for key, count in self.counts(selection_set).items():
            if count > MAX_FIELD_REPEATS:
                raise at(
                    node,
                    "FIELD_REPEATED",
                    f"Bidang {key!r} diulang lebih dari {MAX_FIELD_REPEATS} kali",
                    f"Field {key!r} repeated more than {MAX_FIELD_REPEATS} times",
                )

    def counts(self, selection_set: SelectionSetNode) -> Counter[str]:
        """Uses of each response key, inline fragments and fragment spreads merged in."""
        counts: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                counts[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                counts.update(self.counts(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                counts.update(self._fragment(selection.name.value, self.counted, self.counts))
        return counts

    def height(self, selection_set: SelectionSetNode | None) -> int:
        """Levels of nesting below here, fragments expanded; the walk itself stops past the
        limit, so no document can take it (or anything after it) past Python's stack."""
        if selection_set is None:
            return 0
        self.level += 1
        try:
            if self.level > MAX_NESTING:
                raise at(selection_set, *NESTED)
            best = 0
            for selection in selection_set.selections:
                if isinstance(selection, FragmentSpreadNode):
                    below = self._fragment(selection.name.value, self.heights, self.height)
                else:
                    below = self.height(selection.selection_set)  # type: ignore[union-attr]
                best = max(best, 1 + below)
            return best
        finally:
            self.level -= 1

    def _fragment(self, name: str, memo: dict[str, Any], walk: Any) -> Any:
        if name not in memo:
            fragment = self.fragments.get(name)
            if fragment is None or name in self.expanding:  # unknown or cyclic: validation's
                return walk(SelectionSetNode(selections=()))
            self.expanding.add(name)
            try:
                memo[name] = walk(fragment.selection_set)
            finally:
                self.expanding.discard(name)
        return memo[name]
