"""EmbassyConnector against the sandbox in-process: mapping, batching, lookups, the feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import httpx
import pytest

import connectors.embassy as embassy
from connectors.embassy import EmbassyConnector
from connectors.kit.base import Connector, LookupKey
from schema.enums import CaseKind, CaseStatus, Severity, Sex
from schema.records import (
    CaseRecord,
    ConsularReportRecord,
    CrossRef,
    EndorsementRecord,
    MissionRecord,
    PassportRecord,
    PersonRecord,
    Provenance,
    RecordKind,
)

pytestmark = pytest.mark.anyio

SITI = "HKG-WNI-2024-000987"
DEWI = "KUL-WNI-2025-004411"
NUR_OLD = "TPE-WNI-2018-001200"
NUR_NEW = "TPE-WNI-2023-008877"
HKG = MissionRecord("HKG", "KJRI Hong Kong", "Hong Kong", "HK")
KUL = MissionRecord("KUL", "KBRI Kuala Lumpur", "Kuala Lumpur", "MY")
ANI = {
    "key": "nik-known",
    "nik": "3201014101990001",
    "name": "Ani Suryani",
    "birthDate": "1999-01-01",
    "sex": "FEMALE",
    "passports": [{"number": "C7000001"}, {"number": "C7000002"}],
    "embassy": [{"recordId": "RUH-WNI-2026-000001", "birthDateAs": "1999-10-01"}],
}


def test_the_package_exports_a_sorted_public_api() -> None:
    assert embassy.__all__ == sorted(embassy.__all__)
    assert all(hasattr(embassy, name) for name in embassy.__all__)


async def test_the_connector_declares_what_it_serves(connector: EmbassyConnector) -> None:
    assert isinstance(connector, Connector)
    assert (connector.agency, connector.system, connector.batch_size) == ("EMBASSY", "PeduliWNI", 3)
    assert connector.lookup_keys == {LookupKey.LOCAL_ID, LookupKey.NIK, LookupKey.PASSPORT}
    assert connector.record_kinds == {
        RecordKind.PERSON,
        RecordKind.CONSULAR_REPORT,
        RecordKind.ENDORSEMENT,
        RecordKind.CASE,
    }


async def test_fetch_maps_every_field_of_a_record(connector: EmbassyConnector) -> None:
    # when
    found = await connector.fetch([SITI])
    # then
    records = found[SITI]
    fetched_at = records.person.provenance.fetched_at
    assert datetime.now(UTC) - fetched_at < timedelta(seconds=5)
    provenance = Provenance("EMBASSY", "PeduliWNI", SITI, fetched_at)
    assert records.person == PersonRecord(
        agency="EMBASSY",
        local_id=SITI,
        name="SITI AMINAH BT SAHRONI",
        provenance=provenance,
        nik=None,
        birth_date=date(1990, 8, 5),
        sex=Sex.FEMALE,
        passports=(PassportRecord("C1234567", date(2024, 1, 10), date(2034, 1, 10)),),
        phone="+6281234567890",
        address="Kowloon",
        cross_refs=(CrossRef("P2MI", "PLACEMENT_ID", "PL-2024-0001234"),),
        countries=("HK",),  # the mission's country of her lapor diri
    )
    assert records.reports == (
        ConsularReportRecord(date(2024, 3, 10), provenance, HKG, "Kowloon", date(2026, 10, 1)),
    )
    assert records.endorsements == (EndorsementRecord("PL-2024-0001234", provenance),)
    assert records.cases == (
        CaseRecord(
            id="HKG-2026-0042",
            kind=CaseKind.WAGE_DISPUTE,
            status=CaseStatus.OPEN,
            severity=Severity.MEDIUM,
            opened_at=datetime(2026, 10, 2, 9, tzinfo=timezone(timedelta(hours=8))),
            summary="Unpaid wages for three months",
            provenance=Provenance("EMBASSY", "PeduliWNI", "HKG-2026-0042", fetched_at),
            mission=HKG,
            agencies=("EMBASSY",),
        ),
    )
    assert (records.placements, records.memberships) == ((), ())


async def test_fetch_maps_the_embassy_only_person_and_both_records_of_one_person(
    connector: EmbassyConnector,
) -> None:
    found = await connector.fetch([DEWI, NUR_OLD, NUR_NEW])
    dewi = found[DEWI]
    assert (dewi.person.address, dewi.person.cross_refs, dewi.person.phone) == (
        "Johor Bahru",
        (),
        None,
    )
    [case] = dewi.cases
    assert (case.kind, case.severity, case.mission) == (
        CaseKind.DETENTION,
        Severity.CRITICAL,
        KUL,
    )
    assert case.opened_at == datetime(2026, 11, 20, 14, 30, tzinfo=timezone(timedelta(hours=8)))
    old, new = found[NUR_OLD].person, found[NUR_NEW].person
    assert (old.name, new.name) == ("NURHAYATI", "NUR HAYATI BINTI KARNO")
    assert old.passports == (PassportRecord("X2233445", date(2018, 1, 5), date(2023, 1, 5)),)
    assert new.passports == (PassportRecord("E9988776", date(2023, 1, 20), date(2033, 1, 20)),)
    assert old.cross_refs == (CrossRef("P2MI", "PLACEMENT_ID", "PL-2018-0000999"),)
    assert (new.cross_refs, found[NUR_NEW].endorsements) == ((), ())
    assert found[NUR_NEW].reports[0].mission == MissionRecord("TPE", "KDEI Taipei", "Taipei", "TW")


async def test_the_nik_and_the_birth_date_as_recorded_are_mapped(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    # given a mission that holds the NIK but recorded another birth date, and no reports
    assert (await api.post("/_sandbox/people", json=ANI)).status_code == 200
    # when
    record = (await connector.fetch(["RUH-WNI-2026-000001"]))["RUH-WNI-2026-000001"]
    # then
    person = record.person
    assert (person.nik, person.birth_date, person.address) == (
        "3201014101990001",
        date(1999, 10, 1),
        None,
    )
    assert [p.number for p in person.passports] == ["C7000001", "C7000002"]
    assert (record.reports, record.cases) == ((), ())


async def test_fetch_makes_one_call_per_batch(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    # given
    await api.delete("/_sandbox/stats")
    # when three ids (one batch), then four (two batches of at most 3)
    assert set(await connector.fetch([SITI, DEWI, NUR_OLD])) == {SITI, DEWI, NUR_OLD}
    first = (await api.get("/_sandbox/stats")).json()
    found = await connector.fetch([SITI, DEWI, NUR_OLD, NUR_NEW, "HKG-WNI-1999-000000"])
    second = (await api.get("/_sandbox/stats")).json()
    # then
    assert first["calls"] == {"POST /ws/PeduliWNI": 1}
    assert second["calls"] == {"POST /ws/PeduliWNI": 3}
    assert set(found) == {SITI, DEWI, NUR_OLD, NUR_NEW}


async def test_malformed_ids_are_not_sent(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    await api.delete("/_sandbox/stats")
    assert await connector.fetch(["has space", "", "<x/>"]) == {}
    assert (await api.get("/_sandbox/stats")).json()["total"] == 0


async def test_find_by_each_lookup_key(connector: EmbassyConnector, api: httpx.AsyncClient) -> None:
    assert (await api.post("/_sandbox/people", json=ANI)).status_code == 200
    by_id = await connector.find(LookupKey.LOCAL_ID, [SITI, "HKG-WNI-1999-000000"])
    by_nik = await connector.find(LookupKey.NIK, ["3201014101990001", "3506124508900003", "12"])
    by_passport = await connector.find(LookupKey.PASSPORT, ["e9988776", "X2233445", "C0000000"])
    assert by_id == {SITI: [SITI]}
    assert by_nik == {"3201014101990001": ["RUH-WNI-2026-000001"]}  # Siti's NIK is not held
    assert by_passport == {"e9988776": [NUR_NEW], "X2233445": [NUR_OLD]}


async def test_find_by_a_key_peduli_wni_cannot_search_finds_nothing(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    await api.delete("/_sandbox/stats")
    assert await connector.find(LookupKey.KPJ, ["24001234567"]) == {}
    assert (await api.get("/_sandbox/stats")).json()["total"] == 0


async def test_find_splits_values_into_batches(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    await api.delete("/_sandbox/stats")
    numbers = ["C1234567", "B7654321", "X2233445", "E9988776"]  # max_batch is 3
    found = await connector.find(LookupKey.PASSPORT, numbers)
    assert found == {
        "C1234567": [SITI],
        "B7654321": [DEWI],
        "X2233445": [NUR_OLD],
        "E9988776": [NUR_NEW],
    }
    assert (await api.get("/_sandbox/stats")).json()["total"] == 2


async def test_changes_walk_the_feed_to_the_end(connector: EmbassyConnector) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        page = await connector.changes(cursor, limit=1)
        seen += [record.local_id for record in page.records]
        assert all(record.agency == "EMBASSY" for record in page.records)
        cursor = page.cursor
        if not page.has_more:
            break
    assert sorted(seen) == sorted([SITI, DEWI, NUR_OLD, NUR_NEW])
    last = await connector.changes(cursor)
    assert (last.records, last.has_more, last.cursor) == ((), False, cursor)


async def test_health_reports_latency(connector: EmbassyConnector) -> None:
    health = await connector.health()
    assert (health.agency, health.ok, health.message) == ("EMBASSY", True, None)
    assert health.latency_ms is not None and health.latency_ms >= 0


async def test_health_reports_an_agency_that_is_down(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    await api.post("/_sandbox/faults", json={"down": True})
    health = await connector.health()
    assert (health.ok, health.message) == (False, "SOURCE_UNAVAILABLE")
