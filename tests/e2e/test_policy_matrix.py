"""The declared access policy, walked over HTTP against a running hub.

For every token (no scope, each single scope, each demo role, a worker's own token, a partner
organisation's token holding the worker's consent) and every purpose (none and each one), the
expected outcome of every Query field, every Worker section, the phone and every Mutation field
is read from ``hub.graphql.policy`` and checked against the answer: allowed, or refused with
its typed error (PURPOSE_REQUIRED, PURPOSE_NOT_ALLOWED, FORBIDDEN naming the scope); and the
audit entry of each request holds the categories the answer carried, or the refusal. Requests
are batched: one document for the root fields and one for the sections per token and purpose,
one request per mutation (with input that fails after the gate, so nothing changes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from auth.clients import add_client
from auth.demo import AGENCY_CLIENTS, OFFICER_SCOPES
from auth.errors import PurposeError
from auth.purpose import Purpose, check_allowed
from auth.scopes import Scope
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.audit.trail import AuditTrail
from hub.graphql.policy import POLICY, Gate, Rule
from hub.partners import ConsentLedger, PartnerRegistry
from hub.partners.ledger import SELF, Capture
from hub.storage import make_engine
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

SITI = "3506124508900003"
PURPOSES: list[str | None] = [None, *(p.value for p in Purpose)]
SINGLE = "matrix-single"  # a client registered here holding every scope but self and partner
PARTNER_ORG = "MATRIX_ORG"  # a partner organisation siti consented to (CONSENT below)
CONSENT = (Purpose.CASE_ASSISTANCE, frozenset({"identity", "case"}))

ROOTS = {  # one selection per Query field (the sections are the other document)
    "worker": "worker(id: $id) { id }",
    "workers": "workers(ids: [$id]) { id }",
    "workerBy": "workerBy(nik: $nik) { id }",
    "workersByNik": "workersByNik(niks: [$nik]) { id }",
    "searchWorkers": "searchWorkers(query: $nik) { edges { node { id } } }",
    "_entities": "_entities(representations: $r) { ... on Worker { id } }",
    "_service": "_service { sdl }",
    "matchCandidates": "matchCandidates(first: 1) { totalCount }",
    "accessLog": "accessLog(workerId: $id, first: 1) { entries { at } }",
    "me": "me { clientId }",
    "sources": "sources { agency }",
    "missions": "missions { code phone }",
    "auditCheckpoints": "auditCheckpoints(first: 1) { id }",
    "coverageStatistics": 'coverageStatistics(table: "enrolment_by_country") { table }',
    "statisticsTables": "statisticsTables",
    "partnerStatistics": 'partnerStatistics(table: "enrolment_by_country") { table }',
    "consents": "consents(workerId: $id) { id }",
    "consentText": f'consentText(input: {{organisation: "{PARTNER_ORG}", purpose: '
    'CASE_ASSISTANCE, categories: ["identity"]}) { textHash }',
    "cohort": 'cohort(filter: {country: "HK"}, first: 1) { totalCount }',
    "protectionAlerts": "protectionAlerts(first: 1) { id }",
}
SECTIONS = {
    "identity": "identity { fullName phone }",
    "placements": "placements { placementId }",
    "socialSecurity": "socialSecurity { kpj }",
    "consular": "consular { reported }",
    "cases": "cases { id }",
    "protection": "protection { level findings { code } }",
    "sources": "sources { agency }",
}
BAD = "wk_bad"
MUTATIONS = {  # input each resolver refuses after the gate: nothing changes
    "openCase": f'openCase(input: {{workerId: "{BAD}", kind: ILLNESS, severity: LOW, '
    'summary: "x"}) { id }',
    "updateCaseStatus": 'updateCaseStatus(id: "CASE-NONE", status: CLOSED, note: "x") { id }',
    "registerWebhook": 'registerWebhook(url: "not a url") { secret }',
    "removeWebhook": 'removeWebhook(id: "none")',
    "confirmMatch": 'confirmMatch(id: "x") { id }',
    "rejectMatch": 'rejectMatch(id: "x") { id }',
    "splitWorker": f'splitWorker(workerId: "{BAD}", records: []) {{ workerId }}',
    "breakGlass": f'breakGlass(workerId: "{BAD}", reason: "x") {{ id }}',
    "witnessAuditCheckpoints": 'witnessAuditCheckpoints(webhookId: "none")',
    "grantConsent": 'grantConsent(input: {organisation: "NONE", purpose: LEGAL_AID, '
    'categories: ["identity"]}) { id }',
    "revokeConsent": 'revokeConsent(id: "none") { id }',
    "referCase": f'referCase(workerId: "{BAD}", consentId: "none", kind: ABUSE, summary: "x") '
    "{ id }",
    "acknowledgeAlert": 'acknowledgeAlert(id: "alt_none", note: "x") { id }',
    "markReached": f'markReached(workerId: "{BAD}") {{ workerId }}',
}
VARIABLES = {"id": "ID!", "nik": "String!", "r": "[_Any!]!"}
REFUSALS = {"FORBIDDEN", "PURPOSE_REQUIRED", "PURPOSE_NOT_ALLOWED"}


@dataclass(frozen=True)
class Caller:
    label: str
    scopes: frozenset[str]
    token: str

    @property
    def is_self(self) -> bool:
        return Scope.SELF in self.scopes

    @property
    def is_partner(self) -> bool:
        return Scope.PARTNER in self.scopes

    def own_purpose(self) -> str:
        if self.is_self:
            return "SELF_SERVICE"
        return CONSENT[0].value if self.is_partner else "CASE_HANDLING"


def expect_root(rule: Rule, caller: Caller, purpose: str | None) -> str | None:
    """None (allowed) or the error code the policy declares (never dev in these tests)."""
    if rule.purposes is not None and purpose is None:
        return "PURPOSE_REQUIRED"
    if caller.is_partner:
        if rule.scopes and rule.partner is None:
            return "FORBIDDEN"
    elif not (caller.is_self and rule.self_reads) and not set(rule.scopes) <= caller.scopes:
        return "FORBIDDEN"
    if rule.purposes is not None and purpose is not None and Purpose(purpose) not in rule.purposes:
        return "PURPOSE_NOT_ALLOWED"
    return None


def expect_field(rule: Rule, caller: Caller, purpose: str) -> bool:
    if rule.purposes is not None and Purpose(purpose) not in rule.purposes:
        return False
    if caller.is_partner:  # what siti's consent opens, for its purpose only
        consented, categories = CONSENT
        return rule.partner is not None and purpose == consented and rule.partner in categories
    if caller.is_self:
        return rule.self_reads
    return set(rule.scopes) <= caller.scopes


@pytest.fixture(scope="module")
def callers(stack: Stack) -> list[Caller]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    every = frozenset(Scope) - {Scope.SELF, Scope.PARTNER}
    org, partner_secret = PartnerRegistry(engine).add(PARTNER_ORG, name="Matrix", contact="m")
    ConsentLedger(AuditTrail(engine, AuditSigner.from_environ(stack.environ))).grant(
        worker_of(stack), PARTNER_ORG, CONSENT[0], CONSENT[1], Capture(SELF, "matrix")
    )
    _, secret = add_client(
        engine,
        client_id=SINGLE,
        name="Matrix",
        agency="PMIHUB",
        scopes=every,
        grant_types=["client_credentials"],
        replace=True,
    )
    engine.dispose()

    def token(client: str, client_secret: str, scope: str | None) -> str:
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        answer = httpx.post(
            f"{stack.hub_url}/oauth/token", data=data, auth=(client, client_secret), timeout=10
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    siti = worker_of(stack)
    out = [Caller("none", frozenset(), scopeless(stack))]
    out += [Caller(s, frozenset({s}), token(SINGLE, str(secret), s)) for s in sorted(every)]
    out += [Caller(c, frozenset(s), stack.token(c)) for c, (_, _, s) in AGENCY_CLIENTS.items()]
    out.append(
        Caller("officer", OFFICER_SCOPES, stack.mint_token("petugas.kbri", sorted(OFFICER_SCOPES)))
    )
    out.append(Caller("self", frozenset({Scope.SELF}), stack.mint_token(siti, ["self"])))
    partner = token(org.client_id, str(partner_secret), None)
    out.append(Caller("partner", frozenset({Scope.PARTNER}), partner))
    return out


def scopeless(stack: Stack) -> str:
    """A token of a registered client holding no scope at all (the token endpoint gives a
    client every scope it holds when none is asked for, so this one is issued directly)."""
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    server = HubAuthorizationServer(engine, AuthSettings.from_environ(stack.environ))
    issued = server.tokens.issue(client_id=SINGLE, subject=SINGLE, scopes=[])
    engine.dispose()
    return str(issued.value)


def worker_of(stack: Stack) -> str:
    body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": SITI}).json()
    return str(body["data"]["workerBy"]["id"])


_CLIENTS: dict[str, httpx.Client] = {}


def post(stack: Stack, caller: Caller, purpose: str | None, query: str, variables: Any) -> Any:
    """One kept-alive connection for the whole walk (a new one per request costs more than
    the request)."""
    client = _CLIENTS.get(stack.hub_url)
    if client is None:
        client = _CLIENTS[stack.hub_url] = httpx.Client(base_url=stack.hub_url, timeout=30)
    headers = {"Authorization": f"Bearer {caller.token}"}
    if purpose:
        headers["X-Purpose"] = purpose
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


@pytest.fixture(scope="module", autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    for client in _CLIENTS.values():
        client.close()
    _CLIENTS.clear()


def errors_at(body: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(e.get("path") or ()): e.get("extensions", {}) for e in body.get("errors", [])}


def audit_rows(stack: Stack, prefix: str) -> dict[str, list[AuditEntryRow]]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        found = session.exec(
            select(AuditEntryRow).where(AuditEntryRow.operation.startswith(prefix))  # type: ignore[attr-defined]
        )
        by_operation: dict[str, list[AuditEntryRow]] = defaultdict(list)
        for row in found:
            by_operation[row.operation].append(row)
    engine.dispose()
    return by_operation


def reason(extensions: dict[str, Any]) -> str:
    """The reason the audit trail records for a refusal: the code and the scope it names."""
    scope = extensions.get("scope")
    return f"{extensions['code']} {scope}" if scope else str(extensions["code"])


def refusal_reasons(rows: list[AuditEntryRow]) -> set[str | None]:
    return {row.reason for row in rows if row.outcome == "REFUSED"}


def categories(rows: list[AuditEntryRow], outcome: str, worker_id: str | None) -> set[str]:
    return {
        c
        for row in rows
        if row.outcome == outcome and row.worker_id == worker_id
        for c in (row.categories or "").split(",")
        if c
    }


def test_the_declared_policy_holds_for_every_field_token_and_purpose(
    stack: Stack, callers: list[Caller]
) -> None:
    siti = worker_of(stack)
    variables = {"id": siti, "nik": SITI, "r": [{"__typename": "Worker", "id": siti}]}
    checked: list[tuple[str, str, str | None]] = []
    expected_audit: dict[str, tuple[set[str], set[str], bool]] = {}
    expected_reasons: dict[str, set[str]] = defaultdict(set)
    refused_at_the_edge: set[str] = set()
    for n, caller in enumerate(callers):
        for purpose in PURPOSES:
            try:
                if purpose is not None:
                    check_allowed(Purpose(purpose), caller.scopes)
            except PurposeError:
                answer = post(stack, caller, purpose, "{ me { clientId } }", {})
                assert answer.status_code == 403, (caller.label, purpose)
                assert answer.json()["errors"][0]["extensions"]["code"] == "PURPOSE_NOT_ALLOWED"
                refused_at_the_edge.add(caller.token)
                continue
            # the root fields, one request each (a refused non-null root field nulls the rest)
            refused: set[str] = set()
            returned: set[str] = set()
            any_refusal = False
            name = f"MatrixRoots{n}x{purpose}"
            for field, selection in ROOTS.items():
                used = {k: v for k, v in VARIABLES.items() if f"${k}" in selection}
                declared = ", ".join(f"${k}: {v}" for k, v in used.items())
                document = f"query {name}{f'({declared})' if used else ''} {{ {selection} }}"
                given = {k: variables[k] for k in used}
                body = post(stack, caller, purpose, document, given).json()
                errors = errors_at(body)
                rule = POLICY[f"Query.{field}"]
                want = expect_root(rule, caller, purpose)
                got = errors.get((field,), {}).get("code")
                assert got == want, (caller.label, purpose, field, body)
                if want == "FORBIDDEN":
                    assert errors[(field,)]["scope"] in rule.scopes
                if want is not None:
                    any_refusal = True
                    expected_reasons[name].add(reason(errors[(field,)]))
                    if rule.category:
                        refused.add(rule.category)
                elif rule.category == "identity" and field != "matchCandidates":
                    returned.add("identity")  # matchCandidates: totalCount only, no worker
                elif rule.category == "access_log":
                    returned.add("access_log")  # reading who looked is recorded too
                elif field == "consents":
                    returned.add("case")  # whose consents were read (the organisations)
                checked.append((caller.label, f"Query.{field}", purpose))
            expected_audit[name] = (refused, returned, any_refusal)
            # the Worker sections, through worker(id:)
            name = f"MatrixSections{n}x{purpose}"
            sections = " ".join(SECTIONS.values())
            document = f"query {name}($id: ID!) {{ worker(id: $id) {{ id {sections} }} }}"
            body = post(stack, caller, purpose, document, {"id": siti}).json()
            errors = errors_at(body)
            root_error = expect_root(POLICY["Query.worker"], caller, purpose)
            if root_error is not None:
                assert body["data"] == {"worker": None}
                assert errors[("worker",)]["code"] == root_error
                expected_audit[name] = (set(), set(), True)
                expected_reasons[name].add(reason(errors[("worker",)]))
                continue
            assert purpose is not None
            if caller.is_partner and purpose != CONSENT[0].value:  # no consent for it: unknown
                assert body == {"data": {"worker": None}}, (purpose, body)
                expected_audit[name] = (set(), set(), False)
                continue
            worker = body["data"]["worker"]
            read: set[str] = set()
            refused = set()
            for section in SECTIONS:
                rule = POLICY[f"Worker.{section}"]
                allowed = expect_field(rule, caller, purpose)
                error = errors.get(("worker", section))
                if allowed:
                    assert error is None and worker[section] is not None, (caller.label, section)
                    if rule.category:
                        read.add(rule.category)
                else:
                    assert worker[section] is None, (caller.label, purpose, section)
                    assert error is not None and error["code"] == "FORBIDDEN"
                    assert error["scope"] in rule.scopes
                    refused.add(rule.category or "")
                    expected_reasons[name].add(reason(error))
                checked.append((caller.label, f"Worker.{section}", purpose))
            if worker["identity"] is not None:
                phone = POLICY["Identity.phone"]
                error = errors.get(("worker", "identity", "phone"))
                if expect_field(phone, caller, purpose):
                    assert error is None and worker["identity"]["phone"], caller.label
                    read.add("contact")
                else:
                    assert worker["identity"]["phone"] is None and error["code"] == "FORBIDDEN"
                    refused.add("contact")
                    expected_reasons[name].add(reason(error))
                checked.append((caller.label, "Identity.phone", purpose))
            expected_audit[name] = (refused - {""}, read, bool(refused))
    # every request's audit entries: refusals with their categories, reads with theirs
    rows = audit_rows(stack, "Matrix")
    rows["graphql:purpose"] = audit_rows(stack, "graphql:purpose")["graphql:purpose"]
    for name, (refused, read, any_refusal) in expected_audit.items():
        entries = rows.get(name, [])
        target = None if name.startswith("MatrixRoots") else siti
        if name.startswith("MatrixSections") and refused:
            assert categories(entries, "REFUSED", siti) == refused, name
        elif refused:
            assert categories(entries, "REFUSED", target) == refused, name
        if any_refusal:
            assert any(e.outcome == "REFUSED" for e in entries), name
        assert categories(entries, "READ", siti) == read, (name, entries)
        # each refusal says why: the code and the scope it lacked
        assert refusal_reasons(entries) == expected_reasons[name], name
    # a purpose a token may not declare is refused before GraphQL runs, and recorded too
    edge = {(row.client_id, row.subject) for row in rows.get("graphql:purpose", [])}
    assert refused_at_the_edge
    for token in refused_at_the_edge:
        caller = next(c for c in callers if c.token == token)
        assert who(stack, caller) in edge, caller.label
    assert len({c for c, _, _ in checked}) == len(callers)


def who(stack: Stack, caller: Caller) -> tuple[str, str]:
    body = post(stack, caller, None, "{ me { clientId subject } }", {}).json()
    return body["data"]["me"]["clientId"], body["data"]["me"]["subject"]


def test_every_mutation_is_gated_as_declared_and_changes_nothing(
    stack: Stack, callers: list[Caller]
) -> None:
    reasons: dict[str, str] = {}
    for n, caller in enumerate(callers):
        purpose = caller.own_purpose()
        for field, selection in MUTATIONS.items():
            rule = POLICY[f"Mutation.{field}"]
            name = f"MatrixMutation{n}x{field}"
            body = post(stack, caller, purpose, f"mutation {name} {{ {selection} }}", {}).json()
            assert body["data"] is None
            code = body["errors"][0]["extensions"]["code"]
            want = expect_root(rule, caller, purpose)
            if want is None:
                assert code not in REFUSALS, (caller.label, field, body["errors"])
            else:
                assert code == want, (caller.label, field, body["errors"])
                reasons[name] = reason(body["errors"][0]["extensions"])
    rows = audit_rows(stack, "MatrixMutation")
    for n, caller in enumerate(callers):
        for field in MUTATIONS:
            entries = rows.get(f"MatrixMutation{n}x{field}", [])
            assert not [e for e in entries if e.outcome == "READ"], (caller.label, field)
            purpose = caller.own_purpose()
            if expect_root(POLICY[f"Mutation.{field}"], caller, purpose) is not None:
                refusals = [e for e in entries if e.outcome == "REFUSED"]
                assert refusals, (caller.label, field)
                assert {e.reason for e in refusals} == {reasons[f"MatrixMutation{n}x{field}"]}


def test_every_root_and_section_of_the_policy_is_in_the_matrix() -> None:
    gated = {c for c, r in POLICY.items() if r.gate in (Gate.ROOT, Gate.SECTION)}
    walked = {f"Query.{f}" for f in ROOTS} | {f"Worker.{s}" for s in SECTIONS}
    walked |= {f"Mutation.{m}" for m in MUTATIONS}
    # the subscriptions are refused at connection_init over WebSockets (4403):
    # tests/cases/test_live.py, tests/census/test_census_e2e.py
    live = {"Subscription.caseEvents", "Subscription.protectionAlerts"}
    assert gated - live <= walked, gated - walked
