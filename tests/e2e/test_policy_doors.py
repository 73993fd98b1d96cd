"""The doors issue #13 found open at the edge, reproduced with its own queries and shown closed:
identifier lookups without the identity scope, agency presence through ``Worker.sources``, KPJ
and case ids through findings, local ids through links, the phone outside contact data, a
worker's own token reading officers' case notes and next of kin, and losing its record after a
merge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from hub.audit.tables import AuditEntryRow
from hub.crosswalk.tables import AgencyRecordRow, WorkerRow
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.e2e.stack import AGENCIES, Stack, running_stack

pytestmark = pytest.mark.e2e

SITI, BUDI = "3506124508900003", "3201011507880007"
DEWI_PASSPORT = "B7654321"  # known only to the embassy, a DETENTION case at KBRI Kuala Lumpur
UNKNOWN_NIK = "3171014101950004"  # a valid NIK no agency holds
DOOR = "query Door($n: [String!]!) { workersByNik(niks: $n) { id sources { agency state } } }"
FINDINGS = """query Findings($p: String!) { workerBy(passport: $p) { id
  protection { level findings { code severity message messageEn: message(lang: EN)
    action actionEn: action(lang: EN) evidence { agency system recordId } } } } }"""


@pytest.fixture(scope="module")
def own_stack(
    small_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """A stack of this module's own: these tests open cases and merge workers."""
    with running_stack(small_scenario, tmp_path_factory.mktemp("doors")) as running:
        yield running


def rows(stack: Stack, model: Any, *where: Any) -> list[Any]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        found = list(session.exec(select(model).where(*where)).scalars())  # type: ignore[call-overload]
    engine.dispose()
    return found


def count(stack: Stack, model: Any) -> int:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        total = session.exec(select(func.count()).select_from(model)).one()  # type: ignore[call-overload]
    engine.dispose()
    return int(total[0])


def upstream_calls(stack: Stack) -> int:
    total = 0
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            total += client.get("/_sandbox/stats").json()["total"]
    return total


def audit_of(stack: Stack, operation: str) -> list[AuditEntryRow]:
    return rows(stack, AuditEntryRow, AuditEntryRow.operation == operation)


def test_workers_by_nik_needs_the_identity_scope_and_searches_nothing_without_it(
    own_stack: Stack,
) -> None:
    # given: a client holding case:read only (and a purpose), and an unknown NIK
    before = (upstream_calls(own_stack), count(own_stack, WorkerRow))
    # when
    body = own_stack.graphql(
        DOOR,
        {"n": [SITI, UNKNOWN_NIK]},
        client="p2mi-system",
        scope="case:read",
        purpose="CASE_HANDLING",
    ).json()
    # then: refused, typed, nothing learnt, no agency searched, nothing written, recorded
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["extensions"]["scope"] == "worker.identity:read"
    assert (upstream_calls(own_stack), count(own_stack, WorkerRow)) == before
    (refused,) = audit_of(own_stack, "Door")
    assert refused.outcome == "REFUSED" and refused.client_id == "p2mi-system"


def test_sources_name_only_the_agencies_whose_section_the_token_reads(own_stack: Stack) -> None:
    # kemnaker-system: identity, NIK, placements, protection; no BPJS, no consular, no cases
    body = own_stack.graphql(
        DOOR, {"n": [SITI]}, client="kemnaker-system", purpose="PLACEMENT_VERIFICATION"
    ).json()
    assert "errors" not in body
    (worker,) = body["data"]["workersByNik"]
    agencies = {s["agency"] for s in worker["sources"]}
    assert agencies == {"KEMNAKER", "P2MI"}  # BPJS membership and lapor diri stay unsaid
    full = own_stack.graphql(DOOR, {"n": [SITI]}).json()["data"]["workersByNik"][0]
    assert "BPJS_KETENAGAKERJAAN" in {s["agency"] for s in full["sources"] if s["state"] == "OK"}
    # the worker id handed out for the NIK is recorded, as identity
    entries = [e for e in audit_of(own_stack, "Door") if e.client_id == "kemnaker-system"]
    assert entries and "identity" in entries[-1].categories.split(",")
    assert entries[-1].worker_id == worker["id"]


