"""The consent ledger and the partner registry on a migrated database (SQLite and
PostgreSQL): signed versions, append-only changes, expiry, case close, suspension, the
organisation's webhook told in the same transaction, and every bad input refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from auth.clients import ClientError, add_client, get_client
from auth.purpose import Purpose
from auth.scopes import Scope
from hub.audit.signing import AuditSigner
from hub.audit.trail import AuditTrail
from hub.cases import Actor, CaseService
from hub.cases.tables import DeliveryRow, WebhookRow
from hub.crosswalk.tables import WorkerRow
from hub.partners import ConsentError, ConsentLedger, PartnerRegistry
from hub.partners.ledger import ASSISTED, SELF, Capture
from hub.partners.tables import ConsentRow
from schema.enums import CaseKind, CaseStatus, Severity
from tests.databases import migrated_engine

WORKER, OTHER = "wk_partner_0001", "wk_partner_0002"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


BOTH = pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """SQLite; PostgreSQL too for the tests marked ``BOTH`` (the writes that race)."""
    backend = getattr(request, "param", "sqlite")
    with migrated_engine(backend, tmp_path, "partners_test") as engine:
        with Session(engine) as session:
            for worker in (WORKER, OTHER):
                session.add(WorkerRow(id=worker, created_at=datetime(2026, 1, 1, tzinfo=UTC)))
            session.commit()
        yield engine


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(engine: Engine, clock: Clock) -> ConsentLedger:
    PartnerRegistry(engine).add("SBMI", name="Serikat Buruh Migran Indonesia", contact="dpo@x")
    signer = AuditSigner.from_environ({"HUB_ENV": "test"})
    return ConsentLedger(AuditTrail(engine, signer), clock)


def by_worker(worker: str = WORKER) -> Capture:
    return Capture(SELF, worker, auth_event="jti-1")


def hook(engine: Engine, org: str | None = "SBMI") -> str:
    with Session(engine) as session:
        row = WebhookRow(
            id=f"wh_{org}",
            url="https://sbmi.example/hook",
            secret_sealed="x",
            client_id="partner-sbmi",
            subject="partner-sbmi",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            partner_org=org,
        )
        session.add(row)
        session.commit()
        return row.id


def deliveries(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        return [json.loads(r.payload) for r in session.exec(select(DeliveryRow)).all()]


def test_a_granted_consent_is_signed_and_says_what_was_shown(ledger: ConsentLedger) -> None:
    consent = ledger.grant(
        WORKER, "sbmi", Purpose.CASE_ASSISTANCE, ["case", "identity"], by_worker(), days=30
    )
    assert consent.active and consent.version == 1 and consent.organisation == "SBMI"
    assert consent.categories == ("identity", "case")  # the purpose's order
    assert consent.valid_until - consent.valid_from == timedelta(days=30)
    assert ledger.verify(consent)
    text, _, until = ledger.terms_text("SBMI", Purpose.CASE_ASSISTANCE, ["identity", "case"], 30)
    assert consent.text_hash == text.hash and until == consent.valid_until
    assert "bukan syarat pekerjaan" in text.id and "not a job requirement" in text.en
    body = json.loads(consent.artefact)
    assert body["capture"] == {
        "channel": SELF,
        "authEvent": "jti-1",
        "language": "id",
        "witness": None,
        "mission": None,
    }
    assert body["mode"] == "VIEW" and "identity.nik_full" in body["excluded"]
    forged = json.loads(consent.artefact)
    forged["scopes"].append("social_security")
    from dataclasses import replace

    assert not ledger.verify(replace(consent, artefact=json.dumps(forged, sort_keys=True)))


def test_assisted_capture_records_the_officer(ledger: ConsentLedger) -> None:
    consent = ledger.grant(
        WORKER,
        "SBMI",
        Purpose.REPATRIATION_SUPPORT,
        ["identity", "consular"],
        Capture(ASSISTED, "petugas.kbri", mission="KBRI-KUL"),
        include_next_of_kin=True,
    )
    assert consent.channel == ASSISTED and consent.officer == "petugas.kbri"
    assert consent.opens("next_of_kin") and not consent.opens("placement")


@pytest.mark.parametrize(
    ("organisation", "purpose", "categories", "days", "argument"),
    [
        ("NOBODY", Purpose.CASE_ASSISTANCE, ["identity"], 30, "organisation"),
        ("SBMI", Purpose.CASE_HANDLING, ["identity"], 30, "purpose"),
        ("SBMI", Purpose.REINTEGRATION, ["social_security"], 30, "categories"),
        ("SBMI", Purpose.CASE_ASSISTANCE, [], 30, "categories"),
        ("SBMI", Purpose.CASE_ASSISTANCE, ["nik"], 30, "categories"),
        ("SBMI", Purpose.CASE_ASSISTANCE, ["identity"], 91, "days"),
        ("SBMI", Purpose.CASE_ASSISTANCE, ["identity"], 0, "days"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_written(
    ledger: ConsentLedger, engine: Engine, organisation, purpose, categories, days, argument
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConsentError) as caught:
        ledger.grant(WORKER, organisation, purpose, categories, by_worker(), days=days)
    assert caught.value.argument == argument and caught.value.text_id and caught.value.text_en
    with Session(engine) as session:
        assert session.exec(select(ConsentRow)).all() == []


@BOTH
def test_revocation_is_a_new_version_and_tells_the_organisation(
    ledger: ConsentLedger, engine: Engine
) -> None:
    hook(engine)
    hook(engine, "OTHERORG")
    consent = ledger.grant(WORKER, "SBMI", Purpose.CASE_ASSISTANCE, ["identity"], by_worker())
    with pytest.raises(ConsentError):  # another worker's consent is not theirs to revoke
        ledger.revoke(consent.id, OTHER, worker_id=OTHER)
    revoked = ledger.revoke(consent.id, WORKER, worker_id=WORKER)
    assert revoked.status == "REVOKED" and revoked.version == 2 and ledger.verify(revoked)
    assert not revoked.opens("identity")
    assert [c.status for c in ledger.history(consent.id)] == ["ACTIVE", "REVOKED"]
    sent = deliveries(engine)
    assert [d["type"] for d in sent] == ["consent.revoked"]  # SBMI's hook only
    assert sent[0]["consentId"] == consent.id and sent[0]["workerId"] == WORKER
    with pytest.raises(ConsentError) as caught:
        ledger.revoke(consent.id, WORKER)
    assert caught.value.code == "CONSENT_NOT_ACTIVE"


@BOTH
def test_a_consent_expires_on_its_last_day(
    ledger: ConsentLedger, engine: Engine, clock: Clock
) -> None:
    hook(engine)
    consent = ledger.grant(
        WORKER, "SBMI", Purpose.CASE_ASSISTANCE, ["identity"], by_worker(), days=1
    )
    clock.at += timedelta(hours=23)
    assert ledger.get(consent.id).active  # type: ignore[union-attr]
    clock.at += timedelta(hours=1)
    expired = ledger.for_partner("SBMI", [WORKER])[WORKER][0]
    assert expired.status == "EXPIRED" and expired.version == 2 and ledger.verify(expired)
    assert ledger.get(consent.id).version == 2  # type: ignore[union-attr]  # written once
    assert [d["type"] for d in deliveries(engine)] == ["consent.expired"]
    # the operators' sweep ends the lapsed ones nobody read, once
    other = ledger.grant(OTHER, "SBMI", Purpose.CASE_ASSISTANCE, ["identity"], by_worker(OTHER))
    assert ledger.sweep() == []
    clock.at += timedelta(days=91)
    assert [(c.id, c.status) for c in ledger.sweep()] == [(other.id, "EXPIRED")]
    assert ledger.sweep() == []


def trail_of(engine: Engine) -> list[tuple[str, str, str, str | None, str, str | None]]:
    from hub.audit.tables import AuditEntryRow

    with Session(engine) as session:
        return [
            (e.client_id, e.subject, e.operation, e.worker_id, e.outcome, e.reason)
            for e in session.exec(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
        ]


@BOTH
def test_a_lapse_a_read_finds_is_audited_like_the_expiry_loops(
    ledger: ConsentLedger, engine: Engine, clock: Clock
) -> None:
    # given a consent whose time ran out, and which nobody has ended yet
    consent = ledger.grant(WORKER, "SBMI", Purpose.LEGAL_AID, ["identity"], by_worker(), days=1)
    clock.at += timedelta(days=2)
    # when a read finds it
    assert [c.status for c in ledger.for_worker(WORKER)] == ["EXPIRED"]
    # then its end is in the trail, as the loop (hub/partners/expiry.py) records it
    ended = (
        "hub",
        "hub",
        "consentExpiry",
        WORKER,
        "CHANGE",
        f"consent expired {consent.id} of SBMI",
    )
    assert trail_of(engine) == [ended]
    assert ledger.get(consent.id).version == 2  # type: ignore[union-attr]
    assert trail_of(engine) == [ended]  # ended once, recorded once


def test_a_lapse_found_while_the_trail_is_down_is_not_written(
    ledger: ConsentLedger, engine: Engine, clock: Clock
) -> None:
    from sqlalchemy import text

    from hub.audit import AuditUnavailable

    consent = ledger.grant(WORKER, "SBMI", Purpose.LEGAL_AID, ["identity"], by_worker(), days=1)
    clock.at += timedelta(days=2)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_entry"))
    with pytest.raises(AuditUnavailable):
        ledger.for_partner("SBMI", [WORKER])
    with Session(engine) as session:  # no new version, no organisation told
        versions = session.exec(
            select(ConsentRow.version).where(ConsentRow.consent_id == consent.id)
        ).all()
    assert versions == [1] and deliveries(engine) == []


def test_a_consent_bound_to_a_case_ends_when_the_case_closes(
    ledger: ConsentLedger, engine: Engine
) -> None:
    cases = CaseService(engine)
    actor = Actor(client_id="p2mi-system", subject="p2mi-system", agency="P2MI", purpose=None)
    opened = cases.open(
        actor, WORKER, CaseKind.ILLNESS, Severity.LOW, "demam tinggi tiga hari", None
    )
    consent = ledger.grant(
        WORKER, "SBMI", Purpose.CASE_ASSISTANCE, ["case"], by_worker(), case_id=opened.case.id
    )
    with pytest.raises(ConsentError):  # a case of another worker
        ledger.grant(
            OTHER,
            "SBMI",
            Purpose.CASE_ASSISTANCE,
            ["case"],
            by_worker(OTHER),
            case_id=opened.case.id,
        )
    cases.update_status(actor, opened.case.id, CaseStatus.CLOSED, "selesai")
    assert [c.status for c in ledger.close_case(opened.case.id)] == ["EXPIRED"]
    assert ledger.get(consent.id).status == "EXPIRED"  # type: ignore[union-attr]


def test_suspending_an_organisation_suspends_its_client_and_consents(
    ledger: ConsentLedger, engine: Engine
) -> None:
    registry = PartnerRegistry(engine)
    consent = ledger.grant(WORKER, "SBMI", Purpose.CLAIM_ASSISTANCE, ["identity"], by_worker())
    org = registry.suspend("sbmi")
    assert org is not None and not org.active
    assert get_client(engine, "partner-sbmi").disabled  # type: ignore[union-attr]
    assert ledger.get(consent.id).status == "SUSPENDED"  # type: ignore[union-attr]
    with pytest.raises(ConsentError):  # no new consent to a suspended organisation
        ledger.grant(WORKER, "SBMI", Purpose.CLAIM_ASSISTANCE, ["identity"], by_worker())


def test_a_partner_client_holds_the_partner_scope_alone(engine: Engine) -> None:
    org, secret = PartnerRegistry(engine).add("MIGRANT_CARE", name="Migrant CARE", contact="x@y")
    client = get_client(engine, org.client_id)
    assert org.client_id == "partner-migrant-care" and secret
    assert client is not None and client.scopes == {Scope.PARTNER}
    assert client.agency == "MIGRANT_CARE"
    with pytest.raises(ClientError):
        add_client(
            engine,
            client_id="partner-rogue",
            name="Rogue",
            agency="ROGUE",
            scopes=[Scope.PARTNER, Scope.WORKER_IDENTITY_READ],
            grant_types=["client_credentials"],
        )
    for code, name in (("x", "X"), ("SBMI", " ")):
        with pytest.raises(ClientError):
            PartnerRegistry(engine).add(code, name=name, contact="c")
