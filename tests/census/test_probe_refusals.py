"""What the December probe found around cohorts, alerts, cases and access logs, each a test.

- An officer bound to one mission asking for another mission's cohort or alerts is refused
  (FORBIDDEN), and like every refusal the attempt is in the audit trail.
- ``accessLog`` with a malformed worker id is BAD_USER_INPUT: nothing of it reaches the audit
  trail (a 100,000-character or NUL-holding "worker id" used to be written there as given).
- A case the hub opens changes the worker's verdict (CRITICAL_CASE): the census takes the
  worker at its next run, so the crisis cohort and the protection alerts follow the case, not
  the next day's full run.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.tables import AuditEntryRow
from tests.cases._live import next_message, ws_connect
from tests.census.conftest import census, mission_officer, rows, wait_for_census
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]


def entries(stack: Stack, operation: str) -> list[Any]:
    return rows(stack, select(ENTRY).where(ENTRY.c.operation.startswith(operation)))


def test_another_missions_cohort_is_refused_and_the_attempt_recorded(stack: Stack) -> None:
    token = mission_officer(stack, "HKG")
    query = """query CohortOfAnother($f: CohortFilter!) { cohort(filter: $f, first: 5) {
      totalCount } }"""
    body = stack.graphql(query, {"f": {"missionCode": "TPE"}}, token=token).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = entries(stack, "CohortOfAnother")
    assert [(e.outcome, e.reason) for e in refused] == [("REFUSED", "FORBIDDEN mission TPE")]


def test_another_missions_alerts_are_refused_and_the_attempt_recorded(stack: Stack) -> None:
    token = mission_officer(stack, "HKG")
    query = """query AlertsOfAnother($m: String) { protectionAlerts(missionCode: $m) { id } }"""
    body = stack.graphql(query, {"m": "TPE"}, token=token).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = entries(stack, "AlertsOfAnother")
    assert [(e.outcome, e.reason) for e in refused] == [("REFUSED", "FORBIDDEN mission TPE")]


@pytest.mark.parametrize(
    ("n", "given"),
    list(enumerate(["x" * 100_000, "wk_\u0000", "../../etc", "wk_0001", "wk_" + "0" * 20 + "\n"])),
)
def test_a_malformed_worker_id_in_access_log_is_bad_input_and_never_recorded(
    stack: Stack, n: int, given: str
) -> None:
    name = f"MalformedLog{n}"
    query = f"""query {name}($w: ID!) {{ accessLog(workerId: $w, first: 5) {{
      entries {{ operation }} }} }}"""
    auditor = stack.mint_token("auditor.probe", ["audit:read"], "CASE_HANDLING")
    body = stack.graphql(query, {"w": given}, token=auditor, purpose="CASE_HANDLING").json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert body["data"] is None
    assert entries(stack, name) == []


def test_a_case_opened_by_the_hub_reaches_the_census_at_its_next_run(stack: Stack) -> None:
    rows_ = census(stack)
    worker = next(
        w
        for w, r in sorted(rows_.items())
        if r.level == "PROTECTED" and r.mission_code == "TPE" and r.abroad
    )
    opened = stack.graphql(
        """mutation OpenForCensus($i: OpenCaseInput!) { openCase(input: $i) { id } }""",
        {
            "i": {
                "workerId": worker,
                "kind": "DETENTION",
                "severity": "CRITICAL",
                "summary": "Pekerja ditahan majikan; keluarga menghubungi perwakilan",
                "missionCode": "TPE",
            }
        },
    ).json()
    assert "errors" not in opened, opened
    wait_for_census(stack)
    after = census(stack)[worker]
    assert after.level == "EMERGENCY"
    assert "CRITICAL_CASE" in after.findings.split(",")
    alerts = """query AlertsOfTpe { protectionAlerts(missionCode: "TPE") { id workerId } }"""
    listed = stack.graphql(alerts, token=mission_officer(stack, "TPE")).json()
    (alert,) = [a for a in listed["data"]["protectionAlerts"] if a["workerId"] == worker]
    acknowledge = """mutation AckOfAnother($i: ID!) { acknowledgeAlert(id: $i, note: "called") {
      acknowledgedAt } }"""
    body = stack.graphql(acknowledge, {"i": alert["id"]}, token=mission_officer(stack, "HKG"))
    assert body.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    refused = entries(stack, "AckOfAnother")
    assert [(e.outcome, e.worker_id, e.reason) for e in refused] == [
        ("REFUSED", worker, "NOT_FOUND mission")
    ]


def test_another_missions_alert_subscription_is_refused_and_recorded(stack: Stack) -> None:
    token = mission_officer(stack, "HKG")

    async def subscribe() -> dict[str, Any]:
        ws = await ws_connect(stack, {"authorization": f"Bearer {token}", "purpose": "EMERGENCY"})
        try:
            assert (await next_message(ws))["type"] == "connection_ack"
            query = (
                'subscription AlertsOfAnotherLive { protectionAlerts(missionCode: "TPE") { id } }'
            )
            await ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": {"query": query}}))
            return dict(await next_message(ws, 15))
        finally:
            await ws.close()

    answer = asyncio.run(subscribe())
    assert answer["type"] == "error", answer
    assert answer["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = rows(stack, select(ENTRY).where(ENTRY.c.operation == "protectionAlerts"))
    assert ("REFUSED", "petugas.hkg", "FORBIDDEN mission TPE") in [
        (e.outcome, e.subject, e.reason) for e in refused
    ]
