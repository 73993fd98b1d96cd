"""``pmihub partners`` and ``pmihub consents``: accredit, add a case worker, record a consent
at a mission, print its receipt, suspend; every refusal one line, exit 2, nothing changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from auth.clients import get_client
from auth.users import get_user
from hub.cli import app
from hub.partners import PartnerRegistry
from tests.partners.test_ledger import WORKER, engine  # noqa: F401 (the fixture)


@pytest.fixture
def cli(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:  # noqa: F811
    monkeypatch.setenv("HUB_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HUB_ENV", "test")
    return engine


def changes(db: Engine, operation: str) -> list[tuple[str, str | None, str | None]]:
    from sqlmodel import Session, col, select

    from hub.audit.tables import AuditEntryRow

    with Session(db) as session:
        found = session.exec(
            select(AuditEntryRow).where(
                col(AuditEntryRow.operation) == operation, col(AuditEntryRow.outcome) == "CHANGE"
            )
        ).all()
        return [(r.subject, r.worker_id, r.reason) for r in found]


def test_the_operators_flow(cli: Engine) -> None:
    run = CliRunner().invoke
    added = run(app, ["partners", "add", "sbmi", "--name", "SBMI", "--contact", "dpo@sbmi"])
    assert added.exit_code == 0, added.output
    assert "client_id: partner-sbmi" in added.output and "client_secret: " in added.output
    assert get_client(cli, "partner-sbmi").scopes == {"partner"}  # type: ignore[union-attr]
    worker = run(app, ["partners", "add-worker", "SBMI", "pendamping.ani"])
    assert worker.exit_code == 0 and "password: " in worker.output
    user = get_user(cli, "pendamping.ani")
    assert user is not None and user.role == "case-worker" and user.agency == "SBMI"
    assert user.second_factor and user.scopes == {"partner"}
    refused = run(app, ["partners", "add-worker", "NOBODY", "pendamping.budi"])
    assert refused.exit_code == 2 and get_user(cli, "pendamping.budi") is None
    recorded = run(
        app,
        ["consents", "record", WORKER, "--org", "SBMI", "--purpose", "repatriation_support",
         "--category", "identity", "--category", "consular", "--next-of-kin",
         "--officer", "petugas.kbri", "--mission", "hkg", "--days", "30"],
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    consent = json.loads(recorded.output)
    assert consent["channel"] == "ASSISTED_AT_MISSION" and consent["officer"] == "petugas.kbri"
    assert consent["include_next_of_kin"] and consent["status"] == "ACTIVE"
    recorded_entry = changes(cli, "pmihub consents record")
    assert recorded_entry == [("petugas.kbri", WORKER, f"consent granted {consent['id']} to SBMI")]
    receipt = run(app, ["consents", "receipt", consent["id"]])
    assert receipt.exit_code == 0
    assert "Saya mengizinkan SBMI" in receipt.output and "I allow SBMI" in receipt.output
    assert "(matches)" in receipt.output and "(valid)" in receipt.output
    bad = run(
        app,
        ["consents", "record", WORKER, "--org", "SBMI", "--purpose", "CASE_HANDLING",
         "--category", "identity", "--officer", "x", "--mission", "HKG"],
    )  # fmt: skip
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    suspended = run(app, ["partners", "suspend", "SBMI"])
    assert suspended.exit_code == 0 and "1 consent(s) suspended" in suspended.output
    assert get_client(cli, "partner-sbmi").disabled  # type: ignore[union-attr]
    assert get_user(cli, "pendamping.ani") is None  # disabled
    listed = json.loads(
        run(app, ["consents", "list", "--worker", WORKER, "--purpose", "case_handling"]).output
    )
    assert [c["status"] for c in listed] == ["SUSPENDED"]
    assert PartnerRegistry(cli).get("SBMI").status == "SUSPENDED"  # type: ignore[union-attr]
    assert run(app, ["partners", "suspend", "NOBODY"]).exit_code == 2


def test_consents_expire_ends_the_lapsed_ones_and_audits_them(cli: Engine) -> None:
    from datetime import timedelta

    from sqlmodel import Session, col, select

    from auth.purpose import Purpose
    from hub.audit.signing import AuditSigner
    from hub.audit.tables import AuditEntryRow
    from hub.audit.trail import AuditTrail
    from hub.partners import ConsentLedger
    from hub.partners.ledger import SELF, Capture
    from schema.clock import now

    run = CliRunner().invoke
    assert (
        run(app, ["partners", "add", "sbmi", "--name", "SBMI", "--contact", "x@y"]).exit_code == 0
    )
    past = now() - timedelta(days=3)
    ledger = ConsentLedger(
        AuditTrail(cli, AuditSigner.from_environ({"HUB_ENV": "test"})), lambda: past
    )
    lapsed = ledger.grant(
        WORKER, "SBMI", Purpose.LEGAL_AID, ["identity"], Capture(SELF, WORKER), days=1
    )
    kept = ledger.grant(
        WORKER, "SBMI", Purpose.LEGAL_AID, ["identity"], Capture(SELF, WORKER), days=30
    )
    ended = run(app, ["consents", "expire"])
    assert ended.exit_code == 0, ended.output
    assert ended.stdout.splitlines() == [f"{lapsed.id}\tSBMI\tEXPIRED"]
    with Session(cli) as session:
        reasons = session.exec(
            select(AuditEntryRow.reason).where(col(AuditEntryRow.operation) == "consentExpiry")
        ).all()
    assert reasons == [f"consent expired {lapsed.id} of SBMI"]
    assert kept.id not in ended.output
    again = run(app, ["consents", "expire"])  # nothing left to end: nothing recorded
    assert again.exit_code == 0 and again.stdout == ""


def accompanied(*workers: str) -> list[str]:
    """SBMI accredited and a LEGAL_AID consent to it per worker, recorded at HKG: their ids."""
    run = CliRunner().invoke
    added = run(app, ["partners", "add", "sbmi", "--name", "SBMI", "--contact", "x@y"])
    assert added.exit_code == 0, added.output
    ids = []
    for worker in workers:
        recorded = run(
            app,
            ["consents", "record", worker, "--org", "SBMI", "--purpose", "legal_aid",
             "--category", "identity", "--officer", "petugas.kbri", "--mission", "HKG"],
        )  # fmt: skip
        assert recorded.exit_code == 0, recorded.output
        ids.append(json.loads(recorded.output)["id"])
    return ids


def test_a_revocation_at_the_mission_is_audited_with_the_officer(cli: Engine) -> None:
    run = CliRunner().invoke
    (consent,) = accompanied(WORKER)
    revoked = run(app, ["consents", "revoke", consent, "--officer", "petugas.kjri"])
    assert revoked.exit_code == 0, revoked.output
    again = run(app, ["consents", "revoke", consent, "--officer", "petugas.kjri"])
    assert again.exit_code == 2  # no longer in force: refused, nothing recorded
    assert changes(cli, "pmihub consents revoke") == [
        ("petugas.kjri", WORKER, f"consent revoked {consent} of SBMI")
    ]


def reads(db: Engine) -> list[tuple[str, str, str | None, str | None, str, str]]:
    from sqlmodel import Session, col, select

    from hub.audit.tables import AuditEntryRow

    with Session(db) as session:
        found = session.exec(
            select(AuditEntryRow)
            .where(col(AuditEntryRow.operation) == "pmihub consents list")
            .order_by(col(AuditEntryRow.seq))
        ).all()
        return [
            (r.client_id, r.subject, r.worker_id, r.purpose, r.categories, r.outcome) for r in found
        ]


def test_listing_consents_is_an_audited_read_with_its_purpose(cli: Engine) -> None:
    import getpass

    from tests.partners.test_ledger import OTHER

    # given two workers accompanied by SBMI
    run = CliRunner().invoke
    accompanied(WORKER, OTHER)
    me = getpass.getuser()
    # when one worker's consents are listed, then the organisation's
    one = run(app, ["consents", "list", "--worker", WORKER, "--purpose", "case_handling"])
    assert one.exit_code == 0, one.output
    assert [c["worker_id"] for c in json.loads(one.stdout)] == [WORKER]
    org = run(app, ["consents", "list", "--org", "sbmi", "--purpose", "EMERGENCY"])
    assert org.exit_code == 0, org.output
    # then each worker read is an entry: the operator, the purpose, the category case
    assert reads(cli) == [
        ("pmihub-cli", me, WORKER, "CASE_HANDLING", "case", "READ"),
        *sorted(("pmihub-cli", me, w, "EMERGENCY", "case", "READ") for w in (WORKER, OTHER)),
    ]


def test_listing_a_merged_workers_consents_by_the_old_id_reads_the_worker_it_became(
    cli: Engine,
) -> None:
    from datetime import UTC, datetime

    from sqlmodel import Session

    from hub.crosswalk.tables import WorkerRow

    # given a consent for WORKER, and an id since merged into WORKER
    run = CliRunner().invoke
    accompanied(WORKER)
    with Session(cli) as session:
        old = WorkerRow(id="wk_partner_0000", created_at=datetime(2025, 1, 1, tzinfo=UTC))
        old.merged_into = WORKER
        session.add(old)
        session.commit()
    # when the old id is listed
    listed = run(app, ["consents", "list", "--worker", "wk_partner_0000", "--purpose", "EMERGENCY"])
    # then the consents are WORKER's, and so is the read in the trail
    assert listed.exit_code == 0, listed.output
    assert [c["worker_id"] for c in json.loads(listed.stdout)] == [WORKER]
    assert [entry[2] for entry in reads(cli)] == [WORKER]


@pytest.mark.parametrize(
    "asked",
    [
        ["--worker", WORKER],  # no purpose
        ["--worker", WORKER, "--purpose", "LEGAL_AID"],  # a partner's purpose
        ["--worker", WORKER, "--purpose", "STATISTICS"],
        ["--worker", WORKER, "--purpose", "WHATEVER"],
        ["--worker", "wk_nobody", "--purpose", "CASE_HANDLING"],  # no such worker
        ["--purpose", "CASE_HANDLING"],  # neither --worker nor --org
    ],
)
def test_listing_consents_refuses_bad_input_and_records_nothing(
    cli: Engine, asked: list[str]
) -> None:
    refused = CliRunner().invoke(app, ["consents", "list", *asked])
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1
    assert refused.output.startswith("refused: ")
    assert reads(cli) == []


def test_listing_consents_prints_nothing_when_the_trail_cannot_be_written(cli: Engine) -> None:
    from sqlalchemy import text

    with cli.begin() as conn:
        conn.execute(text("DROP TABLE audit_entry"))
    listed = CliRunner().invoke(
        app, ["consents", "list", "--worker", WORKER, "--purpose", "CASE_HANDLING"]
    )
    assert listed.exit_code == 2 and listed.stdout == ""
    assert "the audit trail is unavailable" in listed.output
