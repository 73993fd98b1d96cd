"""A schema-driven fuzzer against the live hub over HTTP: queries hypothesis-graphql builds
from the hub's own schema (valid ones, and ones with one schema violation), and ``_entities``
with arbitrary representations, sent with a valid token and purpose. No answer may be a 5xx,
carry a traceback, or hold an error without ``extensions.code`` or with INTERNAL_SERVER_ERROR.

Bounded and derandomized (a fixed sequence of examples), so CI is stable: about 600 requests.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes, queries

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.graphql.schema import build_schema
from hub.settings import Settings
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

SCHEMA = build_schema(dev=False)._schema  # the schema the hub serves outside dev
BOUNDED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
NAMES = st.sampled_from(["__typename", "id", "nik", "x"]) | st.text(
    alphabet=string.ascii_letters + "_", min_size=1, max_size=8
)
JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["Worker", "Query", "_Service", "wk_" + "0" * 20, "3506124508900003"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=12,
)


def value_node(value: Any) -> graphql.ValueNode:
    """A GraphQL literal for a JSON value (``_Any`` written inline)."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, list):
        return nodes.List([value_node(v) for v in value])
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=value_node(v))
            for k, v in value.items()
            if k.isidentifier()
        ]
    )


SCALARS = {
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat()))
    | st.text(max_size=12).map(nodes.String),
    "DateTime": st.datetimes().map(lambda d: nodes.String(d.isoformat())),
    "_Any": JSON.map(value_node),
}
REPRESENTATIONS = st.lists(
    JSON
    | st.fixed_dictionaries(
        {"__typename": st.sampled_from(["Worker", "worker", "Query"]), "id": JSON}
    ),
    max_size=5,
)
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  __typename ... on Worker { id identity { fullName } cases { id } } } }"""


@pytest.fixture(scope="module")
def hub(stack: Stack) -> Iterator[httpx.Client]:
    """The stack's hub with a rate limit the fuzzer does not reach (429s would hide answers)."""
    env = {**stack.environ, "HUB_RATE_LIMIT_PER_SECOND": "100000", "HUB_RATE_LIMIT_BURST": "100000"}
    headers = {"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"}
    with (
        LoopbackServer(create_app(Settings.from_environ(env))) as server,
        httpx.Client(base_url=server.url, headers=headers, timeout=30) as client,
    ):
        yield client


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    body = response.json()
    for error in body.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", error


def post(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> None:
    check(client.post("/graphql", json={"query": query, "variables": variables}))


def test_valid_queries_from_the_schema(hub: httpx.Client) -> None:
    @settings(BOUNDED, max_examples=300)
    @given(queries(SCHEMA, custom_scalars=SCALARS, allow_x00=True))
    def run(query: str) -> None:
        post(hub, query)

    run()


def test_queries_and_mutations_with_one_violation(hub: httpx.Client) -> None:
    @settings(BOUNDED, max_examples=150)
    @given(from_schema(SCHEMA, custom_scalars=SCALARS, mode=Mode.NEGATIVE))
    def run(query: str) -> None:
        post(hub, query)

    run()


def test_entities_with_arbitrary_representations(hub: httpx.Client) -> None:
    @settings(BOUNDED, max_examples=150)
    @given(REPRESENTATIONS)
    def run(representations: list[Any]) -> None:
        post(hub, ENTITIES, {"r": representations})

    run()
