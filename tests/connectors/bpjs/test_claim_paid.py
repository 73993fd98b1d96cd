"""A claim's payment day end to end: the scenario's ``paidOn``, the sandbox's ``tglBayar``, the
connector's ``ClaimRecord.paid_on``; and the scenario refuses one on an unpaid claim."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from connectors.bpjs import connect
from connectors.bpjs.sandbox import DEV_CREDENTIALS, create_app
from connectors.kit.base import LookupKey
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from connectors.sandbox.serve import LoopbackServer
from schema.enums import ClaimStatus
from schema.scenario import ScenarioError, parse_scenario

FIXTURE = Path(__file__).parents[2] / "fixtures" / "small_scenario.json"
RIZKI, KPJ = "3201011507880007", "21000777001"  # his JHT claim of 10 November 2026

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


def scenario_doc(**claim: object) -> dict:
    doc = json.loads(FIXTURE.read_text())
    doc["people"][2]["bpjs"]["claims"][0].update(claim)
    return doc


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    doc = scenario_doc(status="PAID", paidOn="2026-11-17")
    scenario = parse_scenario(json.dumps(doc))
    app = create_app(SandboxData(scenario), SandboxConfig(credentials=DEV_CREDENTIALS))
    with LoopbackServer(app) as running:
        yield running


async def test_the_payment_day_reaches_the_claim_record(server: LoopbackServer) -> None:
    connector = connect(server.url, DEV_CREDENTIALS)
    try:
        found = await connector.find(LookupKey.NIK, [RIZKI])
        records = await connector.fetch(found[RIZKI])
    finally:
        await connector.aclose()
    (claim,) = records[KPJ].memberships[0].claims
    assert claim.status == ClaimStatus.PAID
    assert claim.submitted_on == date(2026, 11, 10) and claim.paid_on == date(2026, 11, 17)


async def test_a_claim_without_a_payment_day_has_none(small_scenario: object) -> None:
    app = create_app(SandboxData(small_scenario), SandboxConfig(credentials=DEV_CREDENTIALS))
    with LoopbackServer(app) as running:
        connector = connect(running.url, DEV_CREDENTIALS)
        try:
            found = await connector.find(LookupKey.NIK, [RIZKI])
            records = await connector.fetch(found[RIZKI])
        finally:
            await connector.aclose()
    (claim,) = records[KPJ].memberships[0].claims
    assert claim.paid_on is None


@pytest.mark.parametrize(
    ("claim", "problem"),
    [
        ({"paidOn": "2026-11-17"}, "only a PAID claim has paidOn"),  # still SUBMITTED
        ({"status": "PAID", "paidOn": "2026-11-09"}, "paid before it was submitted"),
    ],
)
def test_the_scenario_refuses_an_impossible_payment_day(claim: dict, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(json.dumps(scenario_doc(**claim)))
    (issue,) = [str(i) for i in caught.value.issues]
    assert issue == f"$.people[2].bpjs.claims[0].paidOn: {problem}"
