"""P2miConnector against the SISKOP2MI sandbox: mapping, batching, lookups, feed, health."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import httpx
import pytest
from starlette.applications import Starlette

import connectors.p2mi as p2mi
from connectors.kit.base import Connector, LookupKey
from connectors.p2mi import P2miConnector, connect
from connectors.p2mi.sandbox import create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.enums import (
    CaseKind,
    CaseStatus,
    PlacementScheme,
    PlacementStatus,
    Sector,
    Severity,
    Sex,
)
from schema.records import (
    CaseRecord,
    ContactRecord,
    CrossRef,
    EmployerRecord,
    PassportRecord,
    PersonRecord,
    PlacementRecord,
    Provenance,
    RecordKind,
    RecordSet,
)

pytestmark = pytest.mark.anyio

API_KEY = "test-p2mi-key"
BASE_URL = "http://siskop2mi.test"
WHEN = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))


def prov(record_id: str) -> Provenance:
    return Provenance("P2MI", "SISKOP2MI", record_id, WHEN)


def pinned(found: RecordSet) -> RecordSet:
    """The record set with every fetched_at set to WHEN, after checking it is now, in UTC."""
    provenances = [found.person.provenance]
    provenances += [p.provenance for p in found.placements]
    provenances += [c.provenance for c in found.cases]
    for p in provenances:
        assert p.fetched_at.tzinfo is UTC
        assert abs(datetime.now(UTC) - p.fetched_at) < timedelta(minutes=1)
    return replace(
        found,
        person=replace(found.person, provenance=replace(found.person.provenance, fetched_at=WHEN)),
        placements=tuple(
            replace(p, provenance=replace(p.provenance, fetched_at=WHEN)) for p in found.placements
        ),
        cases=tuple(
            replace(c, provenance=replace(c.provenance, fetched_at=WHEN)) for c in found.cases
        ),
    )


SITI = "PMI-3506-2024-0001234"
RIZKI = "PMI-3201-2021-0000777"
NURHAYATI = "PMI-3525-2018-0000999"
RINA = "PMI-3174-2026-0010101"

EXPECTED = {
    SITI: RecordSet(
        person=PersonRecord(
            agency="P2MI",
            local_id=SITI,
            name="Siti Aminah Binti Sahroni",
            provenance=prov(SITI),
            nik="3506124508900003",
            birth_date=date(1990, 8, 5),
            sex=Sex.FEMALE,
            passports=(PassportRecord("C1234567", date(2024, 1, 10), date(2034, 1, 10)),),
            phone="+6281234567890",
            address="Desa Sumberejo, Kediri",
            next_of_kin=ContactRecord("Sahroni", "father", "+628111111111"),
            cross_refs=(
                CrossRef("P2MI", "PLACEMENT_ID", "PL-2024-0001234"),
                CrossRef("P2MI", "PMI_ID", SITI),
                CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2024-000123"),
            ),
            countries=("HK",),  # the placements' destinations
        ),
        placements=(
            PlacementRecord(
                placement_id="PL-2024-0001234",
                pmi_id=SITI,
                status=PlacementStatus.WORKING,
                scheme=PlacementScheme.PRIVATE_AGENCY,
                destination_country="HK",
                occupation="Domestic worker",
                sector=Sector.DOMESTIC,
                provenance=prov("PL-2024-0001234"),
                card_number="EPMI-3506-0001234",
                employer=EmployerRecord("Chan Tai Man", "HK", "Kowloon", "+85291234567"),
                agency_license="KEP.045/2021",
                agency_name="PT Mitra Karya Migran",
                contract_start=date(2024, 3, 1),
                contract_end=date(2026, 12, 31),
                orientation_completed=True,
                departed_on=date(2024, 3, 1),
                returned_on=None,
            ),
        ),
        cases=(
            CaseRecord(
                id="ADU-2026-000311",
                kind=CaseKind.WAGE_DISPUTE,
                status=CaseStatus.IN_PROGRESS,
                severity=Severity.MEDIUM,
                opened_at=datetime(2026, 10, 5, 0, 0, tzinfo=WIB),
                summary="Gaji tidak dibayar tiga bulan",
                provenance=prov("ADU-2026-000311"),
                mission=None,
                agencies=("P2MI",),
            ),
        ),
    ),
    RIZKI: RecordSet(
        person=PersonRecord(
            agency="P2MI",
            local_id=RIZKI,
            name="Muhamad Rizki Bin Abdullah",
            provenance=prov(RIZKI),
            nik="3201011507880007",
            birth_date=date(1988, 7, 15),
            sex=Sex.MALE,
            passports=(PassportRecord("A1122334", date(2021, 2, 1), date(2026, 2, 1)),),
            phone="+6285700001111",
            next_of_kin=ContactRecord("Nur Hayati", "wife", "+6285700002222"),
            cross_refs=(
                CrossRef("P2MI", "PLACEMENT_ID", "PL-2021-0000777"),
                CrossRef("P2MI", "PMI_ID", RIZKI),
                CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2021-004455"),
            ),
            countries=("KR",),  # the placements' destinations
        ),
        placements=(
            PlacementRecord(
                placement_id="PL-2021-0000777",
                pmi_id=RIZKI,
                status=PlacementStatus.RETURNED,
                scheme=PlacementScheme.G_TO_G,
                destination_country="KR",
                occupation="Factory operator",
                sector=Sector.MANUFACTURING,
                provenance=prov("PL-2021-0000777"),
                employer=EmployerRecord("Daehan Metal Co.", "KR", "Ansan"),
                contract_start=date(2021, 4, 1),
                contract_end=date(2026, 3, 31),
                orientation_completed=True,
                departed_on=date(2021, 4, 1),
                returned_on=date(2026, 11, 1),
            ),
        ),
    ),
    NURHAYATI: RecordSet(
        person=PersonRecord(
            agency="P2MI",
            local_id=NURHAYATI,
            name="Nur Hayati Binti Karno",
            provenance=prov(NURHAYATI),
            nik="3525146102930001",
            birth_date=date(1993, 2, 21),
            sex=Sex.FEMALE,
            passports=(
                PassportRecord("X2233445", date(2018, 1, 5), date(2023, 1, 5)),
                PassportRecord("E9988776", date(2023, 1, 20), date(2033, 1, 20)),
            ),
            phone="+6281399990000",
            next_of_kin=ContactRecord("Sumiati", "mother", "+6281399991111"),
            cross_refs=(
                CrossRef("P2MI", "PLACEMENT_ID", "PL-2018-0000999"),
                CrossRef("P2MI", "PLACEMENT_ID", "PL-2023-0004321"),
                CrossRef("P2MI", "PMI_ID", NURHAYATI),
                CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2018-000999"),
            ),
            countries=("TW",),  # the placements' destinations
        ),
        placements=(
            PlacementRecord(
                placement_id="PL-2018-0000999",
                pmi_id=NURHAYATI,
                status=PlacementStatus.RETURNED,
                scheme=PlacementScheme.PRIVATE_AGENCY,
                destination_country="TW",
                occupation="Caregiver",
                sector=Sector.CARE,
                provenance=prov("PL-2018-0000999"),
                employer=EmployerRecord("Lin Mei-Hua", "TW", "Taichung"),
                agency_license="KEP.077/2023",
                agency_name="PT Bunga Harapan Sejahtera",
                contract_start=date(2018, 3, 1),
                contract_end=date(2021, 2, 28),
                orientation_completed=True,
                departed_on=date(2018, 3, 1),
                returned_on=date(2021, 3, 2),
            ),
            PlacementRecord(
                placement_id="PL-2023-0004321",
                pmi_id=NURHAYATI,
                status=PlacementStatus.WORKING,
                scheme=PlacementScheme.PRIVATE_AGENCY,
                destination_country="TW",
                occupation="Caregiver",
                sector=Sector.CARE,
                provenance=prov("PL-2023-0004321"),
                card_number="EPMI-3525-0004321",
                employer=EmployerRecord("Wang Chih-Ming", "TW", "Taipei", "+886912345678"),
                agency_license="KEP.123/2022",
                agency_name="PT Sinar Jaya Abadi",
                contract_start=date(2023, 3, 1),
                contract_end=date(2026, 2, 28),
                orientation_completed=False,
                departed_on=date(2023, 3, 5),
            ),
        ),
    ),
    RINA: RecordSet(
        person=PersonRecord(
            agency="P2MI",
            local_id=RINA,
            name="Rina Wulandari",  # no nameAs: the canonical name
            provenance=prov(RINA),
            nik="3174055011000004",
            birth_date=date(2000, 11, 10),
            sex=Sex.FEMALE,
            passports=(PassportRecord("C5566778", date(2026, 8, 1), date(2036, 8, 1)),),
            phone="+6287800003333",
            next_of_kin=ContactRecord("Joko Susilo", "brother", "+6287800004444"),
            cross_refs=(
                CrossRef("P2MI", "PLACEMENT_ID", "PL-2026-0010101"),
                CrossRef("P2MI", "PMI_ID", RINA),
                CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2026-010101"),
            ),
            countries=("SA",),  # the placement's destination
        ),
        placements=(
            PlacementRecord(
                placement_id="PL-2026-0010101",
                pmi_id=RINA,
                status=PlacementStatus.READY,
                scheme=PlacementScheme.PRIVATE_AGENCY,
                destination_country="SA",
                occupation="Housemaid",
                sector=Sector.DOMESTIC,
                provenance=prov("PL-2026-0010101"),
                employer=EmployerRecord("Abdullah Al-Harbi", "SA", "Riyadh"),
                agency_license="KEP.045/2021",
                agency_name="PT Mitra Karya Migran",
                contract_start=date(2026, 12, 15),
                contract_end=date(2028, 12, 14),
                orientation_completed=False,
            ),
        ),
    ),
}


def test_the_package_exports_a_sorted_api_and_a_connector() -> None:
    assert p2mi.__all__ == sorted(p2mi.__all__)
    conn = connect(BASE_URL, {"api_key": API_KEY})
    assert isinstance(conn, Connector)
    assert (conn.agency, conn.system, conn.batch_size) == ("P2MI", "SISKOP2MI", 100)
    assert conn.lookup_keys == {
        LookupKey.LOCAL_ID,
        LookupKey.NIK,
        LookupKey.PASSPORT,
        LookupKey.PMI_ID,
        LookupKey.PLACEMENT_ID,
    }
    assert conn.record_kinds == {RecordKind.PERSON, RecordKind.PLACEMENT, RecordKind.CASE}


def test_connect_needs_an_api_key_and_a_sane_batch_size() -> None:
    with pytest.raises(ValueError, match="api_key"):
        connect(BASE_URL, {})
    with pytest.raises(ValueError, match="batch_size"):
        connect(BASE_URL, {"api_key": API_KEY}, batch_size=0)


# --- fetch ----------------------------------------------------------------------------------


async def test_fetch_maps_every_field_of_the_scenario(connector: P2miConnector) -> None:
    # when
    found = await connector.fetch(list(EXPECTED))
    # then
    assert sorted(found) == sorted(EXPECTED)
    for pmi_id, expected in EXPECTED.items():
        assert pinned(found[pmi_id]) == expected


async def test_fetch_leaves_out_unknown_and_malformed_ids(connector: P2miConnector) -> None:
    found = await connector.fetch([RIZKI, "PMI-0000-2020-0000000", "bad id!", ""])
    assert list(found) == [RIZKI]


async def test_fetch_makes_one_call_per_batch(p2mi_app: Starlette, api: httpx.AsyncClient) -> None:
    # given
    conn = connect(
        BASE_URL, {"api_key": API_KEY}, batch_size=2, transport=httpx.ASGITransport(p2mi_app)
    )
    await api.delete("/_sandbox/stats")
    # when
    two = await conn.fetch([SITI, RIZKI])
    after_one = (await api.get("/_sandbox/stats")).json()["calls"]
    four = await conn.fetch(list(EXPECTED))
    after_three = (await api.get("/_sandbox/stats")).json()["calls"]
    nothing = await conn.fetch([])
    await conn.aclose()
    # then
    assert len(two) == 2 and len(four) == 4 and nothing == {}
    assert after_one == {"POST /api/v1/pmi/batch": 1}
    assert after_three == {"POST /api/v1/pmi/batch": 3}
    assert (await api.get("/_sandbox/stats")).json()["total"] == 3


async def test_fetch_follows_pages_only_when_the_answer_is_split(
    p2mi_data: SandboxData,
) -> None:
    # given: SISKOP2MI serves at most 3 records a page
    app = create_app(p2mi_data, SandboxConfig(credentials={"api_key": API_KEY}, max_page_size=3))
    conn = connect(BASE_URL, {"api_key": API_KEY}, transport=httpx.ASGITransport(app))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as api:
        # when
        found = await conn.fetch(list(EXPECTED))
        calls = (await api.get("/_sandbox/stats")).json()["calls"]
    await conn.aclose()
    # then
    assert sorted(found) == sorted(EXPECTED)
    assert calls == {"POST /api/v1/pmi/batch": 2}


# --- find -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        (LookupKey.NIK, ["3506124508900003", "3329095203950002"], {"3506124508900003": [SITI]}),
        (
            LookupKey.PASSPORT,
            ["x2233445", "C1234567"],
            {"x2233445": [NURHAYATI], "C1234567": [SITI]},
        ),
        (LookupKey.PMI_ID, [RINA, "PMI-0000-2020-0000000"], {RINA: [RINA]}),
        (LookupKey.LOCAL_ID, [RIZKI], {RIZKI: [RIZKI]}),
        (
            LookupKey.PLACEMENT_ID,
            ["PL-2023-0004321", "PL-2024-0001234"],
            {"PL-2023-0004321": [NURHAYATI], "PL-2024-0001234": [SITI]},
        ),
    ],
)
async def test_find_by_each_key(
    connector: P2miConnector, key: LookupKey, values: list[str], expected: dict[str, list[str]]
) -> None:
    assert await connector.find(key, values) == expected


async def test_find_skips_malformed_values_and_keys_it_cannot_search(
    connector: P2miConnector, api: httpx.AsyncClient
) -> None:
    await api.delete("/_sandbox/stats")
    assert await connector.find(LookupKey.NIK, ["1234", "3506124508900003"]) == {
        "3506124508900003": [SITI]
    }
    assert await connector.find(LookupKey.NIK, ["not a nik"]) == {}
    assert await connector.find(LookupKey.KPJ, ["24001234567"]) == {}
    assert (await api.get("/_sandbox/stats")).json()["calls"] == {"POST /api/v1/pmi/cari": 1}


async def test_find_sends_one_call_per_batch(p2mi_app: Starlette, api: httpx.AsyncClient) -> None:
    conn = connect(
        BASE_URL, {"api_key": API_KEY}, batch_size=2, transport=httpx.ASGITransport(p2mi_app)
    )
    await api.delete("/_sandbox/stats")
    found = await conn.find(LookupKey.PMI_ID, list(EXPECTED))
    await conn.aclose()
    assert sorted(found) == sorted(EXPECTED)
    assert (await api.get("/_sandbox/stats")).json()["calls"] == {"POST /api/v1/pmi/cari": 2}


# --- changes and health ---------------------------------------------------------------------


async def test_changes_walk_to_the_end(connector: P2miConnector) -> None:
    # given
    cursor: str | None = None
    seen: list[PersonRecord] = []
    # when
    while True:
        page = await connector.changes(cursor, limit=3)
        seen.extend(page.records)
        cursor = page.cursor
        if not page.has_more:
            break
    again = await connector.changes(cursor)
    # then
    assert [r.local_id for r in seen] == [SITI, RIZKI, NURHAYATI, RINA]
    assert [replace(r, provenance=prov(r.local_id)) for r in seen] == [
        EXPECTED[r.local_id].person for r in seen
    ]
    assert again.records == () and not again.has_more


async def test_health_reports_ok_and_latency(connector: P2miConnector) -> None:
    health = await connector.health()
    assert health.ok and health.agency == "P2MI"
    assert health.latency_ms is not None and health.latency_ms >= 0


async def test_health_reports_a_failure_without_raising(
    connector: P2miConnector, api: httpx.AsyncClient
) -> None:
    await api.post("/_sandbox/faults", json={"down": True})
    health = await connector.health()
    assert not health.ok
    assert health.message == "SOURCE_UNAVAILABLE"
