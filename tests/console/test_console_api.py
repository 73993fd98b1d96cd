"""The fields the console's result rows and pages added to the API, over HTTP against the
console's stack, with their access decided by the policy: why a result matched, the newest
passport's last four characters, the missions' public directory, agency names in words."""

from __future__ import annotations

import httpx
import pytest

from hub.graphql.policy import POLICY, Gate
from tests.console.conftest import SITI, ConsoleStack

pytestmark = pytest.mark.e2e

SEARCH = """query($q: String!) { searchWorkers(query: $q, first: 5) {
  edges { matchedOn node { id identity { passportLast4 } } } } }"""
MISSIONS = "{ missions { code name city country phone } }"


def test_why_a_result_matched_says_what_of_the_query_it_shares(console: ConsoleStack) -> None:
    by_nik = console.stack.graphql(SEARCH, {"q": SITI}).json()["data"]["searchWorkers"]
    assert [e["matchedOn"] for e in by_nik["edges"]] == [["NIK"]]
    assert by_nik["edges"][0]["node"]["identity"]["passportLast4"] == "4567"  # C1234567
    by_passport = console.stack.graphql(SEARCH, {"q": "C1234567"}).json()["data"]
    assert by_passport["searchWorkers"]["edges"][0]["matchedOn"] == ["PASSPORT"]
    by_name = console.stack.graphql(SEARCH, {"q": "siti aminnah"}).json()["data"]
    reasons = by_name["searchWorkers"]["edges"][0]["matchedOn"]
    assert reasons in (["NAME"], ["NAME_SIMILAR"])


def test_the_last_four_passport_characters_are_identity_data(console: ConsoleStack) -> None:
    assert POLICY["Identity.passportLast4"].within == "Worker.identity"
    assert POLICY["WorkerEdge.matchedOn"].within == "Query.searchWorkers"
    # a token without worker.identity:read reaches neither the search nor the identity
    token = console.stack.mint_token("auditor", ["audit:read"], "CASE_HANDLING")
    body = console.stack.graphql(SEARCH, {"q": SITI}, token=token, purpose=None).json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "4567" not in str(body)


def test_the_missions_are_public_reference_data_with_their_numbers(
    console: ConsoleStack,
) -> None:
    assert POLICY["Query.missions"].purposes is None and POLICY["Query.missions"].scopes == ()
    assert POLICY["Mission.phone"].gate is Gate.PUBLIC
    # any signed-in token, even a worker's, reads them; no purpose needed, nothing personal
    token = console.stack.mint_token("pekerja.x", ["self"], "SELF_SERVICE")
    missions = console.stack.graphql(MISSIONS, token=token, purpose=None).json()["data"]
    by_code = {m["code"]: m for m in missions["missions"]}
    assert by_code["HKG"]["phone"] == "+852 2890 4421" and by_code["HKG"]["country"] == "HK"
    assert len(by_code) > 20
    # never without a token
    anonymous = httpx.post(f"{console.stack.hub_url}/graphql", json={"query": MISSIONS})
    assert anonymous.status_code == 401
