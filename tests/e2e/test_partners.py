"""A partner organisation over HTTP, end to end: it reads only what a worker consented to,
only while the consent is in force; it has no path to find a worker; its referral routes to
the worker's mission and its webhook hears the case's status (no officers' notes) and the
consent's end; the worker's data tracker lists every partner read.

Webhook deliveries are checked in the outbox (what the delivery worker sends, tested on its
own in tests/cases); the stack is the e2e session's.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from auth.purpose import Purpose
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.audit.trail import AuditTrail
from hub.cases.tables import DeliveryRow, WebhookRow
from hub.partners import ConsentLedger, PartnerRegistry
from hub.partners.ledger import SELF, Capture
from hub.storage import make_engine
from schema.clock import now
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

NURHAYATI, RIZKI = "3525146102930001", "3201011507880007"
HOOK = "https://hooks.sbmi.example/pmihub"
READ_ALL = """query PartnerRead($id: ID!) { worker(id: $id) { id
  identity { fullName nik passports { number } phone nextOfKin { name } links { agency } }
  placements { placementId } socialSecurity { kpj } consular { reported }
  cases { id accompaniedBy history { note } } protection { level } } }"""
GRANT = """mutation Grant($input: GrantConsentInput!) { grantConsent(input: $input) {
  id status purpose categories validUntil organisationName channel
  receipt { textId textEn textHash signature keyId } } }"""

REVOKE = "mutation Revoke($id: ID!) { revokeConsent(id: $id) { status version } }"


class Partner:
    def __init__(self, stack: Stack, secret: str) -> None:
        answer = httpx.post(
            f"{stack.hub_url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("partner-sbmi", secret),
            timeout=10,
        )
        answer.raise_for_status()
        self.token = answer.json()["access_token"]
        assert answer.json()["scope"] == "partner"
        self.stack = stack

    def ask(self, query: str, variables: Any = None, purpose: str = "CASE_ASSISTANCE") -> Any:
        return self.stack.graphql(query, variables, token=self.token, purpose=purpose).json()


def codes(body: dict[str, Any]) -> dict[str, str]:
    return {
        ".".join(str(p) for p in e.get("path") or ()): e["extensions"]["code"]
        for e in body.get("errors", [])
    }


def worker_id(stack: Stack, nik: str) -> str:
    body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": nik}).json()
    return str(body["data"]["workerBy"]["id"])


def outbox(stack: Stack, hook_id: str) -> list[dict[str, Any]]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = session.exec(
            select(DeliveryRow)
            .where(col(DeliveryRow.webhook_id) == hook_id)
            .order_by(col(DeliveryRow.id))
        ).all()
        found = [json.loads(r.payload) for r in rows]
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    _, secret = PartnerRegistry(engine).add(
        "SBMI", name="Serikat Buruh Migran Indonesia", contact="dpo@sbmi.example"
    )
    engine.dispose()
    nurhayati = worker_id(stack, NURHAYATI)
    return {
        "partner": Partner(stack, str(secret)),
        "nurhayati": nurhayati,
        "rizki": worker_id(stack, RIZKI),
        "self": stack.mint_token(nurhayati, ["self"]),
    }


def grant(stack: Stack, token: str, **terms: Any) -> dict[str, Any]:
    body = stack.graphql(GRANT, {"input": terms}, token=token, purpose="SELF_SERVICE").json()
    assert "errors" not in body, body
    return dict(body["data"]["grantConsent"])


def test_no_path_locates_a_worker(stack: Stack, world: dict[str, Any]) -> None:
    """A recruiter posing as an NGO: no search, no identifier lookups, no batches, no lists,
    no audit log, no subscription; a worker id without consent answers as unknown."""
    partner: Partner = world["partner"]
    for field, selection in {
        "searchWorkers": 'searchWorkers(query: "Nurhayati") { edges { node { id } } }',
        "workerBy": f'workerBy(nik: "{NURHAYATI}") {{ id }}',
        "workersByNik": f'workersByNik(niks: ["{NURHAYATI}"]) {{ id }}',
        "workers": f'workers(ids: ["{world["nurhayati"]}"]) {{ id }}',
        "accessLog": f'accessLog(workerId: "{world["nurhayati"]}") {{ entries {{ at }} }}',
        "matchCandidates": "matchCandidates { totalCount }",
        "_entities": f'_entities(representations: [{{__typename: "Worker", '
        f'id: "{world["nurhayati"]}"}}]) {{ ... on Worker {{ id }} }}',
    }.items():
        body = partner.ask(f"{{ {selection} }}")
        assert body["data"] is None or body["data"].get(field) is None, (field, body)
        assert codes(body)[field] == "FORBIDDEN", (field, body)
    body = partner.ask(READ_ALL, {"id": world["nurhayati"]})
    assert body == {"data": {"worker": None}}
    assert partner.ask("{ consents { id } }") == {"data": {"consents": []}}
    # a partner purpose is a partner token's only; an agency purpose is not its
    body = partner.ask("{ me { clientId } }", purpose="CASE_HANDLING")
    assert body["errors"][0]["extensions"]["code"] == "PURPOSE_NOT_ALLOWED"
    body = stack.graphql("{ me { clientId } }", purpose="CASE_ASSISTANCE").json()
    assert body["errors"][0]["extensions"]["code"] == "PURPOSE_NOT_ALLOWED"
    # a token that mixes partner with an agency scope is not accepted
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    server = HubAuthorizationServer(engine, AuthSettings.from_environ(stack.environ))
    mixed = server.tokens.issue(
        client_id="partner-sbmi",
        subject="partner-sbmi",
        scopes=["partner", "worker.identity:read"],
        agency="SBMI",
    ).value
    engine.dispose()
    answer = stack.graphql("{ me { clientId } }", token=mixed, purpose="CASE_ASSISTANCE")
    assert answer.status_code == 401
    # the subscription is refused at connection_init (needs case:read): tests/cases/test_live


def test_the_partner_reads_the_consented_worker_only_and_only_what_was_opened(
    stack: Stack, world: dict[str, Any]
) -> None:
    partner: Partner = world["partner"]
    given = grant(
        stack,
        world["self"],
        organisation="SBMI",
        purpose="CASE_ASSISTANCE",
        categories=["identity", "case"],
        days=30,
    )
    assert given["status"] == "ACTIVE" and given["channel"] == "SELF"
    assert given["organisationName"] == "Serikat Buruh Migran Indonesia"
    receipt = given["receipt"]
    shown = f"{receipt['textId']}\n\n{receipt['textEn']}".encode()
    assert receipt["textHash"] == "sha256:" + hashlib.sha256(shown).hexdigest()
    body = partner.ask(READ_ALL, {"id": world["nurhayati"]})
    worker = body["data"]["worker"]
    identity = worker["identity"]
    assert identity["fullName"] and identity["nik"].count("*") == 8
    assert all(p["number"].startswith("*") for p in identity["passports"])
    assert identity["phone"] is None and identity["nextOfKin"] is None
    assert identity["links"] == []
    for section in ("placements", "socialSecurity", "consular", "protection"):
        assert worker[section] is None, section
    errors = codes(body)
    for path in (
        "worker.placements",
        "worker.socialSecurity",
        "worker.consular",
        "worker.protection",
        "worker.identity.phone",
        "worker.identity.nextOfKin",
    ):
        assert errors[path] == "FORBIDDEN", path
    assert worker["cases"] == []
    # another worker, and the same worker under a purpose not consented to: unknown
    assert partner.ask(READ_ALL, {"id": world["rizki"]}) == {"data": {"worker": None}}
    other = partner.ask(READ_ALL, {"id": world["nurhayati"]}, purpose="CLAIM_ASSISTANCE")
    assert other == {"data": {"worker": None}}
    listed = partner.ask("{ consents { id workerId status } }")["data"]["consents"]
    assert listed == [{"id": given["id"], "workerId": world["nurhayati"], "status": "ACTIVE"}]
    world["consent"] = given["id"]


def test_refer_case_routes_to_the_mission_and_the_partner_hears_status_without_notes(
    stack: Stack, world: dict[str, Any]
) -> None:
    partner: Partner = world["partner"]
    hook = partner.ask(f'mutation {{ registerWebhook(url: "{HOOK}") {{ webhook {{ id }} }} }}')
    hook_id = hook["data"]["registerWebhook"]["webhook"]["id"]
    body = partner.ask(
        """mutation Refer($w: ID!, $c: ID!) { referCase(workerId: $w, consentId: $c,
        kind: WAGE_DISPUTE, summary: "Gaji tiga bulan belum dibayar") {
        id status mission { code } accompaniedBy } }""",
        {"w": world["nurhayati"], "c": world["consent"]},
    )
    case = body["data"]["referCase"]
    assert case["status"] == "OPEN" and case["accompaniedBy"] == "SBMI"
    assert case["mission"] is not None  # routed to the mission of the worker's country
    # an officer of the mission it was routed to takes it on (cases have owners: issue #13)
    officer = stack.mint_token(
        "petugas.rujukan", ["case:read", "case:write"], mission=case["mission"]["code"]
    )
    body = stack.graphql(
        """mutation($id: ID!) { updateCaseStatus(id: $id, status: IN_PROGRESS,
        note: "catatan internal petugas") { id } }""",
        {"id": case["id"]},
        token=officer,
        purpose="CASE_HANDLING",
    ).json()
    assert "errors" not in body, body
    sent = outbox(stack, hook_id)
    assert [(e["event"], e["case"]["status"]) for e in sent] == [
        ("OPENED", "OPEN"),
        ("STATUS_CHANGED", "IN_PROGRESS"),
    ]
    assert all(e["note"] is None and e["case"]["accompaniedBy"] == "SBMI" for e in sent)
    # the partner sees the case, its history without the officer's note
    cases = partner.ask(READ_ALL, {"id": world["nurhayati"]})["data"]["worker"]["cases"]
    assert [c["id"] for c in cases] == [case["id"]]
    assert all(h["note"] is None for h in cases[0]["history"])
    # a referral without a consent in force for that worker has no path
    body = partner.ask(
        """mutation($w: ID!, $c: ID!) { referCase(workerId: $w, consentId: $c,
        kind: ABUSE, summary: "x") { id } }""",
        {"w": world["rizki"], "c": world["consent"]},
    )
    assert codes(body)["referCase"] == "NOT_FOUND"
    # the consent in force, under a purpose it was not given for: not found, never "revoked"
    body = partner.ask(
        """mutation($w: ID!, $c: ID!) { referCase(workerId: $w, consentId: $c,
        kind: WAGE_DISPUTE, summary: "Gaji tiga bulan belum dibayar") { id } }""",
        {"w": world["nurhayati"], "c": world["consent"]},
        purpose="LEGAL_AID",
    )
    assert codes(body)["referCase"] == "NOT_FOUND"
    world["hook"] = hook_id


def test_a_grave_referral_reaches_the_mission_at_once_without_the_emergency_scope(
    stack: Stack, world: dict[str, Any]
) -> None:
    """A partner holds `partner` only, never `emergency`: it may refer a grave kind (the worker
    consented to it speaking for them in their case) and the case turns the verdict to
    EMERGENCY at once; it cannot choose the mission or the severity (docs/partners.md)."""
    partner: Partner = world["partner"]
    refer = """mutation GraveRefer($w: ID!, $c: ID!, $k: CaseKind!) { referCase(workerId: $w,
    consentId: $c, kind: $k, summary: "Ditahan polisi setempat sejak kemarin malam") {
    id kind severity mission { code } accompaniedBy } }"""
    verdict = "query($id: ID!) { worker(id: $id) { protection { level } } }"
    body = partner.ask(refer, {"w": world["nurhayati"], "c": world["consent"], "k": "DETENTION"})
    case = body["data"]["referCase"]
    assert case["kind"] == "DETENTION" and case["accompaniedBy"] == "SBMI"
    assert case["severity"] == "MEDIUM" and case["mission"] is not None
    level = stack.graphql(verdict, {"id": world["nurhayati"]}).json()["data"]["worker"]
    assert level["protection"]["level"] == "EMERGENCY"
    # a kind the protection rules treat as an emergency is grave for openCase too: an agency's
    # client without `emergency` may not open it (the two lists are one: hub/cases/opening.py)
    refused = stack.graphql(
        """mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }""",
        {
            "i": {
                "workerId": world["rizki"],
                "kind": "SEXUAL_VIOLENCE",
                "severity": "MEDIUM",
                "summary": "Pelecehan oleh anak majikan, dilaporkan lewat hotline",
            }
        },
        client="p2mi-system",
        purpose="CASE_HANDLING",
    ).json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"] == {
        **refused["errors"][0]["extensions"],
        "code": "FORBIDDEN",
        "scope": "emergency",
    }
    # the officer of the mission closes it with a note once it is resolved
    officer = stack.mint_token(
        "petugas.rujukan", ["case:read", "case:write"], mission=case["mission"]["code"]
    )
    closed = stack.graphql(
        """mutation($id: ID!) { updateCaseStatus(id: $id, status: CLOSED,
        note: "Dibebaskan, tidak ada dakwaan") { status } }""",
        {"id": case["id"]},
        token=officer,
        purpose="CASE_HANDLING",
    ).json()
    assert closed["data"]["updateCaseStatus"]["status"] == "CLOSED", closed


def test_a_retried_referral_and_consent_with_their_idempotency_keys_change_once(
    stack: Stack, world: dict[str, Any]
) -> None:
    partner: Partner = world["partner"]
    refer = """mutation($w: ID!, $c: ID!, $s: String!) { referCase(workerId: $w, consentId: $c,
    kind: WAGE_DISPUTE, summary: $s) { id accompaniedBy } }"""
    terms = {"w": world["nurhayati"], "c": world["consent"], "s": "Upah lembur tidak dibayar"}
    key = {"headers": {"Idempotency-Key": "sbmi-referral-0001"}}

    def ask(variables: dict[str, Any]) -> Any:
        return stack.graphql(
            refer, variables, token=partner.token, purpose="CASE_ASSISTANCE", **key
        )

    first = ask(terms).json()["data"]["referCase"]
    assert ask(terms).json() == {"data": {"referCase": first}}
    sent = [e for e in outbox(stack, world["hook"]) if e.get("case", {}).get("id") == first["id"]]
    assert [e["event"] for e in sent] == ["OPENED"]  # one case, announced once
    reused = ask({**terms, "s": "Upah lembur empat bulan tidak dibayar"}).json()
    assert codes(reused)["referCase"] == "IDEMPOTENCY_KEY_REUSED"
    # the worker's consent, retried: one consent
    terms_given = {"organisation": "SBMI", "purpose": "LEGAL_AID", "categories": ["identity"]}

    def give() -> Any:
        return stack.graphql(
            GRANT,
            {"input": terms_given},
            token=world["self"],
            purpose="SELF_SERVICE",
            headers={"Idempotency-Key": "consent-retry-7"},
        ).json()

    mine = "{ consents { id } }"
    before = stack.graphql(mine, token=world["self"], purpose="SELF_SERVICE").json()
    given = give()["data"]["grantConsent"]
    assert give() == {"data": {"grantConsent": given}}
    after = stack.graphql(mine, token=world["self"], purpose="SELF_SERVICE").json()
    assert len(after["data"]["consents"]) == len(before["data"]["consents"]) + 1


def test_the_data_tracker_lists_every_partner_read(stack: Stack, world: dict[str, Any]) -> None:
    body = stack.graphql(
        """query($id: ID!) { accessLog(workerId: $id, first: 100) {
        entries { agencyId purpose consentId categories operation } } }""",
        {"id": world["nurhayati"]},
        token=world["self"],
        purpose="SELF_SERVICE",
    ).json()
    entries = body["data"]["accessLog"]["entries"]
    partner_reads = [e for e in entries if e["consentId"] is not None]
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        stored = session.exec(
            select(AuditEntryRow).where(
                col(AuditEntryRow.client_id) == "partner-sbmi",
                col(AuditEntryRow.worker_id) == world["nurhayati"],
                col(AuditEntryRow.outcome) == "READ",
            )
        ).all()
    engine.dispose()
    assert stored and len(partner_reads) == len(stored)
    for entry in partner_reads:
        assert entry["agencyId"] == "Serikat Buruh Migran Indonesia"
        assert entry["purpose"] == "CASE_ASSISTANCE"
        assert entry["consentId"] == world["consent"]


def test_revocation_stops_the_next_read_and_tells_the_organisation(
    stack: Stack, world: dict[str, Any]
) -> None:
    partner: Partner = world["partner"]
    body = stack.graphql(
        REVOKE,
        {"id": world["consent"]},
        token=world["self"],
        purpose="SELF_SERVICE",
    ).json()
    assert body["data"]["revokeConsent"] == {"status": "REVOKED", "version": 2}
    body = partner.ask(READ_ALL, {"id": world["nurhayati"]})
    assert body["data"]["worker"] is None
    error = body["errors"][0]["extensions"]
    assert error["code"] == "CONSENT_REVOKED" and error["status"] == "REVOKED"
    assert error["messageId"] and error["messageEn"]
    assert [e.get("type") for e in outbox(stack, world["hook"]) if "type" in e] == [
        "consent.revoked"
    ]
    # the worker's list shows it revoked; grantConsent/revokeConsent are not the partner's
    mine = stack.graphql(
        "{ consents { id status } }", token=world["self"], purpose="SELF_SERVICE"
    ).json()
    assert {"id": world["consent"], "status": "REVOKED"} in mine["data"]["consents"]
    body = partner.ask(REVOKE, {"id": world["consent"]})
    assert codes(body)["revokeConsent"] == "FORBIDDEN"


def test_an_expired_consent_and_an_officers_revocation_end_access(
    stack: Stack, world: dict[str, Any]
) -> None:
    partner: Partner = world["partner"]
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    past = now() - timedelta(days=3)
    old = ConsentLedger(
        AuditTrail(engine, AuditSigner.from_environ(stack.environ)), lambda: past
    ).grant(
        world["nurhayati"],
        "SBMI",
        Purpose.CLAIM_ASSISTANCE,
        ["identity"],
        Capture(SELF, world["nurhayati"]),
        days=1,
    )
    engine.dispose()
    body = partner.ask(READ_ALL, {"id": world["nurhayati"]}, purpose="CLAIM_ASSISTANCE")
    assert body["errors"][0]["extensions"]["code"] == "CONSENT_REVOKED"
    assert body["errors"][0]["extensions"]["status"] == "EXPIRED"
    assert old.id == body["errors"][0]["extensions"]["consentId"]
    given = grant(
        stack,
        world["self"],
        organisation="SBMI",
        purpose="REINTEGRATION",
        categories=["identity"],
        days=5,
    )
    assert partner.ask(READ_ALL, {"id": world["nurhayati"]}, purpose="REINTEGRATION")["data"][
        "worker"
    ]
    body = stack.graphql(  # at a mission: an officer with case:write
        REVOKE,
        {"id": given["id"]},
        purpose="CASE_HANDLING",
    ).json()
    assert body["data"]["revokeConsent"]["status"] == "REVOKED"
    body = partner.ask(READ_ALL, {"id": world["nurhayati"]}, purpose="REINTEGRATION")
    assert body["errors"][0]["extensions"]["code"] == "CONSENT_REVOKED"


def test_bad_consent_input_is_refused_and_changes_nothing(
    stack: Stack, world: dict[str, Any]
) -> None:
    for terms, argument in (
        (
            {"organisation": "NOPE", "purpose": "LEGAL_AID", "categories": ["identity"]},
            "organisation",
        ),
        (
            {"organisation": "SBMI", "purpose": "REINTEGRATION", "categories": ["case"]},
            "categories",
        ),
        (
            {
                "organisation": "SBMI",
                "purpose": "LEGAL_AID",
                "categories": ["identity"],
                "days": 365,
            },
            "days",
        ),
    ):
        body = stack.graphql(
            GRANT, {"input": terms}, token=world["self"], purpose="SELF_SERVICE"
        ).json()
        assert body["errors"][0]["extensions"]["argument"] == argument, body
    body = stack.graphql(  # an officer cannot consent for a worker
        GRANT,
        {"input": {"organisation": "SBMI", "purpose": "LEGAL_AID", "categories": ["identity"]}},
        purpose="CASE_HANDLING",
    ).json()
    assert codes(body)["grantConsent"] == "FORBIDDEN"
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        hooks = session.exec(select(WebhookRow).where(col(WebhookRow.partner_org) == "SBMI"))
        assert len(hooks.all()) == 1
    engine.dispose()


def test_reading_a_workers_consents_is_recorded(stack: Stack, world: dict[str, Any]) -> None:
    """Which organisations accompany a worker is the worker's data: an agency's, the
    worker's own and a partner's read of consents each leave a READ entry (category case)."""
    query = "query ConsentsRead{n}($w: ID) {{ consents(workerId: $w) {{ id }} }}"
    reads = [
        ("1", {"w": world["rizki"]}, {"client": "p2mi-system", "purpose": "CASE_HANDLING"}),
        ("2", {}, {"token": world["self"], "purpose": "SELF_SERVICE"}),
    ]
    for n, variables, how in reads:
        body = stack.graphql(query.format(n=n), variables, **how).json()
        assert "errors" not in body, body
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        with Session(engine) as session:
            found = session.exec(
                select(AuditEntryRow).where(col(AuditEntryRow.operation).startswith("ConsentsRead"))
            ).all()
    finally:
        engine.dispose()
    assert sorted((e.operation, e.outcome, e.worker_id, e.categories) for e in found) == [
        ("ConsentsRead1", "READ", world["rizki"], "case"),
        ("ConsentsRead2", "READ", world["nurhayati"], "case"),
    ]
