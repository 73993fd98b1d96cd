"""BpjsConnector against the sandbox: mapping, batching, the feed and every error translation."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

import connectors.bpjs as bpjs
from connectors.bpjs import BpjsConnector, BpjsCredentials, connect
from connectors.bpjs.sandbox import DEV_CREDENTIALS
from connectors.kit.base import Connector, LookupKey
from connectors.kit.errors import (
    BadResponse,
)
from schema.enums import ClaimStatus, Program, ProtectionPhase, Sex
from schema.records import (
    ClaimRecord,
    ContributionRecord,
    CoverageRecord,
    CrossRef,
    PassportRecord,
    RecordKind,
)
from schema.scenario import Scenario

pytestmark = pytest.mark.anyio

ALL_KPJ = ["24001234567", "21000777001", "18000999001", "23000432101", "26001010101"]
BPJS = "BPJS_KETENAGAKERJAAN"


async def stats(connector: BpjsConnector) -> dict[str, int]:
    return (await connector.http.get("/_sandbox/stats")).json()["calls"]


async def set_faults(connector: BpjsConnector, **faults: Any) -> None:
    response = await connector.http.post("/_sandbox/faults", json=faults)
    assert response.status_code == 200, response.text


# -- the contract -----------------------------------------------------------------------------


def test_public_names() -> None:
    assert bpjs.__all__ == sorted(bpjs.__all__)
    assert set(bpjs.__all__) == {"BpjsConnector", "BpjsCredentials", "connect"}


async def test_connect_builds_a_connector(app: Starlette, clock: Any) -> None:
    clock.now = time.time()  # connect() signs with the real clock
    connector = connect(
        "http://bpjs.test", DEV_CREDENTIALS, batch_size=7, transport=httpx.ASGITransport(app=app)
    )
    try:
        assert isinstance(connector, Connector)
        assert connector.agency == BPJS
        assert connector.system == "BPJSTK-PMI"
        assert connector.batch_size == 7
        assert connector.lookup_keys == {LookupKey.LOCAL_ID, LookupKey.NIK, LookupKey.KPJ}
        assert connector.record_kinds == {RecordKind.PERSON, RecordKind.MEMBERSHIP}
        assert (await connector.health()).ok
    finally:
        await connector.aclose()


def test_connect_needs_every_credential() -> None:
    with pytest.raises(ValueError, match="secret, user_key") as caught:
        connect("http://bpjs.test", {"cons_id": "12345", "user_key": ""})
    assert "12345" not in str(caught.value)
    assert "sandbox-dev" not in repr(BpjsCredentials.from_mapping(DEV_CREDENTIALS))


# -- mapping ----------------------------------------------------------------------------------


async def test_fetch_maps_every_field(connector: BpjsConnector) -> None:
    # when the returned worker's membership is fetched
    before = datetime.now(UTC)
    records = await connector.fetch(["21000777001"])

    # then the person and the membership carry what BPJS holds, with provenance
    rs = records["21000777001"]
    person = rs.person
    assert person.agency == BPJS
    assert person.local_id == "21000777001"
    assert person.name == "MUHAMMAD RIZKI"
    assert person.nik == "3201011507880007"
    assert person.birth_date == date(1988, 7, 15)
    assert person.sex is Sex.MALE
    assert person.passports == ()
    assert person.cross_refs == (
        CrossRef(BPJS, "KPJ", "21000777001"),
        CrossRef("P2MI", "PMI_ID", "PMI-3201-2021-0000777"),
    )
    assert person.provenance.agency == BPJS
    assert person.provenance.system == "BPJSTK-PMI"
    assert person.provenance.record_id == "21000777001"
    assert person.provenance.fetched_at >= before
    assert person.provenance.stale is False
    (membership,) = rs.memberships
    assert membership.kpj == "21000777001"
    assert membership.provenance == person.provenance
    placement, post = ProtectionPhase.PLACEMENT, ProtectionPhase.POST_PLACEMENT
    assert membership.coverages == (
        CoverageRecord(Program.JKK, placement, date(2021, 4, 1), date(2026, 4, 30)),
        CoverageRecord(Program.JKM, placement, date(2021, 4, 1), date(2026, 4, 30)),
        CoverageRecord(Program.JHT, placement, date(2021, 4, 1), date(2026, 4, 30)),
        CoverageRecord(Program.JKK, post, date(2026, 11, 1), date(2026, 11, 30)),
        CoverageRecord(Program.JKM, post, date(2026, 11, 1), date(2026, 11, 30)),
    )
    assert membership.contributions == (ContributionRecord("2021-03", 332500, date(2021, 3, 20)),)
    assert membership.claims == (
        ClaimRecord(Program.JHT, ClaimStatus.SUBMITTED, date(2026, 11, 10), 12500000),
    )
    assert rs.placements == rs.reports == rs.endorsements == rs.cases == ()


async def test_fetch_matches_the_scenario_for_everyone(
    connector: BpjsConnector, small_scenario: Scenario
) -> None:
    # given every BPJS record of the scenario
    expected = {
        record.kpj: (person, record) for person in small_scenario.people for record in person.bpjs
    }

    # when all are fetched
    records = await connector.fetch(list(expected))

    # then each agrees with its scenario record, field by field
    assert set(records) == set(expected) == set(ALL_KPJ)
    for kpj, rs in records.items():
        person, record = expected[kpj]
        assert rs.person.name == (record.nameAs or person.name)
        assert rs.person.nik == person.nik
        assert rs.person.birth_date == person.birthDate
        assert rs.person.sex == person.sex
        assert {r.value for r in rs.person.cross_refs if r.key == "PMI_ID"} == {
            p.pmiId for p in person.p2mi
        }
        (membership,) = rs.memberships
        assert [(c.program, c.phase, c.start, c.end) for c in membership.coverages] == [
            (c.program, c.phase, c.start, c.end) for c in record.coverages
        ]
        assert [(c.period, c.amount, c.paid_on) for c in membership.contributions] == [
            (c.period, c.amount, c.paidOn) for c in record.contributions
        ]
        assert [(c.program, c.status, c.submitted_on, c.amount) for c in membership.claims] == [
            (c.program, c.status, c.submittedOn, c.amount) for c in record.claims
        ]


async def test_a_record_without_nik_maps_to_passport_and_own_birth_date(
    connector: BpjsConnector,
) -> None:
    # given a BPJS record with no NIK, a passport, another birth date, and no spelling of its own
    person = {
        "key": "bpjs-no-nik",
        "nik": "3171014101920005",
        "name": "Ani Suryani",
        "birthDate": "1992-01-01",
        "sex": "FEMALE",
        "p2mi": [{"pmiId": "PMI-3171-2026-0000055"}],
        "bpjs": [
            {"kpj": "25000000055", "nikKnown": False, "passportKnown": "C7777777",
             "birthDateAs": "1992-02-01"},
        ],
    }  # fmt: skip
    assert (await connector.http.post("/_sandbox/people", json=person)).status_code == 200

    # when it is fetched
    rs = (await connector.fetch(["25000000055"]))["25000000055"]

    # then
    assert rs.person.nik is None
    assert rs.person.name == "Ani Suryani"
    assert rs.person.birth_date == date(1992, 2, 1)
    assert rs.person.passports == (PassportRecord("C7777777"),)
    assert rs.memberships[0].coverages == ()
    assert CrossRef("P2MI", "PMI_ID", "PMI-3171-2026-0000055") in rs.person.cross_refs
    assert await connector.find(LookupKey.NIK, ["3171014101920005"]) == {}


# -- batching ---------------------------------------------------------------------------------


async def test_one_batch_is_one_upstream_call(connector: BpjsConnector) -> None:
    records = await connector.fetch([*ALL_KPJ, "99999999999", "not-a-kpj", ALL_KPJ[0]])
    assert set(records) == set(ALL_KPJ)
    assert await stats(connector) == {"POST /pmi-rest/peserta/kpj": 1}


async def test_more_ids_than_a_batch_are_split(
    make_connector: Callable[..., BpjsConnector],
) -> None:
    connector = make_connector()
    connector.batch_size = 2
    try:
        assert set(await connector.fetch(ALL_KPJ)) == set(ALL_KPJ)
        assert await stats(connector) == {"POST /pmi-rest/peserta/kpj": 3}
    finally:
        await connector.aclose()


async def test_nothing_well_formed_makes_no_call(connector: BpjsConnector) -> None:
    assert await connector.fetch([]) == {}
    assert await connector.fetch(["123", "2400123456x"]) == {}
    assert await connector.find(LookupKey.NIK, ["12345"]) == {}
    assert await stats(connector) == {}


# -- find -------------------------------------------------------------------------------------


async def test_find_by_nik(connector: BpjsConnector) -> None:
    found = await connector.find(
        LookupKey.NIK, ["3525146102930001", "3506124508900003", "3329095203950002"]
    )
    assert found == {
        "3525146102930001": ["18000999001", "23000432101"],
        "3506124508900003": ["24001234567"],
    }
    assert await stats(connector) == {"POST /pmi-rest/peserta/nik": 1}


@pytest.mark.parametrize("key", [LookupKey.KPJ, LookupKey.LOCAL_ID])
async def test_find_by_kpj(connector: BpjsConnector, key: LookupKey) -> None:
    found = await connector.find(key, ["24001234567", "99999999999"])
    assert found == {"24001234567": ["24001234567"]}


async def test_find_by_a_key_bpjs_does_not_hold(connector: BpjsConnector) -> None:
    assert await connector.find(LookupKey.PASSPORT, ["C1234567"]) == {}
    assert await stats(connector) == {}


# -- changes feed -----------------------------------------------------------------------------


async def test_changes_walk_to_the_end(connector: BpjsConnector) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = await connector.changes(cursor, limit=2)
        seen += [r.local_id for r in page.records]
        cursor = page.cursor
        if not page.has_more:
            break
    assert seen == ALL_KPJ
    first = await connector.changes(None)
    assert all(r.agency == BPJS for r in first.records)
    again = await connector.changes(cursor)
    assert again.records == ()
    assert again.has_more is False


async def test_a_bad_cursor_is_a_bad_response(connector: BpjsConnector) -> None:
    with pytest.raises(BadResponse):
        await connector.changes("not-our-cursor")
