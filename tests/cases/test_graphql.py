"""openCase, updateCaseStatus and Worker.cases through the real hub, sandboxes on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cases._live import (
    NURHAYATI,
    SITI,
    UPDATE,
    WORKER_CASES,
    cases_of,
    open_case,
    worker_id,
)
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def hub_case_count(stack: Stack) -> int:
    service = cases_of(stack).service
    return len(service.for_workers([worker_id(stack, SITI), worker_id(stack, NURHAYATI)]))


def all_hub_cases(stack: Stack) -> list[str]:
    found = cases_of(stack).service.for_workers(
        [worker_id(stack, SITI), worker_id(stack, NURHAYATI)]
    )
    return sorted(c.id for cases in found.values() for c in cases)


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_open_case_resolves_the_mission_and_agencies_and_merges_into_worker_cases(
    stack: Stack,
) -> None:
    siti = worker_id(stack, SITI)
    body = open_case(stack, siti)
    case = body["data"]["openCase"]
    assert case["id"].startswith("CASE-HUB-2026-")
    assert case["status"] == "OPEN" and case["source"] == "HUB" and case["workerId"] == siti
    assert case["mission"] == {"code": "HKG", "name": "KJRI Hong Kong"}  # her lapor diri
    assert {"EMBASSY", "P2MI", "KEMNAKER", "BPJS_KETENAGAKERJAAN"} <= set(case["agencies"])
    assert case["provenance"] == [{"agency": "EMBASSY", "system": "PMIHUB", "recordId": case["id"]}]
    assert [h["event"] for h in case["history"]] == ["OPENED"]
    cases = stack.graphql(WORKER_CASES, {"id": siti}).json()["data"]["worker"]["cases"]
    ids = [c["id"] for c in cases]
    assert case["id"] in ids and "HKG-2026-0042" in ids  # the hub's and the mission's own
    assert {c["source"] for c in cases} == {"HUB", "AGENCY"}


def test_update_case_status_follows_the_lifecycle_and_keeps_history(stack: Stack) -> None:
    siti = worker_id(stack, SITI)
    case_id = open_case(stack, siti, missionCode="hkg", severity="CRITICAL")["data"]["openCase"][
        "id"
    ]
    # another agency's client may not change the embassy's case (its owner: issue #13)
    refused = stack.graphql(
        UPDATE,
        {"id": case_id, "status": "IN_PROGRESS", "note": "Pengacara ditunjuk"},
        client="p2mi-system",
        purpose="CASE_HANDLING",
    ).json()
    assert code(refused) == "FORBIDDEN"
    # an officer of the case's mission may
    officer = stack.mint_token("petugas.hkg", ["case:read", "case:write"], mission="HKG")
    moved = stack.graphql(
        UPDATE,
        {"id": case_id, "status": "IN_PROGRESS", "note": "Pengacara ditunjuk"},
        token=officer,
        purpose="CASE_HANDLING",
    ).json()["data"]["updateCaseStatus"]
    assert moved["status"] == "IN_PROGRESS"
    assert moved["history"][-1] == {
        "event": "STATUS_CHANGED",
        "status": "IN_PROGRESS",
        "previousStatus": "OPEN",
        "note": "Pengacara ditunjuk",
        "agency": None,
    }
    closed = stack.graphql(UPDATE, {"id": case_id, "status": "CLOSED", "note": "Dibebaskan"})
    assert closed.json()["data"]["updateCaseStatus"]["status"] == "CLOSED"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"summary": ""}, "BAD_USER_INPUT"),
        ({"summary": "   "}, "BAD_USER_INPUT"),
        ({"summary": "x" * 2001}, "BAD_USER_INPUT"),
        ({"summary": "x"}, "SUMMARY_TOO_THIN"),
        ({"summary": "lorem ipsum dolor sit amet"}, "SUMMARY_TOO_THIN"),
        ({"missionCode": "ZZZ"}, "UNKNOWN_MISSION"),
        ({"workerId": "wk_00000000000000000000"}, "NOT_FOUND"),
        ({"workerId": "3506124508900003"}, "BAD_USER_INPUT"),
        ({"kind": "HAPPY"}, "BAD_USER_INPUT"),
    ],
)
def test_bad_open_case_input_is_typed_and_changes_nothing(
    stack: Stack, changes: dict[str, Any], expected: str
) -> None:
    before = all_hub_cases(stack)
    response = open_case(stack, worker_id(stack, SITI), **changes)
    assert response.get("data") is None or response["data"].get("openCase") is None
    assert code(response) == expected
    assert all_hub_cases(stack) == before


def test_case_write_and_purpose_are_required(stack: Stack) -> None:
    siti = worker_id(stack, SITI)
    before = all_hub_cases(stack)
    no_scope = open_case(
        stack, siti, graphql={"client": "bpjs-system", "purpose": "CLAIM_PROCESSING"}
    )
    assert code(no_scope) == "FORBIDDEN" and "case:write" in str(no_scope)
    no_purpose = open_case(stack, siti, graphql={"purpose": None})
    assert code(no_purpose) == "PURPOSE_REQUIRED"
    assert all_hub_cases(stack) == before


@pytest.mark.parametrize(
    ("status", "note", "expected"),
    [
        ("OPEN", "again", "BAD_TRANSITION"),
        ("IN_PROGRESS", "", "BAD_USER_INPUT"),
        ("IN_PROGRESS", "n" * 2001, "BAD_USER_INPUT"),
    ],
)
def test_bad_updates_are_typed_and_change_nothing(
    stack: Stack, status: str, note: str, expected: str
) -> None:
    case_id = open_case(stack, worker_id(stack, NURHAYATI), missionCode="TPE")["data"]["openCase"][
        "id"
    ]
    body = stack.graphql(UPDATE, {"id": case_id, "status": status, "note": note}).json()
    assert code(body) == expected
    stored = cases_of(stack).service.get(case_id)
    assert stored is not None and stored.status == "OPEN" and len(stored.history) == 1


def test_unknown_case_and_embassy_case_ids_are_not_found(stack: Stack) -> None:
    for case_id in ("CASE-HUB-2026-999999", "HKG-2026-0042", "x" * 5000):
        body = stack.graphql(UPDATE, {"id": case_id, "status": "CLOSED", "note": "n"}).json()
        assert code(body) == "NOT_FOUND"


def test_opening_a_case_is_in_the_audit_trail(stack: Stack) -> None:
    siti = worker_id(stack, SITI)
    open_case(stack, siti, graphql={"client": "p2mi-system", "purpose": "CASE_HANDLING"})
    from sqlmodel import Session, col, select

    from hub.audit.tables import AuditEntryRow

    with Session(cases_of(stack).engine) as session:
        rows = session.exec(
            select(AuditEntryRow)
            .where(col(AuditEntryRow.client_id) == "p2mi-system")
            .where(col(AuditEntryRow.operation) == "Open")
        ).all()
    assert rows and rows[-1].worker_id == siti and "case" in rows[-1].categories


def test_a_critical_case_opened_at_the_hub_counts_in_the_verdict(stack: Stack) -> None:
    query = """query($id: ID!) { worker(id: $id) { protection { level findings {
        code evidence { agency system recordId } } } } }"""
    siti = worker_id(stack, SITI)

    def critical_evidence() -> tuple[str, set[str]]:
        protection = stack.graphql(query, {"id": siti}).json()["data"]["worker"]["protection"]
        ids = {
            e["recordId"]
            for f in protection["findings"]
            if f["code"] == "CRITICAL_CASE"
            for e in f["evidence"]
            if e["system"] == "PMIHUB"
        }
        return protection["level"], ids

    case_id = open_case(stack, siti, severity="CRITICAL")["data"]["openCase"]["id"]
    level, ids = critical_evidence()
    assert level == "EMERGENCY" and case_id in ids
    closed = stack.graphql(UPDATE, {"id": case_id, "status": "CLOSED", "note": "Dibebaskan"})
    assert closed.json()["data"]["updateCaseStatus"]["status"] == "CLOSED"
    assert case_id not in critical_evidence()[1]


# placed in Johor Bahru, never reported to a mission: known to SISKOP2MI only
UNREPORTED = {
    "key": "unreported-johor",
    "nik": "3509154407960003",
    "name": "Ani Suryani",
    "birthDate": "1996-07-04",
    "sex": "FEMALE",
    "p2mi": {
        "pmiId": "PMI-3509-2025-0000443",
        "placements": [
            {
                "placementId": "PL-2025-0000443",
                "status": "WORKING",
                "scheme": "PRIVATE_AGENCY",
                "country": "MY",
                "occupation": "Factory operator",
                "sector": "MANUFACTURING",
                "agencyLicense": "KEP.045/2021",
                "employer": {
                    "name": "Southern Gloves Sdn Bhd",
                    "country": "MY",
                    "city": "Johor Bahru",
                },
                "contractStart": "2025-02-01",
                "contractEnd": "2027-01-31",
                "orientationCompleted": True,
                "departedOn": "2025-02-01",
            }
        ],
    },
}


def test_a_case_for_a_worker_who_never_reported_goes_to_the_mission_where_she_works(
    stack: Stack,
) -> None:
    # given: a worker abroad whom no mission has on record
    with stack.sandbox("p2mi") as p2mi:
        assert p2mi.post("/_sandbox/people", json=UNREPORTED).status_code == 200
    by_nik = "query($n: String!) { workerBy(nik: $n) { id } }"
    worker = stack.graphql(by_nik, {"n": UNREPORTED["nik"]}).json()["data"]["workerBy"]["id"]
    # when a case is opened without naming a mission
    case = open_case(stack, worker)["data"]["openCase"]
    # then: Malaysia has six missions; the consulate in her employer's city takes it
    assert case["mission"] == {"code": "JHB", "name": "KJRI Johor Bahru"}
