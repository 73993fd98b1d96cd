"""One worker's view across the four agencies, over real HTTP on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.queries import BY_ID, BY_NIK, BY_PASSPORT
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def data(response: Any) -> Any:
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"]


def states(worker: dict[str, Any]) -> dict[str, str]:
    return {s["agency"]: s["state"] for s in worker["sources"]}


def test_worker_known_to_all_four_agencies(stack: Stack) -> None:
    # when an officer asks by NIK
    worker = data(stack.graphql(BY_NIK, {"nik": "3506124508900003"}))["workerBy"]
    # then every agency answered and each section carries its facts
    assert states(worker) == {
        "KEMNAKER": "OK",
        "P2MI": "OK",
        "BPJS_KETENAGAKERJAAN": "OK",
        "EMBASSY": "OK",
    }
    identity = worker["identity"]
    assert identity["birthDate"] == "1990-08-05" and identity["sex"] == "FEMALE"
    assert identity["originProvince"] == "Jawa Timur"
    assert identity["originRegency"] == "Kediri"
    assert {identity["fullName"], *identity["otherNames"]} >= {
        "Siti Aminah Binti Sahroni",
        "SITI AMINAH BT SAHRONI",
    }
    assert [p["number"] for p in identity["passports"]] == ["C1234567"]
    assert identity["nextOfKin"]["name"] == "Sahroni"
    links = {(link["agency"], link["localId"]) for link in identity["links"]}
    assert links == {
        ("KEMNAKER", "AK1-2024-000123"),
        ("P2MI", "PMI-3506-2024-0001234"),
        ("BPJS_KETENAGAKERJAAN", "24001234567"),
        ("EMBASSY", "HKG-WNI-2024-000987"),
    }
    embassy_link = next(x for x in identity["links"] if x["agency"] == "EMBASSY")
    assert embassy_link["matchMethod"] in {"AGENCY_ID", "PASSPORT"}
    assert embassy_link["confidence"] == 1.0

    (placement,) = worker["placements"]
    assert placement["placementId"] == "PL-2024-0001234"
    assert placement["agency"] == {
        "name": "PT Mitra Karya Migran",
        "licenseNumber": "KEP.045/2021",
        "licenseStatus": "ACTIVE",
        "phone": "+62215550202",
    }
    assert placement["contractEndorsed"] is True
    assert placement["employer"]["name"] == "Chan Tai Man"
    assert {p["agency"] for p in placement["provenance"]} == {"P2MI", "KEMNAKER", "EMBASSY"}

    ss = worker["socialSecurity"]
    assert ss["kpj"] == "24001234567"
    assert {(c["program"], c["active"]) for c in ss["coverages"]} == {("JKK", True), ("JKM", True)}
    assert ss["contributions"] == [{"period": "2024-03", "amount": 370000, "paidOn": "2024-02-20"}]
    assert ss["provenance"][0]["agency"] == "BPJS_KETENAGAKERJAAN"

    consular = worker["consular"]
    assert consular["reported"] is True and consular["mission"]["code"] == "HKG"
    assert consular["lastContactOn"] == "2026-10-01"

    cases = {c["id"]: c for c in worker["cases"]}
    assert set(cases) == {"HKG-2026-0042", "ADU-2026-000311"}
    assert cases["HKG-2026-0042"]["agencies"] == ["EMBASSY"]
    assert cases["HKG-2026-0042"]["mission"]["code"] == "HKG"
    assert cases["ADU-2026-000311"]["agencies"] == ["P2MI"]

    protection = worker["protection"]
    assert protection["complete"] is True and protection["phase"] == "PLACEMENT"
    assert protection["level"] == "AT_RISK"
    codes = {f["code"]: f for f in protection["findings"]}
    assert "OPEN_CASE" in codes and "JHT_NOT_ENROLLED" in codes
    assert "BPJS_NOT_ENROLLED" not in codes and "CONTRACT_NOT_ENDORSED" not in codes
    open_case = codes["OPEN_CASE"]
    assert open_case["message"] != open_case["messageEn"]
    assert {e["agency"] for e in open_case["evidence"]} <= {"EMBASSY", "P2MI"}
    assert "3506124508900003" not in str(protection) and "Siti" not in str(protection)


def test_undocumented_worker_known_only_to_the_embassy(stack: Stack) -> None:
    worker = data(stack.graphql(BY_PASSPORT, {"p": "B7654321"}))["workerBy"]
    assert states(worker) == {
        "KEMNAKER": "NOT_FOUND",
        "P2MI": "NOT_FOUND",
        "BPJS_KETENAGAKERJAAN": "NOT_FOUND",
        "EMBASSY": "OK",
    }
    assert worker["identity"]["fullName"] == "DEWI LESTARI"
    assert worker["placements"] == []
    assert worker["socialSecurity"] is None
    assert worker["consular"]["mission"]["code"] == "KUL"
    (case,) = worker["cases"]
    assert (case["kind"], case["severity"]) == ("DETENTION", "CRITICAL")
    protection = worker["protection"]
    assert protection["level"] == "EMERGENCY" and protection["complete"] is True
    assert {"NOT_IN_SISKOP2MI", "CRITICAL_CASE"} <= {f["code"] for f in protection["findings"]}


def test_returned_worker_with_post_placement_cover(stack: Stack) -> None:
    worker = data(stack.graphql(BY_NIK, {"nik": "3201011507880007"}))["workerBy"]
    (placement,) = worker["placements"]
    assert placement["status"] == "RETURNED" and placement["returnedOn"] == "2026-11-01"
    assert placement["scheme"] == "G_TO_G" and placement["agency"] is None
    post = [c for c in worker["socialSecurity"]["coverages"] if c["phase"] == "POST_PLACEMENT"]
    assert post and all(c["active"] for c in post)
    assert worker["socialSecurity"]["claims"][0]["program"] == "JHT"
    assert worker["consular"] == {
        "reported": False,
        "reportedOn": None,
        "addressAbroad": None,
        "lastContactOn": None,
        "mission": None,
        "provenance": [],
    }


def test_two_placements_two_kpj_and_two_embassy_records_are_one_worker(stack: Stack) -> None:
    worker = data(stack.graphql(BY_NIK, {"nik": "3525146102930001"}))["workerBy"]
    placements = {p["placementId"]: p for p in worker["placements"]}
    assert [p["placementId"] for p in worker["placements"]] == [
        "PL-2023-0004321",
        "PL-2018-0000999",
    ]
    assert placements["PL-2023-0004321"]["agency"]["licenseStatus"] == "REVOKED"
    assert placements["PL-2018-0000999"]["agency"]["licenseStatus"] == "SUSPENDED"
    assert placements["PL-2018-0000999"]["contractEndorsed"] is True
    assert placements["PL-2023-0004321"]["contractEndorsed"] is False
    ss = worker["socialSecurity"]
    assert ss["kpj"] == "23000432101"
    assert len(ss["provenance"]) == 2 and len(ss["coverages"]) == 4
    embassy = [x for x in worker["identity"]["links"] if x["agency"] == "EMBASSY"]
    assert {x["localId"] for x in embassy} == {"TPE-WNI-2018-001200", "TPE-WNI-2023-008877"}
    assert worker["consular"]["reportedOn"] == "2023-03-15"
    assert worker["consular"]["lastContactOn"] == "2026-09-15"
    assert {p["number"] for p in worker["identity"]["passports"]} == {"X2233445", "E9988776"}


def test_worker_by_id_returns_the_same_view_and_unknown_ids_are_null(stack: Stack) -> None:
    by_nik = data(stack.graphql(BY_NIK, {"nik": "3174055011000004"}))["workerBy"]
    by_id = data(stack.graphql(BY_ID, {"id": by_nik["id"]}))["worker"]
    assert by_id["identity"] == by_nik["identity"]
    assert data(stack.graphql(BY_ID, {"id": "wk_" + "0" * 20}))["worker"] is None
    assert data(stack.graphql(BY_NIK, {"nik": "3506124508900099"}))["workerBy"] is None
