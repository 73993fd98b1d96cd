"""The plain-data fast path answers exactly as graphql-core does, errors included."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
from typing import Any

import pytest
import strawberry

from hub.graphql.eager import OneByOne
from hub.graphql.plain import PlainDataExecutor, pure


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark-blue"


@strawberry.type
class Tag:
    name: str
    weight: float | None = None


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    colour: Colour
    made: dt.date
    at: dt.datetime
    count: int
    ok: bool
    tags: list[Tag]
    grid: list[list[int]]
    maybe: Tag | None = None
    note: str | None = None

    @strawberry.field
    def shout(self, loud: bool = True) -> str:
        return self.name.upper() if loud else self.name

    @strawberry.field
    @pure
    def label(self, colour: Colour = Colour.RED, times: int = 1) -> str:
        if times < 0:
            raise ValueError("times must not be negative")
        return f"{self.name} in {colour.value}" * times

    @strawberry.field
    @pure
    def labels(self, times: int = 2) -> list[Tag]:
        return [Tag(name=self.name, weight=float(n)) for n in range(times)]


@strawberry.type
class Box:
    items: list[Item]
    broken: list[Item]  # an item whose non-null field holds None
    wrong_int: list[Item]  # an Int field holding a string


def _item(i: int, **overrides: Any) -> Item:
    values: dict[str, Any] = {
        "id": strawberry.ID(f"i{i}"),
        "name": f"item {i}",
        "colour": Colour.DARK_BLUE if i % 2 else Colour.RED,
        "made": dt.date(2026, 1, 1 + i),
        "at": dt.datetime(2026, 1, 1, 12, i, tzinfo=dt.UTC),
        "count": i,
        "ok": bool(i % 2),
        "tags": [Tag(name=f"t{j}", weight=j / 2 if j else None) for j in range(i)],
        "grid": [[i, i + 1], []],
        "maybe": Tag(name="m") if i % 3 == 0 else None,
        "note": None if i % 2 else f"note {i}",
    }
    values.update(overrides)
    return Item(**values)


@strawberry.type
class Query:
    @strawberry.field
    def box(self) -> Box:
        return Box(
            items=[_item(i) for i in range(5)],
            broken=[_item(0), _item(1, name=None)],
            wrong_int=[_item(2, count="many")],
        )

    @strawberry.field
    async def later(self) -> list[Item]:
        return [_item(i) for i in range(3)]

    @strawberry.field
    def eventually(self) -> list[Item]:
        return OneByOne([_item(i) for i in range(3)])


PLAIN = strawberry.Schema(query=Query, execution_context_class=PlainDataExecutor)
STOCK = strawberry.Schema(query=Query)

FIELDS = """
  id name colour made at count ok note
  tags { name weight } grid maybe { name __typename }
"""
QUERIES = {
    "every field": f"{{ box {{ items {{ {FIELDS} }} }} }}",
    "after an async resolver": f"{{ later {{ {FIELDS} }} }}",
    "aliases and __typename": "{ box { items { a: id b: id __typename t: tags { n: name } } } }",
    "fragments": """{ box { items { ...F ... on Item { count } } } }
                     fragment F on Item { name tags { name } }""",
    "skip and include": """query($yes: Boolean!) { box { items {
                             name @skip(if: $yes) count @include(if: $yes) } } }""",
    "a resolver beside plain fields": "{ box { items { name shout quiet: shout(loud: false) } } }",
    "a null in a non-null field": "{ box { broken { id name tags { name } } } }",
    "a value the scalar refuses": "{ box { wrongInt { id count } } }",
    "awaitable items": f"{{ eventually {{ {FIELDS} }} }}",
    "pure resolvers": """query($yes: Boolean!, $c: Colour!, $n: Int!) { box { items {
        name label blue: label(colour: $c) twice: label(times: 2) dark: label(colour: DARK_BLUE)
        labels { name weight } three: labels(times: $n) { name } skipped: label @skip(if: $yes)
    } } }""",
    "a pure resolver that raises": "{ box { items { id label(times: -1) } } }",
}


def _answer(schema: strawberry.Schema, query: str) -> str:
    variables = {"yes": True, "c": "DARK_BLUE", "n": 3}
    result = asyncio.run(schema.execute(query, variable_values=variables))
    errors = [e.formatted for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors}, sort_keys=True)


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_the_fast_path_answers_as_graphql_core_does(query: str) -> None:
    assert _answer(PLAIN, query) == _answer(STOCK, query)


def test_errors_are_still_located() -> None:
    broken = json.loads(_answer(PLAIN, QUERIES["a null in a non-null field"]))
    assert broken["errors"][0]["path"] == ["box", "broken", 1, "name"]
    assert broken["data"] is None  # Box.broken is non-null: the null propagated up
    wrong = json.loads(_answer(PLAIN, QUERIES["a value the scalar refuses"]))
    assert wrong["errors"][0]["path"] == ["box", "wrongInt", 0, "count"]
    raised = json.loads(_answer(PLAIN, QUERIES["a pure resolver that raises"]))
    assert raised["errors"][0]["path"] == ["box", "items", 0, "label"]
    assert raised["errors"][0]["message"] == "times must not be negative"


class Counting(PlainDataExecutor):
    fields = 0

    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        Counting.fields += 1
        return super().execute_field(*args, **kwargs)


def test_plain_data_skips_the_per_field_machinery() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=Counting)
    Counting.fields = 0
    result = schema.execute_sync(QUERIES["every field"])
    assert result.errors is None and len(result.data["box"]["items"]) == 5
    assert Counting.fields == 1  # box's resolver; Box, its items and their fields by the plan
    Counting.fields = 0
    schema.execute_sync(QUERIES["a resolver beside plain fields"])
    assert Counting.fields == 2 + 5 * 3  # a selection with a resolver: graphql-core's path
    Counting.fields = 0
    result = schema.execute_sync(
        QUERIES["pure resolvers"], variable_values={"yes": True, "c": "DARK_BLUE", "n": 3}
    )
    assert result.errors is None and result.data["box"]["items"][1]["blue"] == "item 1 in dark-blue"
    assert Counting.fields == 1  # pure resolvers are called by the plan


def test_a_plan_is_compiled_once_per_shape_not_per_request() -> None:
    from hub.graphql import plain

    schema = strawberry.Schema(query=Query, execution_context_class=PlainDataExecutor)
    schema.execute_sync(QUERIES["every field"])
    compiled = dict(plain._COMPILED)
    result = schema.execute_sync(QUERIES["every field"])  # another request, the same shape
    assert result.errors is None
    assert compiled.keys() == plain._COMPILED.keys()
    assert all(plain._COMPILED[shape] is code for shape, code in compiled.items())