def test_findings_keep_code_and_severity_but_not_kpj_case_ids_or_case_details(
    own_stack: Stack,
) -> None:
    # given: an emergency case opened through the hub for Siti, who has a KPJ
    siti = own_stack.graphql(
        "query($n: String!) { workerBy(nik: $n) { id socialSecurity { kpj } } }", {"n": SITI}
    ).json()["data"]["workerBy"]
    opened = own_stack.graphql(
        """mutation($w: ID!) { openCase(input: {workerId: $w, kind: DETENTION, severity: CRITICAL,
           summary: "Ditahan majikan di Taipei; keluarga menghubungi KDEI", missionCode: "TPE",
               missionReason: "Majikan membawa pekerja ke Taipei tanpa dokumen"})
           { id } }""",
        {"w": siti["id"]},
    ).json()
    case_id = opened["data"]["openCase"]["id"]
    query = FINDINGS.replace("workerBy(passport: $p)", "worker(id: $p)").replace("String!", "ID!")
    # when
    full = own_stack.graphql(query, {"p": siti["id"]}).json()["data"]["worker"]["protection"]
    narrow = own_stack.graphql(
        query, {"p": siti["id"]}, client="kemnaker-system", purpose="PLACEMENT_VERIFICATION"
    ).json()["data"]["worker"]["protection"]
    # then: the same verdict and codes, none of another section's data
    assert narrow["level"] == full["level"] == "EMERGENCY"
    assert [(f["code"], f["severity"]) for f in narrow["findings"]] == [
        (f["code"], f["severity"]) for f in full["findings"]
    ]
    full_text = str(full)
    assert siti["socialSecurity"]["kpj"] in full_text and case_id in full_text  # the leak was real
    text = str(narrow)
    for secret in (siti["socialSecurity"]["kpj"], case_id, "KDEI Taipei", "penahanan", "detention"):
        assert secret.lower() not in text.lower(), secret
    critical = next(f for f in narrow["findings"] if f["code"] == "CRITICAL_CASE")
    assert critical["evidence"] == [] and "case:read" in critical["messageEn"]


def test_links_show_local_ids_only_of_agencies_whose_section_the_token_reads(
    own_stack: Stack,
) -> None:
    query = "query($n: String!) { workerBy(nik: $n) { identity { links { agency localId } } } }"
    full = own_stack.graphql(query, {"n": SITI}).json()["data"]["workerBy"]["identity"]["links"]
    kpj = next(link["localId"] for link in full if link["agency"] == "BPJS_KETENAGAKERJAAN")
    kemnaker = own_stack.graphql(
        query, {"n": SITI}, client="kemnaker-system", purpose="PLACEMENT_VERIFICATION"
    ).json()["data"]["workerBy"]["identity"]["links"]
    assert {link["agency"] for link in kemnaker} <= {"KEMNAKER", "P2MI"}
    assert kpj not in str(kemnaker)
    identity_only = own_stack.graphql(
        query, {"n": SITI}, scope="worker.identity:read", purpose="CASE_HANDLING"
    ).json()["data"]["workerBy"]["identity"]["links"]
    assert identity_only == []


