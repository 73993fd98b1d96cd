"""Crisis roll-call marks (Mutation.markReached): who may mark whom, and what a mark leaves.

The adversary's questions, each a test: can a client without the cohort scope, without
case:write, or under another purpose mark anyone (no); can an officer of one mission mark a
worker of another, or a worker no crisis cohort holds (no, and nothing is stored); does a
mark open a case, reach a case feed or a webhook (no); what does it store (the worker id,
reached or not, when, the mission, who: no free text); is it audited and visible in the
worker's own access log (yes), and does the crisis cohort show the latest one (yes).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hub.audit.pages import access_page
from hub.audit.tables import AuditEntryRow
from hub.cases.tables import CaseEventRow, CaseRow, DeliveryRow
from hub.census.tables import ContactMarkRow
from hub.storage import make_engine
from tests.census.conftest import census, mission_officer, rows
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

MARK = ContactMarkRow.__table__  # type: ignore[attr-defined]
ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
MARK_REACHED = """mutation MarkReached($w: ID!, $r: Boolean!) {
  markReached(workerId: $w, reached: $r) { workerId reached markedAt missionCode } }"""
COHORT_MARKS = """query CohortMarks($f: CohortFilter!) { cohort(filter: $f, first: 200) {
  edges { node { id } contactMark { workerId reached markedAt missionCode } } } }"""


def marks_of(stack: Stack, worker_id: str | None = None) -> list[Any]:
    query = select(MARK).order_by(MARK.c.id)
    if worker_id is not None:
        query = query.where(MARK.c.worker_id == worker_id)
    return rows(stack, query)


def count(stack: Stack, table: Any) -> int:
    return int(rows(stack, select(func.count()).select_from(table))[0][0])


def of_mission(stack: Stack, mission: str, n: int = 1) -> list[str]:
    found = sorted(w for w, r in census(stack).items() if r.mission_code == mission)
    assert len(found) >= n, (mission, found)
    return found[:n]


def marked(worker_id: str) -> Any:
    """The audit entries of MarkReached operations on one worker."""
    return ENTRY.c.operation.startswith("MarkReached") & (ENTRY.c.worker_id == worker_id)


def mark(stack: Stack, worker_id: str, reached: bool = True, **kw: Any) -> Any:
    return stack.graphql(MARK_REACHED, {"w": worker_id, "r": reached}, **kw).json()


def test_an_officer_marks_a_person_of_their_missions_cohort_and_the_cohort_shows_the_latest(
    stack: Stack,
) -> None:
    token = mission_officer(stack, "TPE")
    (worker,) = of_mission(stack, "TPE")
    first = mark(stack, worker, True, token=token)
    assert "errors" not in first, first
    assert first["data"]["markReached"]["workerId"] == worker
    assert first["data"]["markReached"]["reached"] is True
    assert first["data"]["markReached"]["missionCode"] == "TPE"
    again = mark(stack, worker, False, token=token)["data"]["markReached"]
    assert again["reached"] is False
    assert again["markedAt"] >= first["data"]["markReached"]["markedAt"]
    body = stack.graphql(COHORT_MARKS, {"f": {"missionCode": "TPE"}}, token=token).json()
    assert "errors" not in body, body
    shown = {e["node"]["id"]: e["contactMark"] for e in body["data"]["cohort"]["edges"]}
    assert shown[worker] == again  # the latest mark, not the first
    unmarked = [w for w in shown if not marks_of(stack, w)]
    assert unmarked and all(shown[w] is None for w in unmarked)


def test_a_mark_stores_who_when_and_which_mission_and_nothing_else(stack: Stack) -> None:
    (worker,) = of_mission(stack, "HKG")
    body = mark(stack, worker, True, client="embassy-system", purpose="CASE_HANDLING")
    assert "errors" not in body, body
    assert set(MARK.c.keys()) == {
        "id",
        "worker_id",
        "reached",
        "mission_code",
        "marked_at",
        "marked_by",
        "client_id",
        "purpose",
    }
    stored = marks_of(stack, worker)[-1]
    assert stored.reached is True and stored.mission_code == "HKG"
    assert stored.client_id == "embassy-system" and stored.purpose == "CASE_HANDLING"


def test_a_mark_opens_no_case_and_reaches_no_case_feed_or_webhook(stack: Stack) -> None:
    stack.graphql(  # a webhook receiving every case event the client reads
        'mutation { registerWebhook(url: "http://127.0.0.1:9/hook") { webhook { id } } }'
    )
    tables = (CaseRow.__table__, CaseEventRow.__table__, DeliveryRow.__table__)  # type: ignore[attr-defined]
    before = [count(stack, t) for t in tables]
    cases = "query($w: ID!) { worker(id: $w) { cases { id } } }"
    (worker,) = of_mission(stack, "KUL")
    seen = stack.graphql(cases, {"w": worker}).json()["data"]["worker"]["cases"]
    assert "errors" not in mark(stack, worker, True)
    assert "errors" not in mark(stack, worker, False)
    assert [count(stack, t) for t in tables] == before
    assert stack.graphql(cases, {"w": worker}).json()["data"]["worker"]["cases"] == seen


def test_a_mark_is_audited_and_in_the_workers_own_access_log(stack: Stack) -> None:
    (worker,) = of_mission(stack, "RUH")
    assert "errors" not in mark(stack, worker, True)
    entries = rows(stack, select(ENTRY).where(marked(worker)))
    assert [(e.outcome, e.purpose, e.categories) for e in entries] == [
        ("READ", "EMERGENCY", "consular")
    ]
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        log = access_page(engine, worker, 20, None)
    finally:
        engine.dispose()
    assert any(r.operation.startswith("MarkReached") for r in log.entries)


@pytest.mark.parametrize(
    ("client", "scope", "purpose", "code"),
    [
        ("p2mi-system", None, "CASE_HANDLING", "FORBIDDEN"),  # case:write, no cohort:read
        ("embassy-system", "cohort:read emergency", "EMERGENCY", "FORBIDDEN"),  # no case:write
        ("embassy-system", None, "CLAIM_PROCESSING", "PURPOSE_NOT_ALLOWED"),
        ("embassy-system", None, None, "PURPOSE_REQUIRED"),
        ("bpjs-system", None, "CLAIM_PROCESSING", "FORBIDDEN"),
    ],
)
def test_marking_needs_the_cohort_scope_case_write_and_a_crisis_purpose(
    stack: Stack, client: str, scope: str | None, purpose: str | None, code: str
) -> None:
    (worker,) = of_mission(stack, "TPE")
    before = len(marks_of(stack))
    name = f"MarkRefused{client.split('-')[0]}{scope is None}{purpose}"
    query = MARK_REACHED.replace("MarkReached", name, 1)
    variables = {"w": worker, "r": True}
    body = stack.graphql(query, variables, client=client, scope=scope, purpose=purpose)
    assert body.json()["errors"][0]["extensions"]["code"] == code
    assert len(marks_of(stack)) == before
    refused = rows(stack, select(ENTRY).where(ENTRY.c.operation.startswith(name)))
    assert [e.outcome for e in refused] == ["REFUSED"]


def test_an_officer_cannot_mark_another_missions_worker_nor_one_outside_the_census(
    stack: Stack,
) -> None:
    token = mission_officer(stack, "TPE")
    (other,) = of_mission(stack, "HKG")
    before = len(marks_of(stack))
    body = mark(stack, other, True, token=token)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    refused = rows(stack, select(ENTRY).where(marked(other)))
    assert "REFUSED" in [e.outcome for e in refused]  # the attempt is on record
    unknown = "wk_" + "0" * 20
    body = mark(stack, unknown, True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = mark(stack, "not-a-worker", True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(marks_of(stack)) == before


def test_a_worker_cannot_mark_themself(stack: Stack) -> None:
    (worker,) = of_mission(stack, "KUL")
    before = len(marks_of(stack))
    own = stack.mint_token(worker, ["self"], "SELF_SERVICE")
    body = mark(stack, worker, True, token=own, purpose="SELF_SERVICE")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no cohort:read
    assert len(marks_of(stack)) == before


def test_a_retried_mark_with_its_idempotency_key_is_one_mark(stack: Stack) -> None:
    token = mission_officer(stack, "TPE")
    (worker,) = of_mission(stack, "TPE")
    before = len(marks_of(stack, worker))
    retry = {"token": token, "headers": {"Idempotency-Key": "roll-call-tpe-17"}}
    first = mark(stack, worker, True, **retry)
    assert "errors" not in first, first
    assert mark(stack, worker, True, **retry) == first  # the first answer, no second mark
    assert len(marks_of(stack, worker)) == before + 1
    other = mark(stack, worker, False, **retry)  # the key reused for another answer
    assert other["data"] is None
    assert other["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(marks_of(stack, worker)) == before + 1


def test_an_unknown_or_malformed_worker_id_is_a_recorded_refusal_and_no_mark(
    stack: Stack,
) -> None:
    # given
    before = len(marks_of(stack))
    unknown = "wk_" + "f" * 20
    # when
    asked = {
        "MarkUnknownWorker": (unknown, "NOT_FOUND"),
        "MarkMalformedWorker": ("not-a-worker", "BAD_USER_INPUT"),
    }
    for name, (worker, code) in asked.items():
        query = MARK_REACHED.replace("MarkReached", name, 1)
        body = stack.graphql(query, {"w": worker, "r": True}).json()
        assert body["errors"][0]["extensions"]["code"] == code
    # then
    refused = rows(stack, select(ENTRY).where(ENTRY.c.operation.in_(list(asked))))
    found = sorted((e.operation, e.outcome, e.worker_id, e.categories, e.reason) for e in refused)
    assert found == [
        ("MarkMalformedWorker", "REFUSED", None, "consular", "BAD_USER_INPUT workerId"),
        ("MarkUnknownWorker", "REFUSED", unknown, "consular", "NOT_FOUND worker"),
    ]
    assert len(marks_of(stack)) == before
