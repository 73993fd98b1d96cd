"""Batching: 1,000 workers cost ceil(1000 / batch size) upstream data calls per agency."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from schema.enums import Sex
from schema.identifiers import nik_for
from schema.scenario import Scenario, validate_scenario
from tests.e2e.queries import WORKER_FIELDS
from tests.e2e.stack import AGENCIES, Stack, running_stack

pytestmark = pytest.mark.e2e
PEOPLE = 1000
BATCH = 100
DATA_CALLS = {  # the upstream call that fetches a batch of person records, per agency
    "kemnaker": "GET /api/v1/pencari-kerja",
    "p2mi": "POST /api/v1/pmi/batch",
    "bpjs": "POST /pmi-rest/peserta/kpj",
    "embassy": "POST /ws/PeduliWNI",
}


def person(i: int) -> dict[str, Any]:
    sex = Sex.FEMALE if i % 2 else Sex.MALE
    born = date(1985, 1, 1) + timedelta(days=i * 7)
    nik = nik_for("350612", born, sex, i + 1)
    passport = f"C{i:07d}"
    placement = f"PL-2025-{i:07d}"
    return {
        "key": f"p{i}",
        "nik": nik,
        "name": f"Pekerja {i}",
        "birthDate": born.isoformat(),
        "sex": sex.value,
        "passports": [{"number": passport, "expiresOn": "2033-01-01"}],
        "kemnaker": {"jobSeekerId": f"AK1-2025-{i:06d}"},
        "p2mi": {
            "pmiId": f"PMI-3506-2025-{i:07d}",
            "placements": [
                {
                    "placementId": placement,
                    "status": "WORKING",
                    "scheme": "PRIVATE_AGENCY",
                    "country": "HK",
                    "occupation": "Domestic worker",
                    "sector": "DOMESTIC",
                    "agencyLicense": f"KEP.{i % 250:03d}/2022",
                    "contractStart": "2025-01-01",
                    "contractEnd": "2027-01-01",
                    "orientationCompleted": True,
                    "departedOn": "2025-01-02",
                }
            ],
        },
        "bpjs": {
            "kpj": f"25{i:09d}",
            "coverages": [
                {"program": "JKK", "phase": "PLACEMENT", "start": "2025-01-02", "end": "2027-02-01"}
            ],
        },
        "embassy": {
            "recordId": f"HKG-WNI-2025-{i:06d}",
            "nikKnown": False,
            "passportKnown": passport,
            "endorsedContracts": [placement],
            "reports": [{"mission": "HKG", "reportedOn": "2025-01-10"}],
        },
    }


def scenario() -> Scenario:
    return validate_scenario(
        {
            "asOf": "2026-11-24",
            "missions": [
                {"code": "HKG", "name": "KJRI Hong Kong", "city": "Hong Kong", "country": "HK"}
            ],
            "placementAgencies": [
                {"licenseNumber": f"KEP.{n:03d}/2022", "name": f"PT Agen {n}", "status": "ACTIVE"}
                for n in range(250)
            ],
            "people": [person(i) for i in range(PEOPLE)],
        }
    )


# Deadlines a slow, loaded CI runner cannot miss: the test counts upstream calls, and a call
# that timed out (and was retried) would change the count, not show a fault. Speed is
# measured in bench/ (gateway.py's batch figure), never asserted here.
PATIENT = {
    "HUB_REQUEST_DEADLINE": "600",
    "HUB_RESILIENCE_CALL_TIMEOUT": "600",
    "HUB_RESILIENCE_RETRY_ATTEMPTS": "1",
    "HUB_RESILIENCE_BREAKER_FAILURES": "1000",
    # Nothing else asks the sandboxes: the hub's census (off unless configured; the demo runs
    # it) evaluates every worker in the background with calls of its own to count.
    "HUB_CENSUS_SECONDS": "0",
}


@pytest.fixture(scope="module")
def big_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {f"HUB_AGENCY_{a.upper()}_BATCH_SIZE": str(BATCH) for a in AGENCIES}
    env |= {f"HUB_AGENCY_{a.upper()}_TIMEOUT": "600" for a in AGENCIES} | PATIENT
    with running_stack(scenario(), Path(tmp_path_factory.mktemp("big")), env) as stack:
        yield stack


def test_a_thousand_workers_cost_one_upstream_call_per_batch_per_agency(big_stack: Stack) -> None:
    # given the hub ids of 1,000 workers, each known to all four agencies
    niks = [person(i)["nik"] for i in range(PEOPLE)]
    found = big_stack.graphql(
        "query($n: [String!]!) { workersByNik(niks: $n) { id } }", {"n": niks}, timeout=900
    ).json()["data"]["workersByNik"]
    ids = [w["id"] for w in found]
    assert len(set(ids)) == PEOPLE
    for agency in AGENCIES:
        with big_stack.sandbox(agency) as client:
            client.delete("/_sandbox/stats")
    # when one request asks for every section of all of them
    response = big_stack.graphql(
        f"query($ids: [ID!]!) {{ workers(ids: $ids) {{ {WORKER_FIELDS} }} }}",
        {"ids": ids},
        timeout=900,
    )
    body = response.json()
    assert "errors" not in body, body.get("errors", [])[:3]
    workers = body["data"]["workers"]
    assert [w["id"] for w in workers] == ids
    assert all(len(w["identity"]["links"]) == 4 for w in workers)
    assert all(w["placements"][0]["contractEndorsed"] for w in workers)
    # then each agency answered ceil(1000 / 100) = 10 batch calls, and no more
    expected = math.ceil(PEOPLE / BATCH)
    for agency, call in DATA_CALLS.items():
        with big_stack.sandbox(agency) as client:
            calls = client.get("/_sandbox/stats").json()["calls"]
        assert calls.get(call) == expected, (agency, calls)
        if agency == "kemnaker":  # plus the licence registry, 250 licences in batches of 100
            assert calls.get("GET /api/v1/p3mi") == math.ceil(250 / BATCH)
