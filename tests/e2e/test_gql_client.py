"""The README's Python example: the `gql` client with a bearer token and a purpose."""

from __future__ import annotations

import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport

from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def test_the_gql_client_reads_a_worker(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"}
    client = Client(transport=HTTPXTransport(url=f"{stack.hub_url}/graphql", headers=headers))
    query = gql("""
      query ($nik: String!) {
        workerBy(nik: $nik) {
          identity { fullName passports { number expiresOn } }
          placements { placementId status employer { name city } agency { name licenseStatus } }
          socialSecurity { kpj coverages { program phase start end active } }
          protection { level complete findings { code severity message(lang: EN) } }
          sources { agency state fetchedAt }
        }
      }""")
    query.variable_values = {"nik": "3506124508900003"}
    result = client.execute(query)
    worker = result["workerBy"]
    assert worker["placements"][0]["agency"]["licenseStatus"] == "ACTIVE"
    assert worker["protection"]["complete"] is True
