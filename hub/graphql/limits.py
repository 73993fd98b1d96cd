"""Query limits against abuse, each refusal typed with its own ``extensions.code``.

Before validation (``DocumentLimits``, right after parsing, so an overloaded document costs
one error and no validation): tokens (``TOO_MANY_TOKENS``), nesting the parser cannot follow
(``QUERY_TOO_DEEP``), and the document's shape (hub/graphql/shape.py: directives, repeated
fields, nesting with fragments expanded, introspection outside dev).

During validation (``limit_rules``): depth (``QUERY_TOO_DEEP``), aliases
(``TOO_MANY_ALIASES``), introspection outside dev (``INTROSPECTION_DISABLED``).

Before execution (``QueryCost``, on the validated document with its variables): ``_entities``
representations (at most ``max_batch_ids``, each ``{__typename: "Worker", id}``, else
``BAD_USER_INPUT``) and the cost budget (``QUERY_TOO_COSTLY``, hub/graphql/cost.py). A cost
refusal is recorded in the audit trail as a refused attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    Undefined,
    ValidationContext,
    parse,
)
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from hub.graphql.cost import argument_value, operation_cost, root_fields
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.query import WORKER_ID
from hub.graphql.shape import INTROSPECTION, NESTED, check_shape


def limit_rules(*, max_depth: int, max_aliases: int, dev: bool) -> list[type[ASTValidationRule]]:
    """The validation rules of the limits, made once (the validation cache keys on them)."""
    depth = hub_error(
        "QUERY_TOO_DEEP",
        f"Kueri terlalu dalam (paling banyak {max_depth} tingkat)",
        f"Query too deep (at most {max_depth} levels)",
        limit=max_depth,
    )
    aliases = hub_error(
        "TOO_MANY_ALIASES",
        f"Terlalu banyak alias (paling banyak {max_aliases})",
        f"Too many aliases (at most {max_aliases})",
        limit=max_aliases,
    )
    rules = [
        *(_coded(r, depth) for r in QueryDepthLimiter(max_depth=max_depth).validation_rules),
        *(
            _coded(r, aliases)
            for r in MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules
        ),
    ]
    if not dev:
        rules += [_coded(r, INTROSPECTION) for r in DisableIntrospection().validation_rules]
    return rules


class DocumentLimits(SchemaExtension):
    """Parses the document (cached, like strawberry's ParserCache, which it replaces) and
    checks its shape before validation runs; every refusal is one typed error."""

    def __init__(self, *, introspection: bool = False) -> None:
        super().__init__()
        self.introspection = introspection

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = checked_document(
                context.query, introspection=self.introspection, **context.parse_options
            )
        yield


def checked_document(query: str, *, introspection: bool, **options: Any) -> DocumentNode:
    """The parsed document (cached) if its shape is within the limits; else a typed error."""
    try:
        document = _parse(query, **options)
    except GraphQLError as error:
        raise _typed_parse_error(error) from None
    except RecursionError:
        raise hub_error(*NESTED) from None
    check_shape(document, introspection=introspection)
    return document


_parse = lru_cache(maxsize=1024)(parse)


class QueryCost(SchemaExtension):
    def __init__(self, budget: int, max_batch_ids: int = 1000) -> None:
        super().__init__()
        self.budget = budget
        self.max_batch_ids = max_batch_ids

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            schema = context.schema._schema
            variables = context.variables or {}
            for node, operation in root_fields(
                schema, document, context.operation_name, "_entities"
            ):
                given = argument_value(operation, node, "representations", variables)
                _check_representations(given, self.max_batch_ids)
            cost = operation_cost(schema, document, context.operation_name, variables)
            if cost > self.budget:
                refused = getattr(context.context, "audit_refused", None)
                if refused is not None:  # the audit trail records the refused attempt
                    refused(None, reason=f"QUERY_TOO_COSTLY {cost}>{self.budget}")
                raise hub_error(
                    "QUERY_TOO_COSTLY",
                    f"Kueri terlalu mahal ({cost} > {self.budget})",
                    f"Query too costly ({cost} > {self.budget})",
                    cost=cost,
                    budget=self.budget,
                )
        yield


def _check_representations(given: Any, limit: int) -> None:
    """``_entities`` takes what a federation gateway sends: ``{__typename: "Worker", id}``."""
    if given is None or given is Undefined:  # missing or null: coercion refuses it, typed
        return
    items = given if isinstance(given, list) else [given]
    if len(items) > limit:
        raise bad_input(
            f"Paling banyak {limit} pengenal per permintaan",
            f"At most {limit} identifiers per request",
            "representations",
        )
    for index, item in enumerate(items):
        if (
            not isinstance(item, dict)
            or item.keys() != {"__typename", "id"}
            or item["__typename"] != "Worker"
            or not isinstance(item["id"], str)
            or not WORKER_ID.fullmatch(item["id"])
        ):
            error = bad_input(
                'Representasi harus {__typename: "Worker", id: "wk_…"}',
                'A representation must be {__typename: "Worker", id: "wk_…"}',
                "representations",
            )
            error.extensions = {**(error.extensions or {}), "index": index}
            raise error


def _typed_parse_error(error: GraphQLError) -> GraphQLError:
    """The parser's own limits get their codes; other syntax errors stay as they are."""
    if "tokens. Parsing aborted" in error.message:
        typed = hub_error(
            "TOO_MANY_TOKENS",
            "Dokumen kueri terlalu panjang (token)",
            "Query document too long (tokens)",
        )
    elif "nested too deeply" in error.message:
        typed = hub_error(*NESTED)
    else:
        return error
    return GraphQLError(
        typed.message, source=error.source, positions=error.positions, extensions=typed.extensions
    )


class _Recoding:
    """A validation context whose reported errors become one typed hub error."""

    def __init__(self, context: ValidationContext, typed: GraphQLError) -> None:
        self._context = context
        self._typed = typed
        self._reported = False

    def report_error(self, error: GraphQLError) -> None:
        if self._reported:  # one refusal per limit, however many nodes break it
            return
        self._reported = True
        typed = self._typed
        self._context.report_error(
            GraphQLError(typed.message, error.nodes, extensions=typed.extensions)
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def _coded(rule: type[ASTValidationRule], typed: GraphQLError) -> type[ASTValidationRule]:
    def __init__(self: ASTValidationRule, context: ValidationContext) -> None:
        rule.__init__(self, _Recoding(context, typed))  # type: ignore[arg-type]

    made: Callable[..., Any] = type(rule.__name__, (rule,), {"__init__": __init__})
    return made  # type: ignore[return-value]


__all__ = ["DocumentLimits", "QueryCost", "checked_document", "limit_rules"]
