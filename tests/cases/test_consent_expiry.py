"""Consents expire on the hub's own schedule (``HUB_CONSENT_EXPIRY_SECONDS``), not only when a
read finds them: a consent whose time ran out gets its EXPIRED version, its organisation's
webhook hears ``consent.expired`` and the audit trail records the change, with no one reading
the worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session, col, select

from auth.purpose import Purpose
from connectors.sandbox.serve import LoopbackServer
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.audit.trail import AuditTrail
from hub.partners import ConsentLedger, PartnerRegistry
from hub.partners.ledger import SELF, Capture
from hub.partners.tables import ConsentRow
from hub.storage import make_engine
from schema.clock import now
from schema.scenario import Scenario
from tests.cases._live import NURHAYATI, REGISTER, Receiver, worker_id
from tests.cases.conftest import FAST_WEBHOOKS
from tests.e2e.stack import Stack, running_stack
from tests.eventually import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def expiring(small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    extra = {**FAST_WEBHOOKS, "HUB_CONSENT_EXPIRY_SECONDS": "0.2"}
    with running_stack(small_scenario, tmp_path_factory.mktemp("expiry"), extra) as running:
        yield running


def test_an_expired_consent_is_ended_and_told_without_a_read(expiring: Stack) -> None:
    engine = make_engine(expiring.environ["HUB_DATABASE_URL"])
    _, secret = PartnerRegistry(engine).add(
        "MCARE", name="Migrant CARE", contact="dpo@migrantcare.example"
    )
    partner = httpx.post(
        f"{expiring.hub_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("partner-mcare", str(secret)),
        timeout=10,
    ).json()["access_token"]
    receiver = Receiver()
    nurhayati = worker_id(expiring, NURHAYATI)
    with LoopbackServer(receiver.app()) as server:
        hook = expiring.graphql(
            REGISTER, {"url": f"{server.url}/hook", "m": None}, token=partner, purpose="LEGAL_AID"
        ).json()
        assert "errors" not in hook, hook
        with Session(engine) as session:
            before = max(session.exec(select(AuditEntryRow.seq)).all())
        # a consent given four days ago for one day: lapsed, and nobody reads the worker
        past = now() - timedelta(days=4)
        old = ConsentLedger(
            AuditTrail(engine, AuditSigner.from_environ(expiring.environ)), lambda: past
        )
        lapsed = old.grant(
            nurhayati, "MCARE", Purpose.LEGAL_AID, ["identity"], Capture(SELF, nurhayati), days=1
        )

        def versions() -> list[tuple[int, str]]:
            with Session(engine) as session:
                rows = session.exec(
                    select(ConsentRow).where(col(ConsentRow.consent_id) == lapsed.id)
                ).all()
                return sorted((r.version, r.status) for r in rows)

        eventually(lambda: versions() == [(1, "ACTIVE"), (2, "EXPIRED")])
        eventually(lambda: any(b.get("type") == "consent.expired" for b in receiver.bodies()))
    told = [b for b in receiver.bodies() if b.get("type") == "consent.expired"]
    assert [(b["consentId"], b["status"]) for b in told] == [(lapsed.id, "EXPIRED")]
    with Session(engine) as session:
        changes = session.exec(
            select(AuditEntryRow).where(
                col(AuditEntryRow.worker_id) == nurhayati, col(AuditEntryRow.outcome) == "CHANGE"
            )
        ).all()
        reads = session.exec(
            select(AuditEntryRow).where(
                col(AuditEntryRow.worker_id) == nurhayati,
                col(AuditEntryRow.outcome) == "READ",
                col(AuditEntryRow.seq) > before,
            )
        ).all()
    engine.dispose()
    assert [(c.client_id, c.operation, c.reason) for c in changes] == [
        ("hub", "consentExpiry", f"consent expired {lapsed.id} of MCARE")
    ]
    # no one read the worker meanwhile (the webhook's delivery is recorded as what it is)
    assert {r.operation for r in reads} <= {"webhook:caseEvent"}