def test_the_phone_is_contact_data(own_stack: Stack) -> None:
    query = "query Phone($n: String!) { workerBy(nik: $n) { id identity { fullName phone } } }"
    narrow = own_stack.graphql(
        query, {"n": SITI}, client="bpjs-system", purpose="CLAIM_PROCESSING"
    ).json()
    assert narrow["data"]["workerBy"]["identity"]["phone"] is None
    (error,) = narrow["errors"]
    assert error["path"] == ["workerBy", "identity", "phone"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["scope"] == "worker.contact:read"
    full = own_stack.graphql(query, {"n": SITI}).json()
    assert full["data"]["workerBy"]["identity"]["phone"]
    entries = audit_of(own_stack, "Phone")
    bpjs = next(e for e in entries if e.client_id == "bpjs-system" and e.outcome == "READ")
    assert set(bpjs.categories.split(",")) == {"identity"}
    refused = next(e for e in entries if e.client_id == "bpjs-system" and e.outcome == "REFUSED")
    assert refused.categories == "contact"
    embassy = next(e for e in entries if e.client_id == "embassy-system")
    assert set(embassy.categories.split(",")) == {"identity", "contact"}


SELF_VIEW = """query Mine($id: ID!) { worker(id: $id) { id
  identity { fullName nextOfKin { name phone } }
  cases { kind summary }
  protection { level findings { code message messageEn: message(lang: EN)
    action actionEn: action(lang: EN) evidence { recordId }
    mine: actionsFor(party: WORKER, lang: EN) officer: actionsFor(party: OFFICER) } } }
  accessLog(workerId: $id) { entries { purpose categories } } }"""


def self_token(stack: Stack, worker_id: str) -> str:
    return stack.mint_token(worker_id, ["self"], "SELF_SERVICE")


def test_a_workers_own_token_never_reads_case_notes_nor_next_of_kin(own_stack: Stack) -> None:
    dewi = own_stack.graphql(
        "query($p: String!) { workerBy(passport: $p) { id cases { summary } } }",
        {"p": DEWI_PASSPORT},
    ).json()["data"]["workerBy"]
    summary = dewi["cases"][0]["summary"]
    body = own_stack.graphql(
        SELF_VIEW, {"id": dewi["id"]}, token=self_token(own_stack, dewi["id"]), purpose=None
    ).json()
    worker = body["data"]["worker"]
    assert worker["identity"]["fullName"] == "DEWI LESTARI"
    assert worker["identity"]["nextOfKin"] is None and worker["cases"] is None
    codes = {(tuple(e["path"]), e["extensions"]["code"]) for e in body["errors"]}
    assert codes == {
        (("worker", "identity", "nextOfKin"), "FORBIDDEN"),
        (("worker", "cases"), "FORBIDDEN"),
    }
    critical = next(f for f in worker["protection"]["findings"] if f["code"] == "CRITICAL_CASE")
    assert critical["message"] == "Petugas KBRI Kuala Lumpur sedang menangani kasus Anda."
    assert critical["messageEn"] == "An officer of KBRI Kuala Lumpur is handling your case."
    assert "Peduli WNI" in critical["action"] and "Kuala Lumpur" in critical["actionEn"]
    # the worker's own action (her page shows only these): the notice and whom to contact
    assert critical["mine"] == [f"{critical['messageEn']} {critical['actionEn']}"]
    assert critical["officer"] == [critical["action"]]  # the same contact, as before
    assert critical["evidence"] == []
    text = str(worker).lower()
    for word in ("detention", "penahanan", summary.lower(), "scope"):
        assert word not in text, word


def test_a_workers_own_token_follows_its_worker_after_a_merge(own_stack: Stack) -> None:
    # given: Budi's own token, then the linker merges Budi's worker into a new one
    old = own_stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": BUDI}).json()[
        "data"
    ]["workerBy"]["id"]
    token = self_token(own_stack, old)
    new = "wk_" + "b" * 20
    engine = make_engine(own_stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        session.add(WorkerRow(id=new, created_at=datetime.now(UTC)))
        session.flush()
        session.exec(  # type: ignore[call-overload]
            update(AgencyRecordRow).where(AgencyRecordRow.worker_id == old).values(worker_id=new)
        )
        session.exec(update(WorkerRow).where(WorkerRow.id == old).values(merged_into=new))  # type: ignore[call-overload]
        session.commit()
    engine.dispose()
    # when: the worker opens their page with the id they signed in with
    body = own_stack.graphql(SELF_VIEW, {"id": old}, token=token, purpose=None).json()
    # then: their own record, under the canonical id, and their access log
    worker = body["data"]["worker"]
    assert worker is not None and worker["id"] == new
    assert worker["identity"]["fullName"]
    assert body["data"]["accessLog"] is not None
    other = own_stack.graphql(SELF_VIEW, {"id": "wk_" + "f" * 20}, token=token, purpose=None).json()
    assert other["data"] is None or other["data"]["worker"] is None


def test_a_source_that_failed_is_not_named_to_a_token_that_may_not_know_it_is_linked(
    own_stack: Stack,
) -> None:
    # given: BPJS down (a notice naming it would say the worker is a member)
    query = """query Down($n: String!) { workerBy(nik: $n) { identity { fullName }
      protection { complete findings { code message messageEn: message(lang: EN) } } } }"""
    with own_stack.sandbox("bpjs") as client:
        client.post("/_sandbox/faults", json={"down": True})
    try:
        # when
        full = own_stack.graphql(query, {"n": SITI}).json()
        narrow = own_stack.graphql(
            query, {"n": SITI}, client="kemnaker-system", purpose="PLACEMENT_VERIFICATION"
        ).json()
    finally:
        with own_stack.sandbox("bpjs") as client:
            client.post("/_sandbox/faults", json={"down": False})
    # then: the verdict is incomplete for both; only the token reading BPJS hears which source
    assert "BPJS" in str(full)
    assert narrow["data"]["workerBy"]["protection"]["complete"] is False
    assert narrow["data"]["workerBy"]["identity"]["fullName"]
    assert "BPJS" not in str(narrow), narrow
    codes = [f["code"] for f in narrow["data"]["workerBy"]["protection"]["findings"]]
    assert "SOURCE_UNAVAILABLE" in codes


def test_a_lookup_by_an_agencys_own_number_needs_that_agencys_section(own_stack: Stack) -> None:
    # given: Siti's KPJ, a BPJS number: that it matches a worker is BPJS membership
    siti = own_stack.graphql(
        "query($n: String!) { workerBy(nik: $n) { id socialSecurity { kpj } } }", {"n": SITI}
    ).json()["data"]["workerBy"]
    kpj = siti["socialSecurity"]["kpj"]
    by_kpj = "query($k: String!) { workerBy(kpj: $k) { id } }"
    search = "query($q: String!) { searchWorkers(query: $q) { edges { node { id } } } }"
    kemnaker = {"client": "kemnaker-system", "purpose": "PLACEMENT_VERIFICATION"}
    # when / then: Kemnaker (no social_security:read) learns nothing from it
    refused = own_stack.graphql(by_kpj, {"k": kpj}, **kemnaker).json()
    assert refused["data"] == {"workerBy": None}
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["errors"][0]["extensions"]["scope"] == "social_security:read"
    found = own_stack.graphql(search, {"q": kpj}, **kemnaker).json()
    assert found["data"]["searchWorkers"]["edges"] == []
    # and BPJS, whose number it is, finds the worker
    bpjs = {"client": "bpjs-system", "purpose": "CLAIM_PROCESSING"}
    assert (
        own_stack.graphql(by_kpj, {"k": kpj}, **bpjs).json()["data"]["workerBy"]["id"] == siti["id"]
    )
    edges = own_stack.graphql(search, {"q": kpj}, **bpjs).json()["data"]["searchWorkers"]["edges"]
    assert [e["node"]["id"] for e in edges] == [siti["id"]]


def test_a_case_opened_through_the_hub_shows_its_mission_to_the_worker(own_stack: Stack) -> None:
    siti = own_stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": SITI}).json()[
        "data"
    ]["workerBy"]["id"]
    opened = own_stack.graphql(
        """mutation($w: ID!) { openCase(input: {workerId: $w, kind: TRAFFICKING,
           severity: CRITICAL, summary: "Dugaan perdagangan orang, paspor ditahan agen",
           missionCode: "HKG"}) { id } }""",
        {"w": siti},
    ).json()
    assert opened["data"]["openCase"]["id"]
    body = own_stack.graphql(
        SELF_VIEW, {"id": siti}, token=self_token(own_stack, siti), purpose=None
    ).json()
    messages = {f["messageEn"] for f in body["data"]["worker"]["protection"]["findings"]}
    assert "An officer of KJRI Hong Kong is handling your case." in messages
    assert "trafficking" not in str(body).lower() and "perdagangan" not in str(body).lower()
