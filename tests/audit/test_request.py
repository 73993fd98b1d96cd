"""From a GraphQL result to audit entries, and the fail-closed gate."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from auth.principal import Principal
from auth.purpose import Purpose
from hub.audit import AuditTrail, Outcome
from hub.audit.request import audited, entries_for, refused_entry
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.storage import make_engine

A, B = "wk_" + "a" * 20, "wk_" + "b" * 20
OFFICER = Principal(
    client_id="embassy-system",
    subject="petugas.kbri",
    scopes=frozenset({"worker.identity:read", "emergency"}),
    token_id="t1",
    issuer="https://hub.test",
    expires_at=0,
    agency="EMBASSY",
    purpose=Purpose.EMERGENCY,
)
DATA = {"workers": [{"id": A, "identity": {"nik": "3201********0007"}}, {"id": B, "cases": []}]}


def test_one_entry_per_worker_returned() -> None:
    entries = entries_for(OFFICER, DATA, operation="Find", request_id="r1", grants={B: "bg_7"})
    assert [(e.worker_id, e.outcome, e.grant_id) for e in entries] == [
        (A, Outcome.READ, None),
        (B, Outcome.BREAK_GLASS, "bg_7"),
    ]
    assert entries[0].categories == {"identity"} and entries[1].categories == {"case"}
    assert (entries[0].agency, entries[0].purpose, entries[0].subject) == (
        "EMBASSY",
        "EMERGENCY",
        "petugas.kbri",
    )


def test_a_refusal_is_an_entry_without_categories() -> None:
    refused = refused_entry(OFFICER, operation=None, request_id="r2", worker_id=A)
    assert (refused.outcome, refused.categories, refused.operation) == (
        Outcome.REFUSED,
        frozenset(),
        "anonymous",
    )


def test_the_payload_leaves_once_its_entries_are_written(trail: AuditTrail, engine: Engine) -> None:
    payload = {"data": DATA}
    entries = entries_for(OFFICER, DATA, operation="Find", request_id="r1")
    assert audited(trail, entries, payload) is payload
    with Session(engine) as session:
        assert len(session.exec(select(AuditEntryRow)).all()) == 2


def test_a_failed_audit_write_returns_no_data(tmp_path: Path, signer: AuditSigner) -> None:
    # given a trail whose database cannot be opened
    broken = make_engine(f"sqlite:///{tmp_path / 'gone' / 'hub.db'}")
    trail = AuditTrail(broken, signer)

    # then the response carries AUDIT_UNAVAILABLE and none of the data
    body = audited(trail, entries_for(OFFICER, DATA, operation="F", request_id="r"), {"data": DATA})
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    assert "3201" not in str(body)
    broken.dispose()
