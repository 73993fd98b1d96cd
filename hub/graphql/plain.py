"""Plain data completed in one pass: the executor's fast path for the sections' values.

graphql-core completes a value field by field: for each field an ``Info``, a ``Path``, the
resolver through Strawberry's wrapper, then ``complete_value`` down the type (non-null, list,
leaf). ``workers(ids: 1000)`` with every section is about 150,000 fields, nearly all of them
attributes of plain objects the section builders made (``t.Identity``, ``t.Placement``,
``t.Provenance``...): that bookkeeping was most of the hub's CPU for a batch.

``PlainDataExecutor`` compiles, once per request and selection, a *plan* for an object type
whose selected fields are all plain: no resolver of their own (Strawberry's basic fields, an
attribute read) or a resolver marked ``pure`` (its value depends only on its object and its
arguments, which the plan works out once per request), no directives, and only leaves, lists
and other such objects below. The plan reads the attributes and coerces the leaves directly
(the same ``coerce_output_value`` graphql-core calls). Anything else (another resolver, an
abstract type, ``@defer``) keeps graphql-core's path, and so does a value the plan cannot
complete (a null in a non-null field, a value a scalar refuses, a pure resolver that raises):
the plan gives up on that value and graphql-core completes it again from the start, so errors
are located and reported exactly as before. Reading a plain attribute or calling a pure
resolver has no side effect, so completing twice is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from keyword import iskeyword
from operator import attrgetter
from types import CodeType
from typing import Any, TypeVar

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments

Complete = Callable[[Any], Any]
PURE = "_plain_pure"  # set by ``pure`` on a resolver function
EXACT = "_plain_exact"  # on a leaf's plan: the type its values pass as they are
# (response name, how to read the value, how to complete it, the attribute read if plain)
Step = tuple[str, Callable[[Any], Any], Complete, str | None]
TYPENAME = "__typename"
BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF  # the StrawberryField of a GraphQL field


F = TypeVar("F", bound=Callable[..., Any])


def pure(function: F) -> F:
    """Mark a resolver whose value depends only on its object and arguments: synchronous,
    no ``info``, no side effect. A plan calls it directly, its arguments converted once per
    request, instead of through graphql-core and Strawberry for every object."""
    setattr(function, PURE, True)
    return function


class GiveUp(Exception):
    """The plan cannot complete this value; graphql-core's path will (and report why)."""


class PlainDataExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with a compiled fast path for plain data (module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (type, id(field details)) -> (the field details, kept alive; the plan or None)
        self._plans: dict[tuple[Any, int], tuple[Any, Complete | None]] = {}

    def complete_value(  # type: ignore[override]
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        key = (return_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is None:
            plan = self._plan_value(return_type, field_details_list, top=True)
            self._plans[key] = (field_details_list, plan)
        else:
            plan = cached[1]
        if plan is not None and not isinstance(result, Exception):
            try:
                return plan(result)
            except GiveUp:
                pass
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    # -- compiling -------------------------------------------------------------------------

    def _plan_value(
        self, type_: GraphQLOutputType, field_details_list: Any, *, top: bool = False
    ) -> Complete | None:
        """How to complete a value of ``type_`` for this selection, or None (not plain).
        At the top only objects and lists of them are planned: a lone leaf gains nothing."""
        if is_non_null_type(type_):
            inner = self._plan_value(type_.of_type, field_details_list, top=top)  # type: ignore[attr-defined]
            return None if inner is None else _non_null(inner)
        if is_list_type(type_):
            item = self._plan_value(type_.of_type, field_details_list, top=top)  # type: ignore[attr-defined]
            return None if item is None else _list(item)
        if is_leaf_type(type_):
            return None if top else _leaf(type_)  # type: ignore[arg-type]
        if is_object_type(type_):
            return self._plan_object(type_, field_details_list)  # type: ignore[arg-type]
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _plan_object(self, type_: GraphQLObjectType, field_details_list: Any) -> Complete | None:
        if type_.is_type_of is not None:
            return None
        grouped, defer_usages, *_ = self.collect_subfields(type_, field_details_list)
        if defer_usages:
            return None
        steps: list[Step] = []
        for response_name, details in grouped.items():
            nodes = [d.node for d in details]
            if any(n.directives for n in nodes):
                return None
            name = nodes[0].name.value
            if name == TYPENAME:
                steps.append((response_name, _constant(type_.name), _same, None))
                continue
            field = type_.fields.get(name)
            if field is None:
                return None
            attribute = None
            if field.args or nodes[0].arguments:
                read = self._pure_call(field, details[0])
            else:
                attribute = _attribute(field)
                read = None if attribute is None else attrgetter(attribute)
            if read is None:
                return None
            complete = self._plan_value(field.type, details)
            if complete is None:
                return None
            steps.append((response_name, read, complete, attribute))
        return _object(steps)

    def _pure_call(self, field: GraphQLField, details: Any) -> Callable[[Any], Any] | None:
        """A call of a ``pure`` resolver with this selection's arguments, worked out once
        (they are the document's and the request's variables), or None for any other field."""
        definition = (field.extensions or {}).get(BACKREF)
        resolver = getattr(definition, "base_resolver", None)
        if resolver is None or definition.extensions or definition.is_async:
            return None
        if not getattr(resolver._unbound_wrapped_func, PURE, False):
            return None
        if not hasattr(field.resolve, "_is_default"):
            return None  # wrapped after Strawberry built it (the access policy): keep it
        if not resolver.self_parameter or (
            resolver.info_parameter or resolver.parent_parameter or resolver.root_parameter
        ):
            return None
        strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
        converter = strawberry_schema.schema_converter
        if converter._get_field_exception_handlers(definition):
            return None
        try:
            kwargs = convert_arguments(
                get_argument_values(
                    field,
                    details.node,
                    self.variable_values,
                    details.fragment_variable_values,
                    self.hide_suggestions,
                ),
                definition.arguments,
                scalar_registry=converter.scalar_registry,
                config=strawberry_schema.config,
            )
        except Exception:  # graphql-core reports it where it belongs
            return None
        function = resolver.wrapped_func

        def read(source: Any) -> Any:
            try:
                return function(source, **kwargs)
            except Exception as exc:  # graphql-core calls it again and locates the error
                raise GiveUp from exc

        return read


# -- the plans' parts (closures: the hot loop is one call per value) ---------------------


def _object(steps: list[Step]) -> Complete:
    """The object's completion written out as one function (as ``dataclasses`` writes an
    ``__init__``): an attribute read per field, and a leaf whose value already has the exact
    type the scalar answers (a ``str`` for String and ID, a ``bool`` for Boolean) taken as it
    is, with no call; anything else through its own plan."""
    names: dict[str, Any] = {"GiveUp": GiveUp}
    body, answer = [], []
    for i, (response_name, read, finish, attribute) in enumerate(steps):
        if attribute is not None and attribute.isidentifier() and not iskeyword(attribute):
            body.append(f"v{i} = value.{attribute}")
        else:
            names[f"read{i}"] = read
            body.append(f"v{i} = read{i}(value)")
        names[f"finish{i}"] = finish
        exact = getattr(finish, EXACT, None)
        if exact is not None:
            names[f"exact{i}"] = exact
            body += [f"if type(v{i}) is not exact{i}:", f"    v{i} = finish{i}(v{i})"]
        elif finish is not _same:
            body.append(f"v{i} = finish{i}(v{i})")
        answer.append(f"{response_name!r}: v{i}")
    source = "\n".join(
        [
            "def complete(value):",
            "    if value is None:",
            "        return None",
            "    try:",
            *(f"        {line}" for line in body),
            "    except AttributeError as exc:  # not the object the plan expects (an awaitable)",
            "        raise GiveUp from exc",
            f"    return {{{', '.join(answer)}}}",
        ]
    )
    code = _COMPILED.get(source)
    if code is None:  # compiled once per shape of selection, not once per request
        if len(_COMPILED) >= 1024:
            _COMPILED.clear()
        code = _COMPILED[source] = compile(source, "<plain plan>", "exec")
    exec(code, names)  # noqa: S102 - our own text, binding this plan's parts
    complete: Complete = names["complete"]
    return complete


_COMPILED: dict[str, CodeType] = {}


def _non_null(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        done = inner(value)
        if done is None:
            raise GiveUp
        return done

    exact = getattr(inner, EXACT, None)
    if exact is not None:  # a value of that type is not None: it passes as it is
        setattr(complete, EXACT, exact)
    return complete


def _list(item: Complete) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise GiveUp
        return [item(v) for v in value]

    return complete


def _leaf(type_: GraphQLLeafType) -> Complete:
    coerce = type_.coerce_output_value
    if type_ is GraphQLString or type_ is GraphQLID:
        exact: type = str
    elif type_ is GraphQLBoolean:
        exact = bool
    else:
        exact = type(None)  # never matches a value that is not None
    known: dict[Any, Any] = {}  # an enum's members, each coerced once

    def complete(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is exact:
            return value
        try:
            hit = known.get(value)
        except TypeError:  # unhashable: coerce it every time
            hit = None
        if hit is not None:
            return hit
        try:
            done = coerce(value)
        except Exception as exc:
            raise GiveUp from exc
        if done is None:
            raise GiveUp
        if isinstance(value, Enum):
            known[value] = done
        return done

    if exact is not type(None):
        setattr(complete, EXACT, exact)  # an object's plan takes such a value as it is
    return complete


def _attribute(field: GraphQLField) -> str | None:
    """The attribute a Strawberry basic field reads, or None for any other field."""
    definition = (field.extensions or {}).get(BACKREF)
    if not getattr(field.resolve, "_is_default", False) or definition is None:
        return None
    if definition.default_resolver is not getattr or not definition.python_name:
        return None  # a schema with its own default resolver
    return str(definition.python_name)


def _constant(value: Any) -> Callable[[Any], Any]:
    def read(_source: Any) -> Any:
        return value

    return read


def _same(value: Any) -> Any:
    return value


__all__ = ["GiveUp", "PlainDataExecutor", "pure"]
