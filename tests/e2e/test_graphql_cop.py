"""graphql-cop's probes, written as tests against a production-mode hub over HTTP.

Each test makes the request graphql-cop makes (github.com/dolevf/graphql-cop, lib/tests/),
applies its finding rule, and asserts there is no finding; then asserts the refusal is the
hub's typed one. The scanner runs with a valid token and purpose, as an authenticated
attacker would, so nothing is hidden behind a 401.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.production import ProductionHub, production_hub
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hub(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionHub]:
    with production_hub(stack.environ, tmp_path_factory.mktemp("production")) as running:
        yield running


def cop(hub: ProductionHub, query: str, *, batch: bool = False) -> httpx.Response:
    """graphql-cop's ``graph_query``: a JSON POST named ``cop``, or ten of them in an array."""
    payload: Any = [{"query": query}] * 10 if batch else {"query": query, "operationName": "cop"}
    response = httpx.post(f"{hub.url}/graphql", json=payload, headers=hub.headers(), timeout=30)
    typed(response)
    return response


def typed(response: httpx.Response) -> list[str]:
    """Every answer is JSON, below 500, without a trace, each error with its code."""
    assert response.status_code < 500
    assert "Traceback" not in response.text
    body = response.json()
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes
    return codes


def data(response: httpx.Response) -> Any:
    body = response.json()
    return body.get("data") if isinstance(body, dict) else None


def test_alias_overloading(hub: ProductionHub) -> None:
    aliases = "".join(f"alias{i}:__typename \n" for i in range(101))
    response = cop(hub, "query cop { " + aliases + " }")
    assert not (data(response) or {}).get("alias100")
    assert typed(response) == ["TOO_MANY_ALIASES"]


def test_array_based_batching(hub: ProductionHub) -> None:
    response = cop(hub, "query cop { __typename }", batch=True)
    assert not isinstance(response.json(), list)
    assert response.status_code == 400 and typed(response) == ["BAD_REQUEST"]


def test_directive_overloading(hub: ProductionHub) -> None:
    response = cop(hub, "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }")
    assert len(response.json()["errors"]) != 10
    assert typed(response) == ["TOO_MANY_DIRECTIVES"]


def test_field_duplication(hub: ProductionHub) -> None:
    response = cop(hub, "query cop { " + "__typename \n" * 500 + "} ")
    assert not (data(response) or {}).get("__typename")
    assert typed(response) == ["FIELD_REPEATED"]


def test_introspection_based_circular_query(hub: ProductionHub) -> None:
    query = (
        "query cop { __schema { types { fields { type { fields { type { fields { type "
        "{ fields { type { name } } } } } } } } } } }"
    )
    response = cop(hub, query)
    assert not (data(response) or {}).get("__schema")
    assert typed(response) == ["INTROSPECTION_DISABLED"]


def test_introspection(hub: ProductionHub) -> None:
    response = cop(hub, "query cop { __schema { types { name fields { name } } } }")
    assert not (data(response) or {}).get("__schema")
    assert typed(response) == ["INTROSPECTION_DISABLED"]


def test_field_suggestions(hub: ProductionHub) -> None:
    for query in ("query cop { __schema { directive } }", "query cop { mee { clientId } }"):
        response = cop(hub, query)
        assert "Did you mean" not in response.json()["errors"][0]["message"]
        assert typed(response) in (["INTROSPECTION_DISABLED"], ["GRAPHQL_VALIDATION_FAILED"])


@pytest.mark.parametrize("query", ["query cop {__typename}", "mutation cop {__typename}"])
def test_get_based_queries_and_mutations(hub: ProductionHub, query: str) -> None:
    response = httpx.get(
        f"{hub.url}/graphql", params={"query": query}, headers=hub.headers(), timeout=10
    )
    assert not data(response)
    assert response.status_code == 405 and typed(response) == ["METHOD_NOT_ALLOWED"]


def test_post_url_encoded(hub: ProductionHub) -> None:
    response = httpx.post(
        f"{hub.url}/graphql",
        data={"query": "query cop { __typename }"},
        headers=hub.headers(),
        timeout=10,
    )
    assert not data(response)
    assert response.status_code == 400 and typed(response) == ["BAD_REQUEST"]


@pytest.mark.parametrize("path", ["/graphql", "/graphiql", "/playground", "/console/graphiql"])
def test_no_graphql_ide(hub: ProductionHub, path: str) -> None:
    response = httpx.get(f"{hub.url}{path}", headers={"Accept": "text/html"}, timeout=10)
    heuristics = ("graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground")
    assert not any(word in response.text for word in heuristics)
    assert response.status_code >= 400


def test_no_trace_mode(hub: ProductionHub) -> None:
    response = cop(hub, "query cop { __typename }")
    assert "tracing" not in str(response.json()).lower()
    assert data(response) == {"__typename": "Query"} and typed(response) == []


def test_unhandled_errors(hub: ProductionHub) -> None:
    response = cop(hub, "qwerty cop { abc }")
    error = response.json()["errors"][0]
    assert "exception" not in error["extensions"] and "stacktrace" not in str(error).lower()
    assert typed(response) == ["GRAPHQL_PARSE_FAILED"]
