"""KemnakerConnector against the sandbox over ASGITransport: mapping, batching, errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kemnaker import KemnakerConnector, connect
from connectors.kit.base import Connector, LicenseRegistry, LookupKey
from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyUnavailable,
    BadResponse,
)
from schema.enums import LicenseStatus, Sex
from schema.records import RecordKind
from schema.scenario import Scenario

DATA_CALL = "GET /api/v1/pencari-kerja"
TOKEN_CALL = "POST /oauth/token"
ALL_IDS = ["AK1-2024-000123", "AK1-2021-004455", "AK1-2018-000999", "AK1-2026-010101"]
MakeConnector = Callable[..., KemnakerConnector]


@pytest.fixture
def connector(app: Starlette, make_connector: MakeConnector) -> KemnakerConnector:
    return make_connector(app)


@pytest.mark.anyio
async def test_it_is_a_connector_and_a_licence_registry(connector: KemnakerConnector) -> None:
    assert isinstance(connector, Connector)
    assert isinstance(connector, LicenseRegistry)
    assert (connector.agency, connector.system) == ("KEMNAKER", "SIAPkerja")
    assert connector.lookup_keys == {LookupKey.LOCAL_ID, LookupKey.NIK}
    assert connector.record_kinds == {RecordKind.PERSON, RecordKind.LICENSE}


@pytest.mark.anyio
async def test_every_field_of_a_person_record(connector: KemnakerConnector) -> None:
    # when
    found = await connector.fetch(["AK1-2024-000123"])
    # then
    person = found["AK1-2024-000123"].person
    assert person.agency == "KEMNAKER"
    assert person.local_id == "AK1-2024-000123"
    assert person.nik == "3506124508900003"
    assert person.name == "SITI AMINAH"
    assert person.birth_date == date(1990, 8, 5)
    assert person.sex is Sex.FEMALE
    assert person.phone == "+6281234567890"
    assert (person.passports, person.cross_refs, person.address, person.next_of_kin) == (
        (),
        (),
        None,
        None,
    )
    prov = person.provenance
    assert (prov.agency, prov.system, prov.record_id, prov.stale) == (
        "KEMNAKER",
        "SIAPkerja",
        "AK1-2024-000123",
        False,
    )
    assert prov.fetched_at.tzinfo is not None
    assert found["AK1-2024-000123"].placements == ()


@pytest.mark.anyio
async def test_the_whole_small_scenario_maps_as_kemnaker_holds_it(
    connector: KemnakerConnector, small_scenario: Scenario
) -> None:
    # when
    found = await connector.fetch(ALL_IDS)
    # then
    expected = {
        record.jobSeekerId: (person, record)
        for person in small_scenario.people
        for record in person.kemnaker
    }
    assert set(found) == set(expected) == set(ALL_IDS)
    for local_id, (person, record) in expected.items():
        got = found[local_id].person
        assert got.nik == person.nik
        assert got.name == (record.nameAs or person.name)
        assert got.birth_date == person.birthDate
        assert got.sex is person.sex
        assert got.phone == person.phone


@pytest.mark.anyio
async def test_agency_spelling_missing_nik_and_double_registration(
    connector: KemnakerConnector, sandbox: Any, twice_registered: dict[str, Any]
) -> None:
    # given
    await sandbox.upsert(twice_registered)
    # when
    found = await connector.fetch(["AK1-2019-777001", "AK1-2025-777002"])
    by_nik = await connector.find(LookupKey.NIK, [twice_registered["nik"]])
    # then
    first, second = found["AK1-2019-777001"].person, found["AK1-2025-777002"].person
    assert (first.name, first.birth_date, first.nik) == (
        "SRI WAHYUNI",
        date(1985, 1, 7),
        "3302024107850005",
    )
    assert (second.name, second.birth_date, second.nik) == ("Sri Wahyuni", date(1985, 7, 1), None)
    assert by_nik == {"3302024107850005": ["AK1-2019-777001"]}


@pytest.mark.anyio
async def test_one_data_call_per_batch(connector: KemnakerConnector, sandbox: Any) -> None:
    # when
    found = await connector.fetch([*ALL_IDS, "AK1-0000-000000"])
    # then
    assert set(found) == set(ALL_IDS)
    assert await sandbox.calls() == {TOKEN_CALL: 1, DATA_CALL: 1}


@pytest.mark.anyio
async def test_more_ids_than_a_batch_make_one_call_per_batch(
    app: Starlette, make_connector: MakeConnector, sandbox: Any
) -> None:
    connector = make_connector(app, batch_size=2)
    found = await connector.fetch(ALL_IDS)
    assert set(found) == set(ALL_IDS)
    assert (await sandbox.calls())[DATA_CALL] == 2


@pytest.mark.anyio
async def test_a_split_answer_is_followed_by_cursor(
    make_app: Callable[..., Starlette], make_connector: MakeConnector
) -> None:
    # given an agency whose pages hold 3 records
    app = make_app(max_page_size=3)
    connector = make_connector(app)
    # when
    found = await connector.fetch(ALL_IDS)
    # then
    assert set(found) == set(ALL_IDS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k") as c:
        assert (await c.get("/_sandbox/stats")).json()["calls"][DATA_CALL] == 2


@pytest.mark.anyio
async def test_malformed_ids_are_absent_and_not_sent(
    connector: KemnakerConnector, sandbox: Any
) -> None:
    found = await connector.fetch(["", "a,b", "AK1 2024", "-x"])
    assert found == {}
    assert await sandbox.calls() == {}


@pytest.mark.anyio
async def test_find_by_nik_and_by_local_id(connector: KemnakerConnector) -> None:
    by_nik = await connector.find(
        LookupKey.NIK, ["3201011507880007", "3329095203950002", "12345", "3201011507880007"]
    )
    by_id = await connector.find(LookupKey.LOCAL_ID, ["AK1-2018-000999", "AK1-0000-000000"])
    assert by_nik == {"3201011507880007": ["AK1-2021-004455"]}
    assert by_id == {"AK1-2018-000999": ["AK1-2018-000999"]}


@pytest.mark.anyio
async def test_keys_kemnaker_does_not_index_find_nothing(
    connector: KemnakerConnector, sandbox: Any
) -> None:
    assert await connector.find(LookupKey.PASSPORT, ["C1234567"]) == {}
    assert await sandbox.calls() == {}


@pytest.mark.anyio
async def test_changes_feed_to_the_end_then_resume(
    connector: KemnakerConnector, sandbox: Any, twice_registered: dict[str, Any]
) -> None:
    # given
    seen: list[str] = []
    page = await connector.changes(None, limit=2)
    seen += [r.local_id for r in page.records]
    while page.has_more:
        page = await connector.changes(page.cursor, limit=2)
        seen += [r.local_id for r in page.records]
    assert sorted(seen) == sorted(ALL_IDS)
    # when
    await sandbox.upsert(twice_registered)
    later = await connector.changes(page.cursor)
    # then
    assert [r.local_id for r in later.records] == ["AK1-2019-777001", "AK1-2025-777002"]
    assert later.has_more is False
    assert later.records[1].nik is None


@pytest.mark.anyio
async def test_a_bad_cursor_is_a_bad_response(connector: KemnakerConnector) -> None:
    with pytest.raises(BadResponse):
        await connector.changes("bm90LW91cnM")


@pytest.mark.anyio
async def test_licences_in_one_call(connector: KemnakerConnector, sandbox: Any) -> None:
    # when
    found = await connector.licenses(["KEP.123/2022", "KEP.045/2021", "KEP.077/2023", "KEP.1/1"])
    # then
    assert {n: r.status for n, r in found.items()} == {
        "KEP.123/2022": LicenseStatus.REVOKED,
        "KEP.045/2021": LicenseStatus.ACTIVE,
        "KEP.077/2023": LicenseStatus.SUSPENDED,
    }
    revoked = found["KEP.123/2022"]
    assert (revoked.name, revoked.phone, revoked.address) == (
        "PT Sinar Jaya Abadi",
        "+62215550101",
        None,
    )
    assert (revoked.provenance.agency, revoked.provenance.record_id) == ("KEMNAKER", "KEP.123/2022")
    assert (await sandbox.calls())["GET /api/v1/p3mi"] == 1


@pytest.mark.anyio
async def test_health_reports_latency(connector: KemnakerConnector, sandbox: Any) -> None:
    healthy = await connector.health()
    await sandbox.faults(down=True)
    down = await connector.health()
    assert healthy.ok and healthy.latency_ms is not None and healthy.latency_ms >= 0
    assert not down.ok and down.message


@pytest.mark.anyio
async def test_wrong_credentials_are_rejected(
    app: Starlette, make_connector: MakeConnector
) -> None:
    connector = make_connector(app, {"client_id": "pmihub-test", "client_secret": "wrong"})
    with pytest.raises(AgencyRejected) as raised:
        await connector.fetch(ALL_IDS)
    assert "invalid_client" in str(raised.value)


@pytest.mark.anyio
async def test_scope_not_granted_is_rejected(
    make_app: Callable[..., Starlette], make_connector: MakeConnector
) -> None:
    # given a client that may only read job seekers
    creds = {"client_id": "pmihub-test", "client_secret": "test-only-secret-kemnaker"}
    app = make_app(credentials={**creds, "scope": "pencari_kerja.baca"})
    asks_too_much = make_connector(app, {**creds, "scope": "p3mi.baca"})
    asks_nothing = make_connector(app)
    # then
    with pytest.raises(AgencyRejected, match="invalid_scope"):
        await asks_too_much.fetch(ALL_IDS)
    with pytest.raises(AgencyRejected, match="403"):
        await asks_nothing.licenses(["KEP.123/2022"])


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ({"down": True}, AgencyUnavailable),
        ({"errorRate": 1.0}, AgencyUnavailable),
        ({"garbage": True}, BadResponse),
    ],
)
async def test_faults_become_typed_errors(
    connector: KemnakerConnector, sandbox: Any, setting: dict[str, Any], error: type[Exception]
) -> None:
    # given a cached token, so the data call itself meets the fault
    await connector.health()
    await sandbox.faults(**setting)
    # then
    with pytest.raises(error):
        await connector.fetch(ALL_IDS)
    with pytest.raises(error):
        await connector.changes(None)
    with pytest.raises(error):
        await connector.licenses(["KEP.123/2022"])


@pytest.mark.anyio
async def test_garbage_from_the_token_endpoint_is_a_bad_response(
    connector: KemnakerConnector, sandbox: Any
) -> None:
    await sandbox.faults(garbage=True)
    with pytest.raises(BadResponse, match="not JSON"):
        await connector.fetch(ALL_IDS)


@pytest.mark.anyio
async def test_rate_limit_carries_retry_after(connector: KemnakerConnector, sandbox: Any) -> None:
    await connector.health()
    await sandbox.faults(rateLimitPerSecond=0.5, rateLimitBurst=1)
    await connector.fetch(ALL_IDS[:1])
    with pytest.raises(AgencyRateLimited) as raised:
        await connector.fetch(ALL_IDS[:1])
    assert raised.value.retry_after is not None and raised.value.retry_after >= 1


@pytest.mark.anyio
async def test_expired_token_is_refreshed_before_use(
    connector: KemnakerConnector, sandbox: Any, clock: Any
) -> None:
    # given a 300 s token, then time passes beyond its life on both sides
    await connector.fetch(ALL_IDS[:1])
    clock.advance(301)
    # when
    found = await connector.fetch(ALL_IDS[:1])
    # then: a new token first, no refused call
    assert set(found) == {ALL_IDS[0]}
    assert await sandbox.calls() == {TOKEN_CALL: 2, DATA_CALL: 2}


@pytest.mark.anyio
async def test_token_revoked_early_is_replaced_transparently(
    connector: KemnakerConnector, sandbox: Any
) -> None:
    # given
    await connector.fetch(ALL_IDS[:1])
    token = connector._http.auth.token.value  # type: ignore[attr-defined]
    auth = ("pmihub-test", "test-only-secret-kemnaker")
    await sandbox.raw.post("/oauth/revoke", data={"token": token}, auth=auth)
    # when
    found = await connector.fetch(ALL_IDS[:1])
    # then: one refused call, one new token, one retried call
    assert set(found) == {ALL_IDS[0]}
    assert await sandbox.calls() == {TOKEN_CALL: 2, DATA_CALL: 3, "POST /oauth/revoke": 1}


@pytest.mark.anyio
async def test_schema_violations_are_bad_responses() -> None:
    # given an agency answering a record without its name, then a 404, then endless pages
    answers = iter(
        [
            httpx.Response(200, json={"data": [{"id_pencari_kerja": "AK1-1"}]}),
            httpx.Response(404, json={"kode": "NOT_FOUND"}),
            *[httpx.Response(200, json={"data": [], "next_cursor": "same"})] * 3,
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "token_type": "Bearer"})
        return next(answers)

    connector = connect(
        "http://kemnaker.test",
        {"client_id": "a", "client_secret": "b"},
        transport=httpx.MockTransport(handler),
    )
    # then
    with pytest.raises(BadResponse, match="schema"):
        await connector.fetch(["AK1-1"])
    with pytest.raises(BadResponse, match="404"):
        await connector.fetch(["AK1-1"])
    with pytest.raises(BadResponse, match="does not end"):
        await connector.fetch(["AK1-1"])
    await connector.aclose()


@pytest.mark.anyio
async def test_undecodable_answers_are_bad_responses() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "token_type": "Bearer"})
        return httpx.Response(200, content=b"not gzip", headers={"Content-Encoding": "gzip"})

    connector = connect(
        "http://kemnaker.test",
        {"client_id": "a", "client_secret": "b"},
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(BadResponse):
        await connector.fetch(["AK1-1"])
    await connector.aclose()


@pytest.mark.anyio
async def test_connect_uses_client_secret_post_when_asked(app: Starlette, sandbox: Any) -> None:
    creds = {
        "client_id": "pmihub-test",
        "client_secret": "test-only-secret-kemnaker",
        "auth_method": "client_secret_post",
    }
    connector = connect("http://kemnaker.test", creds, transport=httpx.ASGITransport(app=app))
    found = await connector.fetch(ALL_IDS[:1])
    await connector.aclose()
    assert set(found) == {ALL_IDS[0]}
    assert connector._http.is_closed


def test_connect_needs_credentials() -> None:
    with pytest.raises(ValueError, match="client_id"):
        connect("http://kemnaker.test", {})
