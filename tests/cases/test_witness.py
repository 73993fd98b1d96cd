"""Witnesses through the real hub: an agency with audit:read subscribes a webhook, receives
every signed checkpoint as ``audit.checkpoint``, reads them with ``auditCheckpoints``, and its
archive verifies the trail; callers without audit:read or with another's webhook are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.sandbox.serve import LoopbackServer
from hub.audit import AuditTrail
from hub.audit.keys import TrustedKeys
from hub.audit.signing import AuditSigner
from hub.audit.witness import EVENT, WitnessCheckpoint, read_witness
from hub.cases.signing import verify
from hub.storage import make_engine
from tests.cases._live import REGISTER, Receiver
from tests.e2e.stack import Stack
from tests.eventually import eventually

pytestmark = pytest.mark.e2e

WITNESS = "mutation($id: ID!) { witnessAuditCheckpoints(webhookId: $id) }"
CHECKPOINTS = """query($after: Int!, $first: Int!) {
  auditCheckpoints(after: $after, first: $first) {
    id seq headHash signedAt keyId signature purgedBeforeSeq nextPublicKey } }"""


def trail(stack: Stack) -> AuditTrail:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    return AuditTrail(engine, AuditSigner.from_environ(stack.environ))


def test_a_witness_receives_and_reads_every_checkpoint_and_its_archive_verifies(
    stack: Stack, tmp_path: Path
) -> None:
    auditor = stack.mint_token("auditor.p2mi", ["audit:read", "case:read"])
    receiver = Receiver()
    with LoopbackServer(receiver.app()) as server:
        # given an agency webhook subscribed as a witness
        body = stack.graphql(
            REGISTER,
            {"url": f"{server.url}/hook", "m": None},
            token=auditor,
            purpose="CASE_HANDLING",
        )
        assert "data" in body.json(), body.json()
        registration = body.json()["data"]["registerWebhook"]
        hook, secret = registration["webhook"]["id"], registration["secret"]
        done = stack.graphql(WITNESS, {"id": hook}, token=auditor, purpose="CASE_HANDLING").json()
        assert done == {"data": {"witnessAuditCheckpoints": True}}
        # when the hub signs two checkpoints (a read in between)
        hub_trail = trail(stack)
        first = hub_trail.checkpoint()
        stack.graphql("query { me { clientId } }")
        second = hub_trail.checkpoint()

        # then both arrive, signed with the webhook's secret, as audit.checkpoint events
        def checkpoints() -> list[dict]:  # type: ignore[type-arg]
            return [b for b in receiver.bodies() if b.get("type") == EVENT]

        eventually(lambda: len(checkpoints()) == 2)
        for headers, raw in receiver.received:
            if json.loads(raw).get("type") == EVENT:
                verify(secret, headers, raw)
        archive = tmp_path / "witness.jsonl"
        archive.write_text("".join(json.dumps(b["checkpoint"]) + "\n" for b in checkpoints()))
        assert [c.seq for c in read_witness(archive)] == [first.seq, second.seq]
        # and the query answers the same checkpoints, resumable after the last id seen
        answer = stack.graphql(
            CHECKPOINTS, {"after": 0, "first": 500}, token=auditor, purpose="CASE_HANDLING"
        ).json()
        listed = answer["data"]["auditCheckpoints"]
        assert [c["seq"] for c in listed[-2:]] == [first.seq, second.seq]
        after = listed[-2]["id"]
        rest = stack.graphql(
            CHECKPOINTS, {"after": after, "first": 10}, token=auditor, purpose="CASE_HANDLING"
        ).json()
        assert [c["seq"] for c in rest["data"]["auditCheckpoints"]] == [second.seq]
        as_archived = WitnessCheckpoint.from_json(listed[-1])
        assert as_archived == read_witness(archive)[-1]
        # and the archive verifies the trail with public keys only
        keys = TrustedKeys(hub_trail.signer.trusted)
        report = hub_trail.verify(keys, read_witness(archive))
        assert report.ok and report.witnessed == 2, report
        stack.graphql(
            "mutation($id: ID!) { removeWebhook(id: $id) }",
            {"id": hook},
            token=auditor,
            purpose="CASE_HANDLING",
        )
        hub_trail.engine.dispose()


def test_without_audit_read_or_with_anothers_webhook_a_witness_is_refused(
    stack: Stack,
) -> None:
    # embassy-system holds every read scope but audit:read
    refused = stack.graphql(CHECKPOINTS, {"after": 0, "first": 5}).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    theirs = stack.graphql(REGISTER, {"url": "http://127.0.0.1:9/h", "m": None}).json()
    hook = theirs["data"]["registerWebhook"]["webhook"]["id"]
    assert stack.graphql(WITNESS, {"id": hook}).json()["errors"][0]["extensions"]["code"] == (
        "FORBIDDEN"
    )
    auditor = stack.mint_token("auditor.p2mi", ["audit:read", "case:read"])
    other = stack.graphql(WITNESS, {"id": hook}, token=auditor, purpose="CASE_HANDLING").json()
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad = stack.graphql(
        CHECKPOINTS, {"after": -1, "first": 0}, token=auditor, purpose="CASE_HANDLING"
    ).json()
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    worker = stack.mint_token("wk_self", ["self"])
    as_self = stack.graphql(
        CHECKPOINTS, {"after": 0, "first": 5}, token=worker, purpose="SELF_SERVICE"
    ).json()
    assert as_self["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    stack.graphql("mutation($id: ID!) { removeWebhook(id: $id) }", {"id": hook})
