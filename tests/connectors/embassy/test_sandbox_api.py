"""The Peduli WNI sandbox's operations over the small scenario (no TLS: ASGITransport)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import httpx
import pytest
from defusedxml import ElementTree as SafeET

from connectors.embassy.dialect import NS, PATH
from connectors.embassy.soap import open_envelope, q, read_fault

pytestmark = pytest.mark.anyio

SITI = "HKG-WNI-2024-000987"
DEWI = "KUL-WNI-2025-004411"
NUR_OLD = "TPE-WNI-2018-001200"
NUR_NEW = "TPE-WNI-2023-008877"
ALL_RECORDS = {SITI, DEWI, NUR_OLD, NUR_NEW}

# A person whose mission holds her NIK and every passport (no passportKnown), two reports.
ANI = {
    "key": "nik-known",
    "nik": "3201014101990001",
    "name": "Ani Suryani",
    "birthDate": "1999-01-01",
    "sex": "FEMALE",
    "phone": "+6281200000001",
    "passports": [
        {"number": "C7000001", "issuedOn": "2019-01-01", "expiresOn": "2024-01-01"},
        {"number": "C7000002"},
    ],
    "embassy": [
        {
            "recordId": "RUH-WNI-2026-000001",
            "reports": [
                {"mission": "RUH", "reportedOn": "2026-06-01", "address": "Riyadh"},
                {"mission": "RUH", "reportedOn": "2026-01-05", "address": "Jeddah"},
            ],
        }
    ],
}


def answer(response: httpx.Response) -> Element:
    assert response.headers["content-type"].startswith("text/xml")
    return open_envelope(response.content)[1]


def fault_code(response: httpx.Response) -> str:
    fault = read_fault(answer(response))
    assert fault is not None
    return fault.code


def record_ids(node: Element) -> list[str]:
    return [r.findtext(q("RecordId")) or "" for r in node.findall(q("CitizenRecord"))]


def text(node: Element, path: str) -> str | None:
    return node.findtext("/".join(q(part) for part in path.split("/")))


async def test_a_record_carries_what_the_mission_holds(soap) -> None:
    # when
    response = await soap("GetCitizenRecords", RecordId=SITI)
    # then
    assert response.status_code == 200
    [record] = answer(response).findall(q("CitizenRecord"))
    assert text(record, "FullName") == "SITI AMINAH BT SAHRONI"
    assert record.find(q("Nik")) is None  # nikKnown: false
    assert (text(record, "BirthDate"), text(record, "Sex")) == ("1990-08-05", "P")
    assert text(record, "Phone") == "+6281234567890"
    assert text(record, "Passports/Passport/Number") == "C1234567"
    assert text(record, "Passports/Passport/IssueDate") == "2024-01-10"
    assert text(record, "Passports/Passport/ExpiryDate") == "2034-01-10"
    report = record.find(f"{q('SelfReports')}/{q('SelfReport')}")
    assert report is not None
    assert text(report, "Mission/Code") == "HKG"
    assert text(report, "Mission/Name") == "KJRI Hong Kong"
    assert (text(report, "Mission/City"), text(report, "Mission/Country")) == ("Hong Kong", "HK")
    assert (text(report, "ReportedOn"), text(report, "LastContactOn")) == (
        "2024-03-10",
        "2026-10-01",
    )
    assert text(report, "AddressAbroad") == "Kowloon"
    assert text(record, "EndorsedContracts/PlacementId") == "PL-2024-0001234"
    case = record.find(f"{q('ConsularCases')}/{q('ConsularCase')}")
    assert case is not None
    assert [text(case, n) for n in ("CaseNumber", "Category", "Status", "Priority")] == [
        "HKG-2026-0042",
        "GAJI_TIDAK_DIBAYAR",
        "BARU",
        "3",
    ]
    assert text(case, "OpenedAt") == "2026-10-02T09:00:00+08:00"
    assert text(case, "Summary") == "Unpaid wages for three months"
    assert text(case, "Mission/Code") == "HKG"


async def test_a_batch_answers_known_ids_and_leaves_unknown_ones_out(soap) -> None:
    response = await soap("GetCitizenRecords", RecordId=[NUR_NEW, "HKG-WNI-1999-000000", SITI])
    assert response.status_code == 200
    assert record_ids(answer(response)) == [NUR_NEW, SITI]


async def test_a_record_with_passport_known_holds_only_that_passport(soap) -> None:
    response = await soap("GetCitizenRecords", RecordId=NUR_OLD)
    [record] = answer(response).findall(q("CitizenRecord"))
    passports = record.findall(f"{q('Passports')}/{q('Passport')}")
    assert [text(p, "Number") for p in passports] == ["X2233445"]
    assert text(passports[0], "ExpiryDate") == "2023-01-05"
    assert text(record, "FullName") == "NURHAYATI"


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        (["A-1", "A-2", "A-3", "A-4"], "BATCH_TOO_LARGE"),  # max_batch is 3
        ([], "EMPTY_REQUEST"),
        (["has space"], "INVALID_RECORD_ID"),
        (["x" * 65], "INVALID_RECORD_ID"),
    ],
)
async def test_a_malformed_batch_is_a_client_fault(soap, ids: list[str], code: str) -> None:
    response = await soap("GetCitizenRecords", RecordId=ids)
    assert response.status_code == 400
    fault = read_fault(answer(response))
    assert fault is not None
    assert (fault.faultcode, fault.code) == ("soap:Client", code)
    assert fault.message and fault.pesan  # English and Indonesian


async def test_find_by_nik_sees_only_records_that_hold_the_nik(soap, api) -> None:
    # given Siti's mission does not hold her NIK, and Ani's does
    assert (await api.post("/_sandbox/people", json=ANI)).status_code == 200
    # when
    response = await soap("FindByNik", Nik=["3506124508900003", "3201014101990001"])
    # then
    [match] = answer(response).findall(q("Match"))
    assert text(match, "Value") == "3201014101990001"
    assert [r.text for r in match.findall(q("RecordId"))] == ["RUH-WNI-2026-000001"]
    record = answer(await soap("GetCitizenRecords", RecordId="RUH-WNI-2026-000001"))
    assert text(record, "CitizenRecord/Nik") == "3201014101990001"
    numbers = record.findall(f"{q('CitizenRecord')}/{q('Passports')}/{q('Passport')}")
    assert [text(p, "Number") for p in numbers] == ["C7000001", "C7000002"]


async def test_find_by_passport_normalises_the_number(soap) -> None:
    response = await soap("FindByPassport", PassportNumber=["e9988776", "X2233445", "C0000000"])
    matches = {
        text(m, "Value"): [r.text for r in m.findall(q("RecordId"))]
        for m in answer(response).findall(q("Match"))
    }
    assert matches == {"E9988776": [NUR_NEW], "X2233445": [NUR_OLD]}


@pytest.mark.parametrize(
    ("operation", "field", "value", "code"),
    [
        ("FindByNik", "Nik", "12345", "INVALID_NIK"),
        ("FindByPassport", "PassportNumber", "not a passport", "INVALID_PASSPORT"),
    ],
)
async def test_a_malformed_lookup_value_is_a_client_fault(
    soap, operation: str, field: str, value: str, code: str
) -> None:
    response = await soap(operation, **{field: value})
    assert response.status_code == 400
    assert fault_code(response) == code
    assert value not in response.text  # the value may be personal data: never echoed


async def test_the_listing_walks_to_the_end(soap) -> None:
    seen: list[str] = []
    page = 1
    while True:
        # PageSize above the maximum (2) is lowered to it
        node = answer(await soap("ListCitizenRecords", PageNumber=str(page), PageSize="50"))
        assert (text(node, "PageSize"), text(node, "TotalRecords")) == ("2", "4")
        assert text(node, "TotalPages") == "2"
        ids = record_ids(node)
        if not ids:
            break
        seen += ids
        page += 1
    assert page == 3
    assert sorted(seen) == sorted(ALL_RECORDS)


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "9999999999"])
async def test_the_listing_rejects_a_bad_page_number(soap, value: str) -> None:
    response = await soap("ListCitizenRecords", PageNumber=value)
    assert response.status_code == 400
    assert fault_code(response) == "INVALID_VALUE"


async def test_the_changes_feed_walks_to_the_end(soap) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        fields = {"MaxRecords": "1"} | ({"Cursor": cursor} if cursor else {})
        node = answer(await soap("GetChanges", **fields))
        seen += record_ids(node)
        cursor = text(node, "NextCursor")
        if text(node, "HasMore") == "false":
            break
    assert sorted(seen) == sorted(ALL_RECORDS)
    # then nothing is left after the last cursor
    node = answer(await soap("GetChanges", Cursor=cursor or ""))
    assert (record_ids(node), text(node, "HasMore")) == ([], "false")


async def test_a_changed_person_comes_back_on_the_feed(soap, api) -> None:
    # given the feed read to its end
    end, more = "", "true"
    while more == "true":
        node = answer(await soap("GetChanges", Cursor=end, MaxRecords="50"))
        end, more = text(node, "NextCursor") or "", text(node, "HasMore")
    # when a person is added, then only they are new
    assert (await api.post("/_sandbox/people", json=ANI)).status_code == 200
    node = answer(await soap("GetChanges", Cursor=end or ""))
    assert record_ids(node) == ["RUH-WNI-2026-000001"]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "c2VxOng", "%%%"])
async def test_a_bad_cursor_is_a_client_fault(soap, cursor: str) -> None:
    response = await soap("GetChanges", Cursor=cursor)
    assert response.status_code == 400
    assert fault_code(response) == "INVALID_CURSOR"


async def test_ping_answers_without_data(soap) -> None:
    node = answer(await soap("Ping"))
    assert (text(node, "Status"), text(node, "System")) == ("OK", "PeduliWNI")
    assert (text(node, "ServerTime") or "").startswith("2026-11-24")


async def test_the_wsdl_describes_every_operation(api) -> None:
    response = await api.get(PATH, params={"wsdl": ""})
    assert response.status_code == 200
    root = SafeET.fromstring(response.content, forbid_dtd=True)
    assert root.get("targetNamespace") == NS
    wsdl = "{http://schemas.xmlsoap.org/wsdl/}"
    names = {op.get("name") for op in root.iter(f"{wsdl}operation")}
    assert names == {
        "GetCitizenRecords",
        "FindByNik",
        "FindByPassport",
        "ListCitizenRecords",
        "GetChanges",
        "Ping",
    }
    address = next(root.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"))
    assert address.get("location") == f"https://peduliwni.test{PATH}"
