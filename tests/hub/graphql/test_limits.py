"""The query limits, on the schema itself: cost with fragments expanded, ``_entities``
representations, and every limiter refusing with its own code."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from hub.graphql.cost import operation_cost
from hub.graphql.schema import build_schema
from hub.graphql.shape import MAX_DIRECTIVES, MAX_FIELD_REPEATS

SCHEMA = build_schema(max_depth=12, max_cost=10_000, max_batch_ids=1000)
IDS = [f"wk_{i:020x}" for i in range(1000)]
SIX = "identity { nik } placements { status } socialSecurity { kpj } consular { reported } "
SIX += "cases { id } protection { level }"
FRAGMENT = f"fragment F on Worker {{ {SIX} }}"


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    return operation_cost(
        SCHEMA._schema, parse(query), name, {"i": IDS} if variables is None else variables
    )


# C2's table in the code review, each shape with its real cost.
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"query($i: [ID!]!) {{ workers(ids: $i) {{ id {SIX} }} }}", 6000),
        (f"query($i: [ID!]!) {{ workers(ids: $i) {{ ...F }} }} {FRAGMENT}", 6000),
        (
            "query($i: [ID!]!) { ... on Query { a: workers(ids: $i) { ...F } "
            f"b: workers(ids: $i) {{ ...F }} }} }} {FRAGMENT}",
            12_000,
        ),
        (
            "query($i: [ID!]!) { ...Q } fragment Q on Query { a: workers(ids: $i) { ...G } } "
            f"fragment G on Worker {{ ... on Worker {{ ...F }} }} {FRAGMENT}",
            6000,
        ),
        (
            "query($r: [_Any!]!) { _entities(representations: $r) "
            f"{{ ... on Worker {{ {SIX} }} }} }}",
            60_000,
        ),
        (f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ...F }} }} {FRAGMENT}", 60_000),
    ],
)
def test_fragments_inline_fragments_and_aliases_cost_what_they_fetch(
    query: str, expected: int
) -> None:
    representations = [{"__typename": "Worker", "id": i} for i in IDS * 10]
    assert cost(query, {"i": IDS, "r": representations}) == expected


def test_a_field_merged_across_fragments_counts_once_and_each_alias_counts() -> None:
    merged = "query($i: [ID!]!) { workers(ids: $i) { identity { nik } ...F } } "
    merged += "fragment F on Worker { identity { fullName } }"
    assert cost(merged) == 1000
    aliased = "query($i: [ID!]!) { workers(ids: $i) { a: identity { nik } b: identity { nik } } }"
    assert cost(aliased) == 2000


def test_batches_count_literals_defaults_and_pages() -> None:
    literal = (
        '{ workers(ids: ["wk_00000000000000000000", "wk_00000000000000000001"]) { cases { id } } }'
    )
    assert cost(literal) == 2
    three = ", ".join(f'"{i}"' for i in IDS[:3])
    default = f"query($i: [ID!]! = [{three}]) {{ workers(ids: $i) {{ {SIX} }} }}"
    assert cost(default, {}) == 18
    search = '{ searchWorkers(query: "siti", first: 50) { edges { node { ...F } } } } ' + FRAGMENT
    assert cost(search) == 300
    assert cost('{ searchWorkers(query: "siti") { edges { node { id } } } }') == 20
    assert cost("{ worker(id: $x) { id } me { clientId } }", {}) == 1


def test_the_walk_ends_on_cycles_and_fragment_bombs() -> None:
    cycle = "{ ...A } fragment A on Query { ...B me { clientId } } fragment B on Query { ...A }"
    assert cost(cycle) == 0
    bomb = ["query($i: [ID!]!) { ...F0 }"]
    for n in range(40):
        bomb.append(f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}")
    bomb.append("fragment F40 on Query { workers(ids: $i) { cases { id } } }")
    assert cost(" ".join(bomb)) == 1000


def test_the_named_operation_is_the_one_costed() -> None:
    two = "query Cheap { me { clientId } } "
    two += f"query Dear($i: [ID!]!) {{ workers(ids: $i) {{ {SIX} }} }}"
    assert cost(two, name="Cheap") == 0
    assert cost(two, name="Dear") == 6000


def run(query: str, variables: dict[str, Any] | None = None, schema: Any = SCHEMA) -> Any:
    import asyncio

    return asyncio.run(schema.execute(query, variable_values=variables))


def codes(result: Any) -> list[str]:
    return [e.extensions.get("code") for e in result.errors or []]


def test_over_the_budget_is_refused_whichever_way_it_is_written() -> None:
    twice = (
        "query($i: [ID!]!) { ... on Query { a: workers(ids: $i) { ...F } "
        f"b: workers(ids: $i) {{ ...F }} }} }} {FRAGMENT}"
    )
    result = run(twice, {"i": IDS})
    assert codes(result) == ["QUERY_TOO_COSTLY"] and result.data is None
    assert result.errors[0].extensions["cost"] == 12_000
    assert " / " in result.errors[0].message  # Indonesian / English


ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id } } }"


@pytest.mark.parametrize(
    "representations",
    [
        [{"__typename": "Worker", "id": IDS[0]}] * 1001,
        ["wk_00000000000000000000"],
        [1],
        [None],
        [[{"__typename": "Worker", "id": IDS[0]}]],
        [{"id": IDS[0]}],
        [{"__typename": "Query", "id": IDS[0]}],
        [{"__typename": "Nope", "id": IDS[0]}],
        [{"__typename": "Worker"}],
        [{"__typename": "Worker", "id": 7}],
        [{"__typename": "Worker", "id": "3506124508900003"}],
        [{"__typename": "Worker", "id": IDS[0], "nik": "3506124508900003"}],
        {"__typename": "Worker", "id": IDS[0], "extra": 1},
    ],
)
def test_entities_refuse_a_representation_a_gateway_would_not_send(representations: Any) -> None:
    result = run(ENTITIES, {"r": representations})
    assert codes(result) == ["BAD_USER_INPUT"] and result.data is None
    assert result.errors[0].extensions["argument"] == "representations"


def test_entity_literals_are_checked_too() -> None:
    literal = '{ _entities(representations: [{__typename: "Worker", id: 7}]) { __typename } }'
    assert codes(run(literal)) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ me { " + " ".join(f"a{i}: clientId" for i in range(31)) + " } }", "TOO_MANY_ALIASES"),
        ("{ me { clientId " + "__typename " * 5000 + "} }", "TOO_MANY_TOKENS"),
        ("{ __schema { types { name } } }", "INTROSPECTION_DISABLED"),
        ('{ __type(name: "Worker") { name } }', "INTROSPECTION_DISABLED"),
        ("query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }", "TOO_MANY_DIRECTIVES"),
        (
            "{ "
            + " ".join(f"a{i}: __typename @skip(if: false)" for i in range(MAX_DIRECTIVES + 1))
            + " }",
            "TOO_MANY_DIRECTIVES",
        ),
        (
            "{ me { clientId @skip(if: false) @include(if: true) @skip(if: false) @a } }",
            "TOO_MANY_DIRECTIVES",
        ),
        ("query cop { " + "__typename \n" * 500 + "}", "FIELD_REPEATED"),
        ("{ " + "me { clientId } " * (MAX_FIELD_REPEATS + 1) + "}", "FIELD_REPEATED"),
        ("{ " + "... on Query { me { clientId } } " * 400 + "}", "FIELD_REPEATED"),
        (
            "{ "
            + " ".join(f"...F{i}" for i in range(300))
            + " } "
            + " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(300)),
            "FIELD_REPEATED",
        ),
        (
            "{ " + "...F " * 11 + "} fragment F on Query { me { clientId } }",
            "FIELD_REPEATED",
        ),
        ("{ " + "... on Query { " * 400 + "__typename" + " }" * 401, "QUERY_TOO_DEEP"),
        (  # a chain of fragments the depth limiter would follow past Python's stack
            "{ ...F0 } "
            + " ".join(
                f"fragment F{i} on Query {{ ... on Query {{ ...F{i + 1} }} }}" for i in range(250)
            )
            + " fragment F250 on Query { __typename }",
            "QUERY_TOO_DEEP",
        ),
        (
            "{ ...F0 } "
            + " ".join(f"fragment F{i} on Query {{ me {{ ...F{i + 1} }} }}" for i in range(60))
            + " fragment F60 on Query { __typename }",
            "QUERY_TOO_DEEP",
        ),
    ],
)
def test_each_limit_refuses_with_its_own_code_and_one_error(query: str, code: str) -> None:
    result = run(query)
    assert codes(result) == [code], result.errors
    assert result.data is None and " / " in result.errors[0].message


def test_the_depth_limiter_refuses_a_query_that_validates() -> None:
    deep = '{ searchWorkers(query: "siti") { edges { node { identity { nextOfKin { name } } } } } }'
    shallow = build_schema(max_depth=4)
    assert codes(run(deep, schema=shallow)) == ["QUERY_TOO_DEEP"]
    # the same document is valid: only the limit refuses it
    from graphql import validate

    assert validate(SCHEMA._schema, parse(deep)) == []


def test_up_to_the_limits_is_accepted() -> None:
    ok = "{ " + " ".join(f"a{i}: __typename @skip(if: false)" for i in range(MAX_DIRECTIVES)) + " }"
    assert run(ok).errors is None
    assert run("{ " + "__typename " * MAX_FIELD_REPEATS + "}").errors is None


def test_introspection_stays_on_in_dev() -> None:
    dev = build_schema(dev=True)
    result = run("{ __schema { queryType { name } } }", schema=dev)
    assert result.errors is None and result.data == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize("variables", [{}, {"r": None}])
def test_missing_representations_are_refused_by_coercion_typed(variables: Any) -> None:
    result = run(ENTITIES, variables)
    assert result.data is None and len(result.errors) == 1
    assert "$r" in result.errors[0].message


def test_fields_merged_from_a_few_fragments_are_accepted() -> None:
    query = "{ __typename ...A ...B ... on Query { __typename } } "
    query += "fragment A on Query { __typename } fragment B on Query { ...A __typename }"
    result = run(query)
    assert result.errors is None and result.data == {"__typename": "Query"}
