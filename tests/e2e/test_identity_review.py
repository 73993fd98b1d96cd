"""The identity review API over HTTP with real tokens: scope identity:admin, typed errors."""

from __future__ import annotations

import pytest

from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

LIST = """query { matchCandidates(first: 5) { totalCount edges { node { id status } }
  pageInfo { hasNextPage } } }"""
CONFIRM = "mutation($id: ID!) { confirmMatch(id: $id) { id status } }"


def test_an_identity_officer_reads_the_queue_and_others_are_refused(stack: Stack) -> None:
    admin = stack.mint_token("petugas.identitas", ["identity:admin"], purpose="CASE_HANDLING")
    listed = stack.graphql(LIST, token=admin, purpose=None).json()
    assert "errors" not in listed
    page = listed["data"]["matchCandidates"]
    assert page["totalCount"] == len(page["edges"]) and not page["pageInfo"]["hasNextPage"]

    unknown = stack.graphql(CONFIRM, {"id": "mc_999999"}, token=admin, purpose=None).json()
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    agency = stack.graphql(LIST).json()  # the embassy system's token has no identity:admin
    assert agency["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert agency["data"] is None
