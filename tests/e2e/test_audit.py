"""The audit trail end to end: every read is recorded before the answer leaves, aliases
included; no record, no data; a worker sees who looked at their record."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import Session, select

from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.audit import AuditSigner, AuditTrail
from hub.audit.tables import AuditEntryRow
from hub.settings import Settings
from hub.storage import make_engine
from tests.e2e.queries import BY_NIK
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
SITI = "3506124508900003"


def entries_for(stack: Stack, worker_id: str) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = session.exec(select(AuditEntryRow).where(AuditEntryRow.worker_id == worker_id))
        found = list(rows)
    engine.dispose()
    return found


def test_a_read_is_recorded_with_its_categories_and_aliases_do_not_hide_it(stack: Stack) -> None:
    worker_id = stack.graphql(BY_NIK, {"nik": SITI}).json()["data"]["workerBy"]["id"]
    before = len(entries_for(stack, worker_id))
    aliased = """query Sneaky($n: String!) { w: workerBy(nik: $n) {
        a: identity { n: nik k: nextOfKin { name } } b: socialSecurity { kpj } } }"""
    assert "errors" not in stack.graphql(aliased, {"n": SITI}).json()
    rows = entries_for(stack, worker_id)
    assert len(rows) == before + 1
    last = max(rows, key=lambda r: r.seq)
    assert set(last.categories.split(",")) == {"identity", "nik", "contact", "social_security"}
    assert (last.client_id, last.purpose, last.operation) == (
        "embassy-system",
        "EMERGENCY",
        "Sneaky",
    )
    assert last.outcome == "READ" and last.request_id != "-"


def test_fragments_do_not_hide_a_nik_read(stack: Stack) -> None:
    query = """query Frag($n: String!) { workerBy(nik: $n) { id identity { ...Who } } }
      fragment Who on Identity { fullName number: nik }"""
    worker_id = stack.graphql(query, {"n": SITI}).json()["data"]["workerBy"]["id"]
    last = max(entries_for(stack, worker_id), key=lambda r: r.seq)
    assert last.operation == "Frag" and set(last.categories.split(",")) == {"identity", "nik"}


def test_no_audit_record_means_no_data(stack: Stack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings.from_environ(stack.environ))
    with LoopbackServer(app) as hub:
        broken = make_engine(f"sqlite:///{tmp_path / 'missing' / 'audit.db'}")
        app.state.hub.audit = AuditTrail(broken, AuditSigner.from_environ(stack.environ))
        response = httpx.post(
            f"{hub.url}/graphql",
            json={"query": BY_NIK, "variables": {"nik": SITI}},
            headers={"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"},
        )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    assert SITI not in response.text and "Siti" not in response.text


def test_a_worker_sees_who_looked_and_others_need_audit_read(stack: Stack) -> None:
    worker_id = stack.graphql(
        BY_NIK, {"nik": SITI}, client="bpjs-system", purpose="CLAIM_PROCESSING"
    ).json()["data"]["workerBy"]["id"]
    query = """query($id: ID!) { accessLog(workerId: $id, first: 50) {
        entries { agencyId agencyEn purpose categories at } pageInfo { hasNextPage } } }"""
    own = stack.mint_token(worker_id, ["self"], "SELF_SERVICE")
    body = stack.graphql(query, {"id": worker_id}, token=own, purpose="SELF_SERVICE").json()
    nodes = body["data"]["accessLog"]["entries"]
    claim = [n for n in nodes if n["purpose"] == "CLAIM_PROCESSING"]
    assert claim and claim[0]["agencyEn"] == "BPJS Ketenagakerjaan"
    assert "social_security" in claim[0]["categories"]
    refused = stack.graphql(query, {"id": worker_id}).json()  # embassy-system: no audit:read
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    officer = stack.mint_token("petugas.kbri", ["audit:read"], "CASE_HANDLING")
    allowed = stack.graphql(query, {"id": worker_id}, token=officer, purpose="CASE_HANDLING")
    assert allowed.json()["data"]["accessLog"]["entries"]


def test_refusals_and_break_glass_are_recorded(stack: Stack) -> None:
    # not Siti: a grant lasts an hour, and test_access checks her record without one
    nurhayati = "3525146102930001"
    worker_id = stack.graphql(BY_NIK, {"nik": nurhayati}).json()["data"]["workerBy"]["id"]
    stack.graphql(
        BY_NIK, {"nik": nurhayati}, client="kemnaker-system", purpose="PLACEMENT_VERIFICATION"
    )  # socialSecurity, consular, cases refused
    refused = [r for r in entries_for(stack, worker_id) if r.outcome == "REFUSED"]
    last = [r for r in refused if r.request_id == refused[-1].request_id]  # one per reason
    assert {c for r in last for c in r.categories.split(",")} == {
        "social_security",
        "consular",
        "case",
        "contact",
    }
    assert {r.reason for r in last} == {
        "FORBIDDEN social_security:read",
        "FORBIDDEN consular:read",
        "FORBIDDEN case:read",
        "FORBIDDEN worker.contact:read",
    }
    assert {r.client_id for r in last} == {"kemnaker-system"}
    mutation = (
        """mutation($id: ID!, $r: String!) { breakGlass(workerId: $id, reason: $r) { id } }"""
    )
    reason = "Pekerja hilang kontak tiga minggu, keluarga melapor ke KJRI Hong Kong"
    officer = stack.mint_token("petugas.audit", ["worker.identity:read", "emergency"])
    grant = stack.graphql(mutation, {"id": worker_id, "r": reason}, token=officer).json()
    grant = grant["data"]["breakGlass"]
    rows = entries_for(stack, worker_id)
    assert any(r.outcome == "BREAK_GLASS" and r.grant_id == grant["id"] for r in rows)


def test_the_hub_signs_checkpoints_periodically(stack: Stack) -> None:
    import time

    from hub.audit.tables import AuditCheckpointRow

    env = {**stack.environ, "HUB_AUDIT_CHECKPOINT_SECONDS": "1"}
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])

    def count() -> int:
        with Session(engine) as session:
            return len(session.exec(select(AuditCheckpointRow)).all())

    before = count()
    stack.graphql(BY_NIK, {"nik": SITI})  # something to sign
    with LoopbackServer(create_app(Settings.from_environ(env))):
        time.sleep(2.5)
    assert count() >= before + 1
    assert AuditTrail(engine, AuditSigner.from_environ(stack.environ)).verify().ok
    engine.dispose()
