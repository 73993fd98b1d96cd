"""The doors issue #13 found open in cases, break-glass and the audit trail, reproduced with the
probe's own moves against a real hub and shown closed: one agency's client closing another
mission's detention case, a one-character DEATH case at an unrelated mission, a lorem-ipsum
break-glass, a machine client opening grant after grant, and AUDIT_UNAVAILABLE leaving a case
(or a grant) behind for a retry to duplicate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from auth.models import BreakGlassGrantRow
from hub.audit.tables import AuditEntryRow
from hub.cases.opening import worker_countries
from hub.cases.tables import CaseEventRow, CaseRow
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.e2e

SITI, NURHAYATI, BUDI = "3506124508900003", "3525146102930001", "3201011507880007"
BY_NIK = "query($n: String!) { workerBy(nik: $n) { id } }"
OPEN = """mutation OpenDoor($i: OpenCaseInput!) { openCase(input: $i) { id mission { code } } }"""
UPDATE = """mutation CloseDoor($id: ID!) {
  updateCaseStatus(id: $id, status: CLOSED, note: "Selesai ditangani") { id status } }"""
GLASS = (
    """mutation GlassDoor($id: ID!, $r: String!) { breakGlass(workerId: $id, reason: $r) { id } }"""
)
VERDICT = "query($id: ID!) { worker(id: $id) { protection { level } } }"
REASON = "Pekerja hilang kontak tiga minggu, keluarga melapor ke KJRI Hong Kong"
OFFICER_SCOPES = ["worker.identity:read", "case:read", "case:write", "emergency"]


@pytest.fixture(scope="module")
def doors(small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of this module's own: these tests open cases and grants, and break the trail."""
    with running_stack(small_scenario, tmp_path_factory.mktemp("case-doors")) as running:
        yield running


def worker(stack: Stack, nik: str) -> str:
    return str(stack.graphql(BY_NIK, {"n": nik}).json()["data"]["workerBy"]["id"])


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def rows(stack: Stack, query: Any) -> list[Any]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        found = list(session.exec(query).all())
    engine.dispose()
    return found


def cases_of(stack: Stack, worker_id: str) -> list[CaseRow]:
    return rows(stack, select(CaseRow).where(col(CaseRow.worker_id) == worker_id))


def refusals(stack: Stack, operation: str) -> list[AuditEntryRow]:
    return rows(
        stack,
        select(AuditEntryRow).where(
            col(AuditEntryRow.operation) == operation, col(AuditEntryRow.outcome) == "REFUSED"
        ),
    )


def test_one_agencys_client_cannot_close_another_missions_detention_case(doors: Stack) -> None:
    dewi = worker(doors, SITI)
    opened = doors.graphql(  # the embassy opens a detention case at the worker's mission
        OPEN,
        {
            "i": {
                "workerId": dewi,
                "kind": "DETENTION",
                "severity": "HIGH",
                "summary": "Ditahan polisi setelah majikan melapor",
            }
        },
    ).json()["data"]["openCase"]
    # the probe: p2mi-system closes it
    door = doors.graphql(
        UPDATE, {"id": opened["id"]}, client="p2mi-system", purpose="CASE_HANDLING"
    ).json()
    assert door["data"] is None and code(door) == "FORBIDDEN"
    assert "/" in door["errors"][0]["message"]  # Indonesian / English
    assert [c.status for c in cases_of(doors, dewi) if c.id == opened["id"]] == ["OPEN"]
    refused = refusals(doors, "CloseDoor")
    assert [(r.client_id, r.worker_id) for r in refused] == [("p2mi-system", dewi)]
    assert refused[0].reason == f"FORBIDDEN not the case's owner {opened['id']}"
    # an officer of another mission may not either; one of the case's mission may
    mission = opened["mission"]["code"]
    elsewhere = doors.mint_token("petugas.ruh", OFFICER_SCOPES, mission="RUH")
    assert code(doors.graphql(UPDATE, {"id": opened["id"]}, token=elsewhere).json()) == "FORBIDDEN"
    there = doors.mint_token("petugas.misi", OFFICER_SCOPES, mission=mission)
    closed = doors.graphql(UPDATE, {"id": opened["id"]}, token=there).json()
    assert closed["data"]["updateCaseStatus"]["status"] == "CLOSED"


