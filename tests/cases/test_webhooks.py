"""Webhooks through the real hub: signed, retried with backoff, delivered once acknowledged."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, col, select

from connectors.sandbox.serve import LoopbackServer, free_port
from hub.cases.signing import SignatureError, verify
from hub.cases.tables import DeliveryRow
from tests.cases._live import REGISTER, SITI, Receiver, cases_of, open_case, worker_id
from tests.e2e.stack import Stack
from tests.eventually import eventually

pytestmark = pytest.mark.e2e


def register(stack: Stack, url: str, mission: str | None = "HKG") -> tuple[str, str]:
    body = stack.graphql(REGISTER, {"url": url, "m": mission}).json()
    registration = body["data"]["registerWebhook"]
    return registration["webhook"]["id"], registration["secret"]


def for_case(receiver: Receiver, case_id: str) -> list[tuple[dict[str, str], bytes]]:
    with receiver.lock:
        return [(h, b) for h, b in receiver.received if case_id.encode() in b]


def test_an_event_is_delivered_signed_and_once(stack: Stack) -> None:
    receiver = Receiver()
    with LoopbackServer(receiver.app()) as server:
        hook_id, secret = register(stack, f"{server.url}/hook")
        assert secret.startswith("whsec_")
        case_id = open_case(stack, worker_id(stack, SITI))["data"]["openCase"]["id"]
        eventually(lambda: len(for_case(receiver, case_id)) == 1)
        headers, body = for_case(receiver, case_id)[0]
        verify(secret, headers, body)  # raises unless the hub signed it with this secret
        with pytest.raises(SignatureError):
            verify(secret, headers, body + b" ")
        with pytest.raises(SignatureError):
            verify("whsec_" + "A" * 44, headers, body)
        payload = receiver.bodies()[-1]
        assert payload["event"] == "OPENED" and payload["case"]["id"] == case_id
        assert headers["webhook-id"] == payload["id"]
        time.sleep(0.8)  # several poll intervals: an acknowledged event is not sent again
        assert len(for_case(receiver, case_id)) == 1
    stack.graphql("mutation($id: ID!) { removeWebhook(id: $id) }", {"id": hook_id})


def test_a_receiver_that_was_down_gets_the_event_when_it_comes_back(stack: Stack) -> None:
    port = free_port()
    hook_id, secret = register(stack, f"http://127.0.0.1:{port}/hook")
    case_id = open_case(stack, worker_id(stack, SITI))["data"]["openCase"]["id"]
    engine = cases_of(stack).engine

    def attempts() -> int:
        with Session(engine) as session:
            row = session.exec(
                select(DeliveryRow).where(col(DeliveryRow.webhook_id) == hook_id)
            ).one()
        assert row.delivered_at is None or row.attempts >= 2
        return row.attempts

    eventually(lambda: attempts() >= 2)  # refused, retried, refused again
    receiver = Receiver()
    with LoopbackServer(receiver.app(), port=port):
        eventually(lambda: len(for_case(receiver, case_id)) >= 1)
        headers, body = for_case(receiver, case_id)[0]
        verify(secret, headers, body)
        time.sleep(0.8)
        assert len(for_case(receiver, case_id)) == 1
    stack.graphql("mutation($id: ID!) { removeWebhook(id: $id) }", {"id": hook_id})


def test_a_server_error_is_retried_until_acknowledged(stack: Stack) -> None:
    receiver = Receiver(status=500)
    with LoopbackServer(receiver.app()) as server:
        hook_id, _ = register(stack, f"{server.url}/hook")
        case_id = open_case(stack, worker_id(stack, SITI))["data"]["openCase"]["id"]
        eventually(lambda: len(for_case(receiver, case_id)) >= 3)
        ids = {h["webhook-id"] for h, _ in for_case(receiver, case_id)}
        assert len(ids) == 1  # the same event each time: the receiver can deduplicate
        receiver.status = 200
        acknowledged = len(for_case(receiver, case_id)) + 1
        eventually(lambda: len(for_case(receiver, case_id)) >= acknowledged)
        time.sleep(1.0)
        assert len(for_case(receiver, case_id)) <= acknowledged  # none after the 200
    stack.graphql("mutation($id: ID!) { removeWebhook(id: $id) }", {"id": hook_id})


@pytest.mark.parametrize(
    ("url", "mission", "code"),
    [
        ("ftp://x.example/hook", None, "BAD_USER_INPUT"),
        ("https://user:pw@x.example/hook", None, "BAD_USER_INPUT"),
        ("https://x.example/hook", "ZZZ", "UNKNOWN_MISSION"),
    ],
)
def test_bad_registrations_are_typed(stack: Stack, url: str, mission: str, code: str) -> None:
    body = stack.graphql(REGISTER, {"url": url, "m": mission}).json()
    assert body["errors"][0]["extensions"]["code"] == code


def test_registration_needs_case_read(stack: Stack) -> None:
    body = stack.graphql(
        REGISTER,
        {"url": "https://bpjs.example/hook", "m": None},
        client="bpjs-system",
        purpose="CLAIM_PROCESSING",
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    gone = stack.graphql('mutation { removeWebhook(id: "wh_nope") }').json()
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
