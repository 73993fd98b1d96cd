"""The census, its alerts and crisis cohorts, end to end over HTTP and WebSocket.

A stack of the four sandboxes and the hub serves a generated population; the hub's census
loop runs every 0.2 s. Changes are made at the agencies (a cover ended at BPJS, a licence
revoked at Kemnaker), the sync runs as ``pmihub sync`` would, and each alert must reach a
subscribed client and a webhook receiver exactly once. Cohorts are checked against the
scenario itself (the ground truth), for access and for their one bulk audit entry.
"""

from __future__ import annotations

import asyncio
import csv
import json
import time
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed

from connectors.sandbox.serve import LoopbackServer
from hub.audit.tables import AuditEntryRow
from hub.cases.missions import MissionCatalog
from hub.cases.signing import verify
from hub.census.tables import AlertRow
from schema.scenario import Scenario
from schema.scenario.models import Person, Placement, Report
from tests.cases._live import Receiver, next_message, wait_until, ws_connect
from tests.census.conftest import AS_OF, census, mission_officer, rows, sync, wait_for_census
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e

ALERT = AlertRow.__table__  # type: ignore[attr-defined]
COHORT = """query CohortTaichung($f: CohortFilter!, $first: Int, $after: String) {
  cohort(filter: $f, first: $first, after: $after) {
    totalCount countsByLevel { level count } pageInfo { hasNextPage endCursor }
    edges { cursor level lastContactOn node { id identity { nik links { localId } } } } } }"""
ALERTS_SUB = """subscription Alerts($m: String) { protectionAlerts(missionCode: $m) {
  id workerId missionCode previousLevel level newFindings raisedAt } }"""
REGISTER = """mutation Reg($url: String!, $m: String) {
  registerWebhook(url: $url, missionCode: $m) { secret webhook { id } } }"""
ABROAD = ("WORKING", "DEPARTED")


# -- the ground truth, read from the scenario ------------------------------------------------


def latest_report(person: Person) -> Report | None:
    reports = [r for record in person.embassy for r in record.reports]
    return max(reports, key=lambda r: r.reportedOn, default=None)


def current_placement(person: Person) -> Placement | None:
    placements = [p for record in person.p2mi for p in record.placements]

    def key(p: Placement) -> tuple[int, date]:
        return (1 if p.status in ABROAD else 0, p.departedOn or p.contractStart or date.min)

    return max(placements, key=key, default=None)


def local_ids(person: Person) -> set[str]:
    """The agencies' own keys of a person's records: what the hub's links show."""
    return {
        *(r.jobSeekerId for r in person.kemnaker),
        *(r.pmiId for r in person.p2mi),
        *(r.kpj for r in person.bpjs),
        *(r.recordId for r in person.embassy),
    }


def mission_of(person: Person) -> str | None:
    """The lapor diri's mission, else the one serving the place abroad (as cases route)."""
    report = latest_report(person)
    if report is not None:
        return report.mission
    placement = current_placement(person)
    if placement is None or placement.status not in ABROAD:
        return None
    city = placement.employer.city if placement.employer else None
    serving = MissionCatalog.default().serving(placement.country, city)
    return serving.code if serving is not None else None


def in_city(person: Person, mission: str, city: str) -> bool:
    if mission_of(person) != mission:
        return False
    report = latest_report(person)
    address = (report.address or "") if report is not None else ""
    placement = current_placement(person)
    employer = (placement.employer.city or "") if placement and placement.employer else ""
    return city.lower() in (address.lower(), employer.lower())


# -- helpers ---------------------------------------------------------------------------------


def cohort(stack: Stack, filter: dict[str, Any], **kw: Any) -> Any:
    variables = {"f": filter, "first": kw.pop("first", 200), "after": kw.pop("after", None)}
    return stack.graphql(COHORT, variables, **kw).json()


def audit_of(stack: Stack, operation: str) -> list[AuditEntryRow]:
    table = AuditEntryRow.__table__  # type: ignore[attr-defined]
    return rows(stack, select(table).where(table.c.operation.startswith(operation)))


def alerts(stack: Stack, cause: str | None = None) -> list[Any]:
    query = select(ALERT).order_by(ALERT.c.seq)
    if cause is not None:
        query = query.where(ALERT.c.cause == cause)
    return rows(stack, query)