def test_no_one_character_death_case_at_an_unrelated_mission(doors: Stack) -> None:
    nurhayati = worker(doors, NURHAYATI)
    engine = make_engine(doors.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        countries = worker_countries(session, nurhayati)
    engine.dispose()
    assert countries and "SA" not in countries  # placed or reported elsewhere, never Riyadh
    before = cases_of(doors, nurhayati)
    level = doors.graphql(VERDICT, {"id": nurhayati}).json()["data"]["worker"]["protection"]
    probe = {
        "workerId": nurhayati,
        "kind": "DEATH",
        "severity": "CRITICAL",
        "summary": "x",
        "missionCode": "RUH",
    }
    # the probe's own move: p2mi-system, without the emergency scope
    door = doors.graphql(OPEN, {"i": probe}, client="p2mi-system", purpose="CASE_HANDLING")
    assert code(door.json()) == "FORBIDDEN" and door.json()["errors"][0]["extensions"]["scope"] == (
        "emergency"
    )
    # with the emergency scope: a one-character summary, then the unrelated mission
    assert code(doors.graphql(OPEN, {"i": probe}).json()) == "SUMMARY_TOO_THIN"
    real = {**probe, "summary": "Meninggal dunia di asrama majikan, keluarga diberi tahu"}
    mismatch = doors.graphql(OPEN, {"i": real}).json()
    assert code(mismatch) == "MISSION_MISMATCH"
    assert mismatch["errors"][0]["extensions"]["argument"] == "missionCode"
    assert cases_of(doors, nurhayati) == before  # nothing opened
    after = doors.graphql(VERDICT, {"id": nurhayati}).json()["data"]["worker"]["protection"]
    assert after == level  # the verdict did not turn to EMERGENCY
    refused = refusals(doors, "OpenDoor")
    assert any(r.client_id == "p2mi-system" and r.reason == "FORBIDDEN emergency" for r in refused)
    # saying why opens it, and the reason stays with the case
    why = "Jenazah dipulangkan lewat Riyadh atas permintaan keluarga"
    opened = doors.graphql(OPEN, {"i": {**real, "missionReason": why}}).json()["data"]["openCase"]
    notes = rows(
        doors,
        select(CaseEventRow.note)
        .join(CaseRow, col(CaseRow.seq) == col(CaseEventRow.case_seq))
        .where(col(CaseRow.id) == opened["id"]),
    )
    assert len(notes) == 1 and why in notes[0]


def test_break_glass_is_an_officer_under_emergency_with_words_and_a_limit(doors: Stack) -> None:
    targets = [worker(doors, nik) for nik in (SITI, NURHAYATI, BUDI)]
    grants_before = len(rows(doors, select(BreakGlassGrantRow)))
    # a machine client (embassy-system holds emergency): the probe's 12 grants in a second
    for n in range(12):
        machine = doors.graphql(GLASS, {"id": targets[n % 3], "r": REASON}).json()
        assert code(machine) == "BREAK_GLASS_REFUSED"
        assert machine["errors"][0]["extensions"]["reason"] == "HUMAN_ONLY"
    officer = doors.mint_token("petugas.kaca", OFFICER_SCOPES)
    # filler is refused
    for filler in ("lorem ipsum dolor sit amet", "asdfasdfasdf qwerqwerqwer"):
        body = doors.graphql(GLASS, {"id": targets[0], "r": filler}, token=officer).json()
        assert code(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["argument"] == (
            "reason"
        )
    # only under purpose EMERGENCY
    other = doors.graphql(
        GLASS, {"id": targets[0], "r": REASON}, token=officer, purpose="CASE_HANDLING"
    ).json()
    assert code(other) == "PURPOSE_NOT_ALLOWED"
    assert len(rows(doors, select(BreakGlassGrantRow))) == grants_before
    # an officer opens a few an hour (HUB_BREAK_GLASS_PER_HOUR, 5); the next raises an alert
    alerts = alert_count(doors)
    for n in range(5):
        ok = doors.graphql(GLASS, {"id": targets[n % 3], "r": REASON}, token=officer).json()
        assert ok["data"]["breakGlass"]["id"], ok
    over = doors.graphql(GLASS, {"id": targets[0], "r": REASON}, token=officer).json()
    assert code(over) == "BREAK_GLASS_REFUSED" and over["errors"][0]["extensions"]["reason"] == (
        "LIMIT"
    )
    assert alert_count(doors) == alerts + 1
    limit = [r for r in refusals(doors, "GlassDoor") if r.subject == "petugas.kaca"]
    assert "BREAK_GLASS_REFUSED LIMIT" in {r.reason for r in limit}
    machines = [r for r in refusals(doors, "GlassDoor") if r.client_id == "embassy-system"]
    assert {r.reason for r in machines} == {"BREAK_GLASS_REFUSED HUMAN_ONLY"}
    # the grant lifts scopes under EMERGENCY only
    kpj = "query($id: ID!) { worker(id: $id) { socialSecurity { kpj } } }"
    reader = doors.mint_token("petugas.kaca", OFFICER_SCOPES)
    emergency = doors.graphql(kpj, {"id": targets[0]}, token=reader).json()
    assert emergency["data"]["worker"]["socialSecurity"]["kpj"]
    handling = doors.graphql(kpj, {"id": targets[0]}, token=reader, purpose="CASE_HANDLING")
    assert handling.json()["data"]["worker"]["socialSecurity"] is None


def alert_count(stack: Stack) -> float:
    metrics = httpx.get(f"{stack.hub_url}/metrics", timeout=10).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("pmihub_break_glass_alerts_total{") and 'reason="LIMIT"' in line
    )


@contextmanager
def audit_down(stack: Stack) -> Iterator[None]:
    """The trail refuses every write (a fault in the audit table), then comes back."""
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if postgres:
            conn.execute(
                text(
                    "CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'audit down'; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_entry "
                    "FOR EACH ROW EXECUTE FUNCTION audit_down()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_entry "
                    "BEGIN SELECT RAISE(ABORT, 'audit down'); END"
                )
            )
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_down" + (" ON audit_entry" if postgres else "")))
            if postgres:
                conn.execute(text("DROP FUNCTION audit_down()"))
        engine.dispose()


def test_audit_unavailable_leaves_no_case_or_grant_and_a_retry_makes_one(doors: Stack) -> None:
    budi = worker(doors, BUDI)
    case = {
        "i": {
            "workerId": budi,
            "kind": "ILLNESS",
            "severity": "MEDIUM",
            "summary": "Dirawat di rumah sakit karena demam tinggi",
        }
    }
    officer = doors.mint_token("petugas.jejak", OFFICER_SCOPES)
    cases, grants = len(cases_of(doors, budi)), len(rows(doors, select(BreakGlassGrantRow)))
    with audit_down(doors):
        failed = doors.graphql(OPEN, case).json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
        glass = doors.graphql(GLASS, {"id": budi, "r": REASON}, token=officer).json()
        assert glass["data"] is None and code(glass) == "AUDIT_UNAVAILABLE"
    assert len(cases_of(doors, budi)) == cases  # the probe found a case left behind here
    assert len(rows(doors, select(BreakGlassGrantRow))) == grants
    retried = doors.graphql(OPEN, case).json()["data"]["openCase"]
    assert [c.id for c in cases_of(doors, budi)][cases:] == [retried["id"]]  # one, not two
    opened = doors.graphql(GLASS, {"id": budi, "r": REASON}, token=officer).json()
    assert opened["data"]["breakGlass"]["id"]
    assert len(rows(doors, select(BreakGlassGrantRow))) == grants + 1


REGISTER = (
    """mutation HookDoor($u: String!) { registerWebhook(url: $u) { webhook { id } secret } }"""
)
REMOVE = """mutation UnhookDoor($id: ID!) { removeWebhook(id: $id) }"""


def test_audit_unavailable_leaves_no_webhook_added_or_removed(doors: Stack) -> None:
    from hub.cases.tables import WebhookRow

    url = {"u": "https://hooks.example.org/pmihub-doors"}
    before = len(rows(doors, select(WebhookRow)))
    with audit_down(doors):
        failed = doors.graphql(REGISTER, url).json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
    assert len(rows(doors, select(WebhookRow))) == before  # no receiver left behind
    made = doors.graphql(REGISTER, url).json()["data"]["registerWebhook"]["webhook"]["id"]
    with audit_down(doors):
        kept = doors.graphql(REMOVE, {"id": made}).json()
        assert kept["data"] is None and code(kept) == "AUDIT_UNAVAILABLE"
    assert [
        r.active for r in rows(doors, select(WebhookRow).where(col(WebhookRow.id) == made))
    ] == [True]
    assert doors.graphql(REMOVE, {"id": made}).json()["data"]["removeWebhook"] is True
    changes = rows(doors, select(AuditEntryRow).where(col(AuditEntryRow.outcome) == "CHANGE"))
    assert [r.reason for r in changes][-2:] == [f"webhook added {made}", f"webhook removed {made}"]


GRANT = """mutation GrantDoor($i: GrantConsentInput!) { grantConsent(input: $i) { id status } }"""
REVOKE_CONSENT = """mutation RevokeDoor($id: ID!) { revokeConsent(id: $id) { status version } }"""
WITNESS = """mutation WitnessDoor($id: ID!) { witnessAuditCheckpoints(webhookId: $id) }"""


def test_audit_unavailable_leaves_no_consent_granted_or_revoked(doors: Stack) -> None:
    from hub.cases.tables import DeliveryRow
    from hub.partners import PartnerRegistry
    from hub.partners.tables import ConsentRow

    engine = make_engine(doors.environ["HUB_DATABASE_URL"])
    _, secret = PartnerRegistry(engine).add(
        "KSBSI", name="Konfederasi Serikat Buruh Sejahtera Indonesia", contact="dpo@ksbsi.example"
    )
    engine.dispose()
    partner = httpx.post(
        f"{doors.hub_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("partner-ksbsi", str(secret)),
        timeout=10,
    ).json()["access_token"]
    hook = doors.graphql(
        REGISTER, {"u": "https://hooks.ksbsi.example/pmihub"}, token=partner, purpose="LEGAL_AID"
    ).json()["data"]["registerWebhook"]["webhook"]["id"]
    budi = worker(doors, BUDI)
    own = doors.mint_token(budi, ["self"])
    terms = {"i": {"organisation": "KSBSI", "purpose": "LEGAL_AID", "categories": ["identity"]}}

    def versions() -> list[tuple[str, int, str]]:
        found = rows(doors, select(ConsentRow).where(col(ConsentRow.worker_id) == budi))
        return sorted((r.consent_id, r.version, r.status) for r in found)

    def told() -> list[DeliveryRow]:
        return rows(doors, select(DeliveryRow).where(col(DeliveryRow.webhook_id) == hook))

    with audit_down(doors):
        failed = doors.graphql(GRANT, terms, token=own, purpose="SELF_SERVICE").json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
    assert versions() == []  # no consent the worker was told failed
    given = doors.graphql(GRANT, terms, token=own, purpose="SELF_SERVICE").json()
    consent = given["data"]["grantConsent"]["id"]
    assert versions() == [(consent, 1, "ACTIVE")]
    with audit_down(doors):  # the worker's revocation, then an officer's at a mission
        failed = doors.graphql(
            REVOKE_CONSENT, {"id": consent}, token=own, purpose="SELF_SERVICE"
        ).json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
        failed = doors.graphql(REVOKE_CONSENT, {"id": consent}, purpose="CASE_HANDLING").json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
    assert versions() == [(consent, 1, "ACTIVE")] and told() == []  # in force, no one told
    revoked = doors.graphql(REVOKE_CONSENT, {"id": consent}, token=own, purpose="SELF_SERVICE")
    assert revoked.json()["data"]["revokeConsent"] == {"status": "REVOKED", "version": 2}
    assert [json.loads(d.payload)["type"] for d in told()] == ["consent.revoked"]
    changes = rows(
        doors,
        select(AuditEntryRow).where(
            col(AuditEntryRow.outcome) == "CHANGE", col(AuditEntryRow.worker_id) == budi
        ),
    )
    assert [(r.operation, r.reason) for r in changes] == [
        ("GrantDoor", f"consent granted {consent} to KSBSI"),
        ("RevokeDoor", f"consent revoked {consent} of KSBSI"),
    ]


def test_audit_unavailable_leaves_no_witness_subscribed(doors: Stack) -> None:
    from hub.audit.publish import AuditWitnessRow

    auditor = doors.mint_token("auditor.pintu", ["audit:read", "case:read"])
    made = doors.graphql(
        REGISTER, {"u": "https://hooks.example.org/witness"}, token=auditor, purpose="CASE_HANDLING"
    ).json()["data"]["registerWebhook"]["webhook"]["id"]

    def witnesses() -> list[AuditWitnessRow]:
        return rows(doors, select(AuditWitnessRow).where(col(AuditWitnessRow.webhook_id) == made))

    with audit_down(doors):
        failed = doors.graphql(WITNESS, {"id": made}, token=auditor, purpose="CASE_HANDLING")
        assert failed.json()["data"] is None and code(failed.json()) == "AUDIT_UNAVAILABLE"
    assert witnesses() == []
    done = doors.graphql(WITNESS, {"id": made}, token=auditor, purpose="CASE_HANDLING").json()
    assert done == {"data": {"witnessAuditCheckpoints": True}} and len(witnesses()) == 1
    changes = rows(doors, select(AuditEntryRow).where(col(AuditEntryRow.outcome) == "CHANGE"))
    assert [r.reason for r in changes][-1] == f"witness added {made}"


def test_a_retried_open_case_with_its_idempotency_key_opens_one_case(doors: Stack) -> None:
    """An embassy's answer lost in transit: the retry, with the same Idempotency-Key, finds the
    first attempt; the key reused for another request is refused; nothing of it stored in clear."""
    from hub.edge.idempotency import IdempotencyRow

    nurhayati = worker(doors, NURHAYATI)
    summary = "Majikan menahan paspor dan gaji dua bulan"
    case = {"i": {"workerId": nurhayati, "kind": "ABUSE", "severity": "HIGH", "summary": summary}}
    key = "8e0f3b0c-4b1e-4c55-9a55-embassy-retry-1"
    with_key = {"headers": {"Idempotency-Key": key}}
    before = len(cases_of(doors, nurhayati))
    first = doors.graphql(OPEN, case, **with_key).json()["data"]["openCase"]
    again = doors.graphql(OPEN, case, **with_key).json()
    assert again == {"data": {"openCase": first}}
    assert [c.id for c in cases_of(doors, nurhayati)][before:] == [first["id"]]  # one, not two
    opened = rows(
        doors,
        select(CaseEventRow)
        .join(CaseRow, col(CaseRow.seq) == col(CaseEventRow.case_seq))
        .where(col(CaseRow.id) == first["id"]),
    )
    assert [e.event for e in opened] == ["OPENED"]
    # the same key for another request: refused, recorded, nothing opened
    other = {"i": {**case["i"], "summary": "Majikan menahan paspor dan gaji tiga bulan"}}
    reused = doors.graphql(OPEN, other, **with_key).json()
    assert reused["data"] is None and code(reused) == "IDEMPOTENCY_KEY_REUSED"
    assert reused["errors"][0]["extensions"]["header"] == "Idempotency-Key"
    assert "/" in reused["errors"][0]["message"]  # Indonesian / English
    assert len(cases_of(doors, nurhayati)) == before + 1
    assert [r.reason for r in refusals(doors, "OpenDoor")][-1] == "IDEMPOTENCY_KEY_REUSED"
    # the key is the principal's: another principal's same key is another key
    officer = doors.mint_token("petugas.ulang", OFFICER_SCOPES)
    theirs = doors.graphql(OPEN, case, token=officer, **with_key).json()["data"]["openCase"]
    assert theirs["id"] != first["id"]
    # a malformed key is bad input and changes nothing
    for bad in ("two words", "x" * 256, ""):
        body = doors.graphql(OPEN, case, headers={"Idempotency-Key": bad}).json()
        assert body["data"] is None and code(body) == "BAD_USER_INPUT", bad
    assert len(cases_of(doors, nurhayati)) == before + 2
    # the trail down: no case and no key kept, so the retry opens the one case
    retry = {"headers": {"Idempotency-Key": "embassy-retry-2"}}
    with audit_down(doors):
        failed = doors.graphql(OPEN, case, **retry).json()
        assert failed["data"] is None and code(failed) == "AUDIT_UNAVAILABLE"
    made = doors.graphql(OPEN, case, **retry).json()["data"]["openCase"]
    assert doors.graphql(OPEN, case, **retry).json()["data"]["openCase"]["id"] == made["id"]
    assert len(cases_of(doors, nurhayati)) == before + 3
    # stored: digests, the mutation, what it made; never the key, the summary or the worker
    kept = rows(doors, select(IdempotencyRow))
    assert {r.result_id for r in kept} == {first["id"], theirs["id"], made["id"]}
    for r in kept:
        stored = " ".join(str(v) for v in r.model_dump().values())
        assert key not in stored and "embassy-retry" not in stored
        assert summary not in stored and nurhayati not in stored
        assert len(r.key) == len(r.request) == 64 and r.operation == "openCase"


def test_an_unknown_or_malformed_worker_is_a_recorded_refusal_and_no_case(doors: Stack) -> None:
    # given: one id the hub never issued, one that is not an id at all (a NIK, typed by mistake)
    unknown = "wk_" + "e" * 20
    asked = {
        "OpenUnknownWorker": (unknown, "NOT_FOUND"),
        "OpenMalformedWorker": (SITI, "BAD_USER_INPUT"),
    }
    # when
    for name, (worker_id, expected) in asked.items():
        body = doors.graphql(
            OPEN.replace("OpenDoor", name, 1),
            {"i": {"workerId": worker_id, "kind": "ILLNESS", "severity": "LOW", "summary": REASON}},
        ).json()
        assert body["data"] is None
        assert code(body) == expected
    # then: both attempts are in the trail, the mistyped NIK is not; no case was opened
    found = sorted(
        (r.operation, r.worker_id, r.categories, r.reason)
        for name in asked
        for r in refusals(doors, name)
    )
    assert found == [
        ("OpenMalformedWorker", None, "case", "BAD_USER_INPUT workerId"),
        ("OpenUnknownWorker", unknown, "case", "NOT_FOUND worker"),
    ]
    assert cases_of(doors, unknown) == []
