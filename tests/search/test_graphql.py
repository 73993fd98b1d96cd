"""``searchWorkers`` through the real hub over HTTP: four sandboxes synced into the index, on
SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from sqlmodel import select as sqlmodel_select

from hub.audit.tables import AuditEntryRow
from hub.crosswalk import AgencyRecordRow
from hub.search.index import RECORD, TERM
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.databases import throwaway_postgres
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.e2e

SEARCH = """query Find($q: String!, $born: Date, $country: String, $first: Int, $after: String) {
  searchWorkers(query: $q, birthDate: $born, country: $country, first: $first, after: $after) {
    edges { score cursor node { id identity { fullName birthDate } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
IDS_ONLY = (
    """query Peek($q: String!) { searchWorkers(query: $q) { edges { score node { id } } } }"""
)
BY_NIK = """query($nik: String!) { workerBy(nik: $nik) { id } }"""
SITI, RIZKI, NURHAYATI = "3506124508900003", "3201011507880007", "3525146102930001"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def stack(
    request: pytest.FixtureRequest,
    small_scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    """The same hub on each backend: the sync fills the index, the API searches it."""
    with ExitStack() as context:
        url = None
        if request.param == "postgres":
            url = context.enter_context(throwaway_postgres("pmihub_search_api"))
        folder = tmp_path_factory.mktemp(f"search-{request.param}")
        yield context.enter_context(running_stack(small_scenario, folder, database_url=url))


def ok(response: Any) -> Any:
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"]["searchWorkers"]


def worker_id(stack: Stack, nik: str) -> str:
    return ok_by_nik(stack.graphql(BY_NIK, {"nik": nik}))


def ok_by_nik(response: Any) -> str:
    return str(response.json()["data"]["workerBy"]["id"])


def search(stack: Stack, q: str, **variables: Any) -> list[tuple[str, float]]:
    found = ok(stack.graphql(SEARCH, {"q": q, **variables}))
    return [(e["node"]["id"], e["score"]) for e in found["edges"]]


def errors(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert response.status_code == 200, body
    assert body["data"] is None, body
    return body["errors"]


def audit_rows(stack: Stack) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = list(session.exec(sqlmodel_select(AuditEntryRow)))
    engine.dispose()
    return rows


def test_the_sync_filled_the_index(stack: Stack) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with engine.connect() as connection:
        records = connection.scalar(select(func.count()).select_from(RECORD))
        linked = connection.scalar(select(func.count()).select_from(AgencyRecordRow))
        terms = connection.scalar(select(func.count()).select_from(TERM))
    engine.dispose()
    assert records == linked >= 14 and terms > records  # every record the sync linked


def test_a_misspelt_name_finds_the_worker_with_her_identity(stack: Stack) -> None:
    found = ok(stack.graphql(SEARCH, {"q": "siti aminha"}))
    first = found["edges"][0]
    assert first["node"]["id"] == worker_id(stack, SITI)
    assert first["node"]["identity"]["birthDate"] == "1990-08-05"
    assert 0.8 < first["score"] < 1.0


@pytest.mark.parametrize(
    ("typed", "nik"),
    [
        ("SITI AMINAH BT SAHRONI", SITI),
        ("Moch. Rizky", RIZKI),
        ("Nur Hayati", NURHAYATI),
        ("nurhayati binti karno", NURHAYATI),
    ],
)
def test_variants_of_a_name(stack: Stack, typed: str, nik: str) -> None:
    assert search(stack, typed)[0][0] == worker_id(stack, nik)


def test_filters_by_birth_date_swapped_or_not_and_by_country(stack: Stack) -> None:
    siti = worker_id(stack, SITI)
    assert search(stack, "Siti Aminah", born="1990-08-05")[0] == (siti, 1.0)
    swapped = search(stack, "Siti Aminah", born="1990-05-08")
    assert swapped[0][0] == siti and swapped[0][1] < 1.0
    assert search(stack, "Siti Aminah", born="1991-08-05") == []
    # countries come from P2MI's placements (HK, KR) and the missions' lapor diri
    assert search(stack, "Siti Aminah", country="HK")[0][0] == siti
    assert search(stack, "Siti Aminah", country="KR") == []
    assert search(stack, "Muhammad Rizki", country="KR")[0][0] == worker_id(stack, RIZKI)


@pytest.mark.parametrize(
    "typed", [SITI, "C1234567", "24001234567", "PMI-3506-2024-0001234", "AK1-2024-000123"]
)
def test_identifiers_in_the_same_box(stack: Stack, typed: str) -> None:
    assert search(stack, typed) == [(worker_id(stack, SITI), 1.0)]


def test_pages_with_cursors_have_no_duplicates(stack: Stack) -> None:
    # two people, each matching one of the words: Siti Aminah and Rina Wulandari
    everyone = search(stack, "Rina Aminah", first=100)
    assert len(everyone) >= 2
    seen: list[tuple[str, float]] = []
    after = None
    while True:
        page = ok(stack.graphql(SEARCH, {"q": "Rina Aminah", "first": 1, "after": after}))
        seen.extend((e["node"]["id"], e["score"]) for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert seen == everyone


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"q": ""}, "query"),
        ({"q": "x" * 101}, "query"),
        ({"q": "siti 12"}, "query"),
        ({"q": "Siti", "first": 0}, "first"),
        ({"q": "Siti", "first": 101}, "first"),
        ({"q": "Siti", "after": "garbage"}, "after"),
        ({"q": "Siti", "country": "Hong Kong"}, "country"),
        ({"q": "Siti", "born": "2030-01-01"}, "birthDate"),
    ],
)
def test_bad_input_is_a_typed_error_and_records_no_read(
    stack: Stack, variables: dict[str, Any], argument: str
) -> None:
    before = len(audit_rows(stack))
    (error,) = errors(stack.graphql(SEARCH, variables))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert " / " in error["message"]
    assert len(audit_rows(stack)) == before


def test_a_malformed_date_is_a_typed_error(stack: Stack) -> None:
    body = stack.graphql(SEARCH, {"q": "Siti", "born": "05-08-1990"}).json()
    assert body["errors"][0]["extensions"]["code"]


def test_without_the_identity_scope_the_search_is_refused_and_recorded(stack: Stack) -> None:
    response = stack.graphql(
        IDS_ONLY, {"q": "Siti Aminah"}, scope="placement:read", purpose="CASE_HANDLING"
    )
    (error,) = errors(response)
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "worker.identity:read" in error["message"]
    refused = [r for r in audit_rows(stack) if r.operation == "Peek" and r.outcome == "REFUSED"]
    assert refused and refused[-1].worker_id is None


def test_without_a_purpose_nothing_is_searched(stack: Stack) -> None:
    (error,) = errors(stack.graphql(IDS_ONLY, {"q": "Siti Aminah"}, purpose=None))
    assert error["extensions"]["code"] == "PURPOSE_REQUIRED"


def test_every_worker_a_search_returns_is_in_the_audit_trail(stack: Stack) -> None:
    found = ok(stack.graphql(IDS_ONLY, {"q": "Siti Aminah"}))
    returned = {e["node"]["id"] for e in found["edges"]}
    assert returned
    rows = [r for r in audit_rows(stack) if r.operation == "Peek" and r.outcome == "READ"]
    assert returned <= {r.worker_id for r in rows}
    assert all(r.categories == "identity" and r.purpose == "EMERGENCY" for r in rows)