def nik_of(stack: Stack, worker_id: str) -> str:
    body = stack.graphql("query($i: ID!) { worker(id: $i) { identity { nik } } }", {"i": worker_id})
    return str(body.json()["data"]["worker"]["identity"]["nik"])


def wait_for(condition: Any, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def receiver(stack: Stack) -> Any:
    hooks = Receiver()
    server = LoopbackServer(hooks.app()).start()
    body = stack.graphql(REGISTER, {"url": f"{server.url}/hook", "m": None}).json()
    hooks.secret = body["data"]["registerWebhook"]["secret"]  # type: ignore[attr-defined]
    yield hooks
    server.stop()


def alert_bodies(receiver: Receiver) -> list[dict[str, Any]]:
    out = []
    with receiver.lock:
        received = list(receiver.received)
    for headers, body in received:
        verify(receiver.secret, headers, body)  # type: ignore[attr-defined]
        out.append(json.loads(body))
    return [b for b in out if b.get("event") == "protection.alert"]


async def listen(stack: Stack, mission: str | None) -> Any:
    ws = await ws_connect(
        stack, {"authorization": f"Bearer {stack.token()}", "purpose": "EMERGENCY"}
    )
    ack = await next_message(ws)
    assert ack["type"] == "connection_ack", ack
    bus = stack.servers[-1].app.state.hub.cases.alert_bus  # type: ignore[attr-defined]
    before = bus.subscribers
    message = {"query": ALERTS_SUB, "variables": {"m": mission}}
    await ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": message}))
    await wait_until(lambda: bus.subscribers > before)
    return ws


async def drain(ws: Any, count: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(count):
        message = await next_message(ws, 30)
        assert message["type"] == "next", message
        out.append(message["payload"]["data"]["protectionAlerts"])
    return out


async def nothing_more(ws: Any) -> None:
    with pytest.raises(TimeoutError):
        await next_message(ws, 0.8)


# -- cohorts ---------------------------------------------------------------------------------


def test_a_cohort_is_the_scenarios_people_of_that_area_most_urgent_first(
    stack: Stack, population: Scenario
) -> None:
    expected = {p.key for p in population.people if in_city(p, "TPE", "Taichung")}
    assert len(expected) >= 5  # the seed places enough people there to mean something
    owner = {local: p.key for p in population.people for local in local_ids(p)}
    body = cohort(stack, {"missionCode": "TPE", "city": "tAICHUNG"})
    assert "errors" not in body, body
    found = body["data"]["cohort"]
    people = {
        owner[link["localId"]] for e in found["edges"] for link in e["node"]["identity"]["links"]
    }
    assert people == expected
    assert len(found["edges"]) == len(expected)  # one worker per person: none split
    assert found["totalCount"] == len(found["edges"])
    assert sum(c["count"] for c in found["countsByLevel"]) == found["totalCount"]
    order = ["EMERGENCY", "UNPROTECTED", "UNKNOWN", "AT_RISK", "PROTECTED"]
    ranks = [order.index(e["level"]) for e in found["edges"]]
    assert ranks == sorted(ranks)
    # paged two at a time: the same people, in the same order
    paged, after = [], None
    while True:
        page = cohort(stack, {"missionCode": "TPE", "city": "Taichung"}, first=2, after=after)
        data = page["data"]["cohort"]
        paged += [e["node"]["id"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert paged == [e["node"]["id"] for e in found["edges"]]
    # one bulk audit entry per request: the filter, the count, what was read; no worker id
    entries = audit_of(stack, "CohortTaichung")
    assert len(entries) == 1 + (len(paged) + 1) // 2  # the whole list, then each page of two
    assert all(e.worker_id is None for e in entries)
    first = entries[0]
    assert first.worker_id is None and first.outcome == "READ"
    assert "mission=TPE" in first.operation and "city=taichung" in first.operation
    assert f"n={len(expected)}" in first.operation
    assert {"protection", "consular", "identity", "nik"} <= set(first.categories.split(","))


def test_a_missions_cohort_holds_the_workers_placed_there_who_never_reported(
    stack: Stack, population: Scenario
) -> None:
    # given: the people the Johor Bahru consulate serves, some of whom never reported to it
    expected = {p.key for p in population.people if mission_of(p) == "JHB"}
    unreported = {p.key for p in population.people if latest_report(p) is None} & expected
    assert len(unreported) >= 3, "the seed places people in Johor Bahru who never reported"
    owner = {local: p.key for p in population.people for local in local_ids(p)}
    # when
    body = cohort(stack, {"missionCode": "JHB"})
    # then
    assert "errors" not in body, body
    found = body["data"]["cohort"]
    assert not found["pageInfo"]["hasNextPage"]
    people = {
        owner[link["localId"]] for e in found["edges"] for link in e["node"]["identity"]["links"]
    }
    assert people == expected


ACCESS_LOG = """query($w: ID!) { accessLog(workerId: $w, first: 100) {
  entries { operation purpose agencyEn categories } } }"""


def test_each_worker_a_cohort_listed_finds_it_in_their_own_access_log(stack: Stack) -> None:
    query = COHORT.replace("CohortTaichung", "CohortForLogs", 1)
    variables = {"f": {"missionCode": "TPE", "levels": ["UNPROTECTED", "AT_RISK"]}, "first": 3}
    body = stack.graphql(query, variables).json()
    listed = [e["node"]["id"] for e in body["data"]["cohort"]["edges"]]
    assert len(listed) == 3, body
    others = [w for w, r in census(stack).items() if r.mission_code not in (None, "TPE")][:2]

    def cohorts_in_log(worker_id: str) -> list[dict[str, Any]]:
        own = stack.mint_token(worker_id, ["self"], "SELF_SERVICE")
        log = stack.graphql(ACCESS_LOG, {"w": worker_id}, token=own, purpose="SELF_SERVICE")
        entries = log.json()["data"]["accessLog"]["entries"]
        return [e for e in entries if e["operation"].startswith("CohortForLogs")]

    for worker_id in listed:
        (seen,) = cohorts_in_log(worker_id)  # the one bulk entry, found by their own log
        assert "cohort n=3" in seen["operation"] and seen["purpose"] == "EMERGENCY"
        assert {"protection", "consular"} <= set(seen["categories"])
    assert [cohorts_in_log(w) for w in others] == [[], []]
    (entry,) = audit_of(stack, "CohortForLogs")  # still one entry, with no worker id in it
    assert entry.worker_id is None and entry.members and not any(w in repr(entry) for w in listed)


def test_cohort_filters_by_level_finding_and_last_contact(stack: Stack) -> None:
    rows_ = census(stack)
    level = "UNPROTECTED"
    want = {w for w, r in rows_.items() if r.level == level and r.country == "TW"}
    body = cohort(stack, {"country": "tw", "levels": [level]})
    assert {e["node"]["id"] for e in body["data"]["cohort"]["edges"]} == want
    code = next(c for r in rows_.values() for c in r.findings.split(",") if c)
    want = {w for w, r in rows_.items() if f",{code}," in r.findings}
    body = cohort(stack, {"findingCodes": [code]})
    assert {e["node"]["id"] for e in body["data"]["cohort"]["edges"]} == want
    day = AS_OF - timedelta(days=90)
    want = {
        w
        for w, r in rows_.items()
        if r.mission_code == "TPE" and (r.last_contact_on is None or r.last_contact_on < day)
    }
    body = cohort(stack, {"missionCode": "TPE", "lastContactOlderThanDays": 90})
    assert {e["node"]["id"] for e in body["data"]["cohort"]["edges"]} == want


@pytest.mark.parametrize(
    ("client", "purpose", "code"),
    [
        ("bpjs-system", "CLAIM_PROCESSING", "FORBIDDEN"),  # no cohort:read
        ("embassy-system", "CLAIM_PROCESSING", "PURPOSE_NOT_ALLOWED"),
        ("embassy-system", None, "PURPOSE_REQUIRED"),
    ],
)
def test_a_cohort_is_refused_without_scope_or_purpose_and_the_refusal_recorded(
    stack: Stack, client: str, purpose: str | None, code: str
) -> None:
    name = f"CohortRefused{client.split('-')[0]}{purpose}"
    query = f'query {name} {{ cohort(filter: {{missionCode: "TPE"}}) {{ totalCount }} }}'
    body = stack.graphql(query, client=client, purpose=purpose).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code
    entries = audit_of(stack, name)
    assert [e.outcome for e in entries] == ["REFUSED"]


@pytest.mark.parametrize(
    ("filter", "first", "argument"),
    [
        ({}, 10, "filter"),
        ({"country": "Taiwan"}, 10, "country"),
        ({"missionCode": "TPE"}, 10_000, "first"),
        ({"missionCode": "TPE"}, 0, "first"),
        ({"findingCodes": ["drop table"]}, 10, "findingCodes"),
        ({"city": "x" * 200}, 10, "city"),
        ({"missionCode": "TPE", "lastContactOlderThanDays": -1}, 10, "lastContactOlderThanDays"),
    ],
)
def test_bad_cohort_input_is_a_typed_error(
    stack: Stack, filter: dict[str, Any], first: int, argument: str
) -> None:
    body = cohort(stack, filter, first=first)
    assert body["data"] is None
    error = body["errors"][0]["extensions"]
    assert error["code"] == "BAD_USER_INPUT" and error["argument"] == argument


def test_an_unknown_mission_and_a_bad_cursor_are_typed_errors(stack: Stack) -> None:
    body = cohort(stack, {"missionCode": "XXX"})
    assert body["errors"][0]["extensions"]["code"] == "UNKNOWN_MISSION"
    body = cohort(stack, {"missionCode": "TPE"}, after="not-a-cursor")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# -- alerts ----------------------------------------------------------------------------------


def test_a_cover_ended_at_bpjs_raises_exactly_one_alert_to_a_subscriber_and_a_webhook(
    stack: Stack, population: Scenario, receiver: Receiver
) -> None:
    rows_ = census(stack)
    by_nik = {p.nik: p for p in population.people}
    target = person = None
    for worker_id, row in sorted(rows_.items()):
        if row.level == "PROTECTED" and row.abroad and row.mission_code:
            candidate = by_nik.get(nik_of(stack, worker_id))
            if candidate is not None and len(candidate.bpjs) == 1:
                target, person = row, candidate
                break
    assert target is not None and person is not None
    ended = person.model_dump(mode="json", exclude_none=True)
    for coverage in ended["bpjs"][0]["coverages"]:
        if date.fromisoformat(coverage["end"]) >= AS_OF:
            coverage["end"] = (AS_OF - timedelta(days=3)).isoformat()
    before = len(alerts(stack))

    async def scenario() -> tuple[list[dict[str, Any]], Any]:
        mine = await listen(stack, target.mission_code)
        other = await listen(stack, "HKG" if target.mission_code != "HKG" else "TPE")
        with stack.sandbox("bpjs") as bpjs:
            answer = bpjs.post("/_sandbox/people", json=ended)
            assert answer.status_code == 200, answer.text
        await asyncio.to_thread(sync, stack)
        got = await drain(mine, 1)
        await nothing_more(other)  # each mission sees its own
        await asyncio.to_thread(sync, stack)  # nothing changed: nothing more
        await nothing_more(mine)
        await mine.close()
        await other.close()
        return got, None

    got, _ = asyncio.run(scenario())
    alert = got[0]
    assert alert["workerId"] == target.worker_id
    assert alert["missionCode"] == target.mission_code
    assert alert["previousLevel"] == "PROTECTED" and alert["level"] != "PROTECTED"
    assert alert["newFindings"]
    stored = alerts(stack)
    assert len(stored) == before + 1
    wait_for(lambda: any(b["id"] == alert["id"] for b in alert_bodies(receiver)))
    delivered = [b for b in alert_bodies(receiver) if b["alert"]["workerId"] == target.worker_id]
    assert len(delivered) == 1
    assert delivered[0]["alert"]["newFindings"] == alert["newFindings"]
    # an officer reads and acknowledges it; both are recorded
    listed = stack.graphql(
        "query AlertList($m: String) { protectionAlerts(missionCode: $m) { id level } }",
        {"m": target.mission_code},
    ).json()["data"]["protectionAlerts"]
    assert alert["id"] in [a["id"] for a in listed]
    ack = stack.graphql(
        'mutation AlertAck($i: ID!) { acknowledgeAlert(id: $i, note: "Ditelepon; aman") '
        "{ id acknowledgedAt } }",
        {"i": alert["id"]},
    ).json()
    assert ack["data"]["acknowledgeAlert"]["acknowledgedAt"]
    assert {e.worker_id for e in audit_of(stack, "AlertAck")} == {target.worker_id}
    assert target.worker_id in {e.worker_id for e in audit_of(stack, "webhook:protectionAlert")}


def test_a_licence_revoked_raises_one_alert_per_holder_still_abroad(
    stack: Stack, population: Scenario, receiver: Receiver
) -> None:
    rows_ = census(stack)
    holders: dict[str, list[Any]] = {}
    for row in rows_.values():
        if row.licence and row.licence_status == "ACTIVE":
            holders.setdefault(row.licence, []).append(row)
    licence, group = max(holders.items(), key=lambda kv: sum(r.abroad for r in kv[1]))
    abroad = {r.worker_id for r in group if r.abroad}
    assert len(abroad) >= 2
    company = next(a for a in population.placementAgencies if a.licenseNumber == licence)
    revoked = {**company.model_dump(mode="json", exclude_none=True), "status": "REVOKED"}
    before = {a.id for a in alerts(stack)}

    async def scenario() -> list[dict[str, Any]]:
        ws = await listen(stack, None)
        with stack.sandbox("kemnaker") as kemnaker:
            answer = kemnaker.post("/_sandbox/placement-agencies", json=revoked)
            assert answer.status_code == 200, answer.text
        got = await drain(ws, len(abroad))
        await nothing_more(ws)
        await ws.close()
        return got

    got = asyncio.run(scenario())
    assert sorted(a["workerId"] for a in got) == sorted(abroad)
    raised = [a for a in alerts(stack) if a.id not in before]
    assert sorted(a.worker_id for a in raised) == sorted(abroad)
    assert {a.cause for a in raised} == {"LICENCE"}
    ids = {a.id for a in raised}
    wait_for(lambda: ids <= {b["id"] for b in alert_bodies(receiver)})
    assert len([b for b in alert_bodies(receiver) if b["id"] in ids]) == len(ids)


def test_an_officer_of_a_mission_sees_that_missions_alerts_and_cohorts_only(stack: Stack) -> None:
    token = mission_officer(stack, "TPE")
    everyone = alerts(stack)
    assert {a.mission_code for a in everyone} - {"TPE"}, "the alerts so far span missions"
    body = stack.graphql("{ protectionAlerts(first: 200) { id missionCode } }", token=token)
    assert "data" in body.json(), body.json()
    listed = body.json()["data"]["protectionAlerts"]
    assert {a["id"] for a in listed} == {a.id for a in everyone if a.mission_code == "TPE"}
    refused = stack.graphql('{ protectionAlerts(missionCode: "HKG") { id } }', token=token)
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    rows_ = census(stack)
    body = cohort(stack, {"country": "TW"}, token=token)["data"]["cohort"]
    assert body["edges"] and {rows_[e["node"]["id"]].mission_code for e in body["edges"]} == {"TPE"}
    refused = cohort(stack, {"missionCode": "HKG"}, token=token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    other = next(a for a in everyone if a.mission_code not in (None, "TPE"))
    ack = stack.graphql(
        'mutation($i: ID!) { acknowledgeAlert(id: $i, note: "x") { id } }',
        {"i": other.id},
        token=token,
    ).json()
    assert ack["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_the_daily_evaluation_raises_the_alerts_that_dates_cause(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = census(stack)
    before = {a.id for a in alerts(stack)}
    later = AS_OF + timedelta(days=75)
    monkeypatch.setenv("HUB_TODAY", later.isoformat())
    wait_for(lambda: all(r.evaluated_on == later for r in census(stack).values()), 90)
    wait_for_census(stack)
    after = census(stack)
    raised = [a for a in alerts(stack) if a.id not in before]
    assert raised, "75 days on, some covers, contracts or passports must have run out"
    assert {a.cause for a in raised} == {"DAILY"}
    assert len({a.worker_id for a in raised}) == len(raised)  # one per change
    gravity = {"PROTECTED": 0, "AT_RISK": 1, "UNPROTECTED": 2, "EMERGENCY": 3}
    for worker_id, now in after.items():
        was = baseline.get(worker_id)
        if was is None:
            continue
        worse = (
            was.level in gravity
            and now.level in gravity
            and gravity[now.level] > gravity[was.level]
        )
        grave = set(now.grave.split(",")) - set(was.grave.split(","))
        alerted = worker_id in {a.worker_id for a in raised}
        assert alerted == bool(worse or grave), (worker_id, was.level, now.level)


def test_alerts_and_cohorts_need_their_scopes(stack: Stack) -> None:
    body = stack.graphql(
        "{ protectionAlerts { id } }", client="bpjs-system", purpose="CLAIM_PROCESSING"
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = stack.graphql(
        'mutation { acknowledgeAlert(id: "alt_x", note: "x") { id } }',
        client="kemnaker-system",
        purpose="PLACEMENT_VERIFICATION",
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with httpx.Client(timeout=10) as client:  # a subscription over HTTP is a typed error
        answer = client.post(
            f"{stack.hub_url}/graphql",
            json={"query": "subscription { protectionAlerts { id } }"},
            headers={"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"},
        )
    assert answer.json()["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_TRANSPORT"

    async def refused() -> int | None:  # no case:read: the socket closes at connection_init
        token = stack.token("bpjs-system")
        ws = await ws_connect(
            stack, {"authorization": f"Bearer {token}", "purpose": "CLAIM_PROCESSING"}
        )
        try:
            await next_message(ws)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        return None

    assert asyncio.run(refused()) == 4403


# -- the commands ----------------------------------------------------------------------------


def test_pmihub_cohort_exports_the_evacuation_list_as_one_bulk_access(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from typer.testing import CliRunner

    from hub.cli import app

    for name, value in stack.environ.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "cohort.csv"
    runner = CliRunner()
    args = ["cohort", "--mission", "TPE", "--city", "Taichung", "--out", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "EMERGENCY" in refused.output
    assert not out.exists() and not audit_of(stack, "pmihub cohort")
    done = runner.invoke(app, [*args, "--purpose", "EMERGENCY"])
    assert done.exit_code == 0, done.output
    with out.open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    api = cohort(stack, {"missionCode": "TPE", "city": "Taichung"})["data"]["cohort"]["edges"]
    assert [r["worker_id"] for r in listed] == [e["node"]["id"] for e in api]
    assert all(r["name"] and r["level"] for r in listed)
    assert any(r["next_of_kin_phone"] for r in listed)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    entries = audit_of(stack, "pmihub cohort")
    assert len(entries) == 1 and entries[0].worker_id is None
    assert f"export n={len(listed)}" in entries[0].operation
    assert {"identity", "contact", "consular"} <= set(entries[0].categories.split(","))


def test_pmihub_census_full_evaluates_every_linked_worker(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from hub.cli import app

    for name, value in stack.environ.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["census", "--full", "--batch", "100"])
    assert result.exit_code == 0, result.output
    evaluated = int(result.output.split()[0])
    assert evaluated == len(census(stack))


def test_one_workers_failing_evaluation_does_not_stop_the_census(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a rule that raises for one worker (as a 29 February once did at 100,000)
    from typer.testing import CliRunner

    import hub.view.verdict as verdict_module
    from hub.cli import app

    for name, value in stack.environ.items():
        monkeypatch.setenv(name, value)
    victim = sorted(census(stack))[0]
    real = verdict_module.verdict_for

    async def failing(ctx: Any, view: Any, note: Any) -> Any:
        if view.worker_id == victim:
            raise ValueError("day is out of range for month")
        return await real(ctx, view, note)

    monkeypatch.setattr(verdict_module, "verdict_for", failing)
    # when
    result = CliRunner().invoke(app, ["census", "--full", "--batch", "100"])
    # then: everyone else is evaluated, the failure is counted and logged without its message
    assert result.exit_code == 0, result.output
    assert int(result.output.split()[0]) == len(census(stack)) - 1
    assert "1 failed (see the log)" in result.output
    failures = [r for r in caplog.records if "evaluation failed" in r.getMessage()]
    assert failures and "ValueError" in failures[0].getMessage()
