"""Every way SISKOP2MI can fail, as the connector reports it: only ConnectorError subclasses."""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kit.base import LookupKey
from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyUnavailable,
    BadResponse,
    ConnectorError,
)
from connectors.p2mi import P2miConnector, connect

pytestmark = pytest.mark.anyio

BASE_URL = "http://siskop2mi.test"
SITI = "PMI-3506-2024-0001234"

Call = Callable[[P2miConnector], Awaitable[object]]
CALLS: dict[str, Call] = {
    "fetch": lambda c: c.fetch([SITI]),
    "find": lambda c: c.find(LookupKey.NIK, ["3506124508900003"]),
    "changes": lambda c: c.changes(None),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
async def test_a_wrong_key_is_agency_rejected(p2mi_app: Starlette, call: Call) -> None:
    conn = connect(BASE_URL, {"api_key": "wrong-key"}, transport=httpx.ASGITransport(p2mi_app))
    with pytest.raises(AgencyRejected, match="HTTP 403") as caught:
        await call(conn)
    await conn.aclose()
    assert caught.value.agency == "P2MI" and caught.value.code == "SOURCE_REJECTED"


async def test_a_missing_key_is_agency_rejected(p2mi_app: Starlette) -> None:
    bare = httpx.AsyncClient(transport=httpx.ASGITransport(p2mi_app), base_url=BASE_URL)
    conn = P2miConnector(bare)
    with pytest.raises(AgencyRejected, match="HTTP 401"):
        await conn.fetch([SITI])
    await conn.aclose()


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"down": True}, AgencyUnavailable),
        ({"errorRate": 1.0}, AgencyUnavailable),
        ({"garbage": True}, BadResponse),
    ],
)
@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
async def test_faults_become_typed_errors(
    connector: P2miConnector,
    api: httpx.AsyncClient,
    faults: dict[str, Any],
    error: type[ConnectorError],
    call: Call,
) -> None:
    await api.post("/_sandbox/faults", json=faults)
    with pytest.raises(error) as caught:
        await call(connector)
    assert type(caught.value) is error


async def test_429_is_rate_limited_with_retry_after(
    connector: P2miConnector, api: httpx.AsyncClient
) -> None:
    await api.post("/_sandbox/faults", json={"rateLimitPerSecond": 0.25, "rateLimitBurst": 1})
    await connector.fetch([SITI])
    with pytest.raises(AgencyRateLimited) as caught:
        await connector.fetch([SITI])
    assert caught.value.retry_after is not None and caught.value.retry_after >= 1


async def test_a_bad_cursor_is_a_bad_response(connector: P2miConnector) -> None:
    with pytest.raises(BadResponse, match="HTTP 400"):
        await connector.changes("not-a-cursor")


# --- answers that break the dialect, from a fake SISKOP2MI ----------------------------------

PERSON: dict[str, Any] = {
    "idPmi": SITI,
    "nik": "3506124508900003",
    "nama": "Siti Aminah",
    "tanggalLahir": "05-08-1990",
    "jenisKelamin": "P",
    "paspor": [],
    "idSiapkerja": [],
    "penempatan": [
        {
            "idPenempatan": "PL-2024-0001234",
            "status": "BEKERJA",
            "skema": "P3MI",
            "negaraTujuan": "HK",
            "jabatan": "Domestic worker",
            "sektor": "RUMAH_TANGGA",
        }
    ],
    "pengaduan": [],
    "fieldAddedLater": {"ignored": True},
}


def page(data: list[dict[str, Any]], **envelope: Any) -> dict[str, Any]:
    base = {"status": "success", "total": len(data), "page": 1, "per_page": 100, "data": data}
    return base | envelope


def fake(answer: Callable[[httpx.Request], httpx.Response]) -> P2miConnector:
    return connect(BASE_URL, {"api_key": "k"}, transport=httpx.MockTransport(answer))


def person_with(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    person = copy.deepcopy(PERSON)
    target: Any = person
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return person


async def test_the_fake_answer_itself_is_accepted() -> None:
    conn = fake(lambda request: httpx.Response(200, json=page([PERSON])))
    found = await conn.fetch([SITI])
    assert found[SITI].placements[0].placement_id == "PL-2024-0001234"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("tanggalLahir",), "1990-08-05"),  # ISO, not DD-MM-YYYY
        (("tanggalLahir",), "5-8-1990"),
        (("tanggalLahir",), "31-02-1990"),
        (("tanggalLahir",), 19900805),
        (("jenisKelamin",), "F"),
        (("penempatan", 0, "status"), "WORKING"),  # our enum name, not SISKOP2MI's code
        (("penempatan", 0, "sektor"), "DOMESTIC"),
        (("penempatan", 0, "tanggalBerangkat"), "2024/03/01"),
        (("nama",), " "),
        (("idPmi",), None),
        (("paspor",), "C1234567"),
    ],
)
async def test_an_answer_outside_the_dialect_is_a_bad_response(
    path: tuple[str | int, ...], value: Any
) -> None:
    conn = fake(lambda request: httpx.Response(200, json=page([person_with(path, value)])))
    with pytest.raises(BadResponse) as caught:
        await conn.fetch([SITI])
    assert "1990" not in str(caught.value)  # the birth date is personal data: never echoed


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>gateway error</html>",
        b"[" * 100_000,
        b'{"status": "success", "total": 1, "page": 1, "per_page": 1, "data": [\xff]}',
        json.dumps({"status": "error", "data": []}).encode(),
        json.dumps(page([PERSON], page=2)).encode(),  # not the page asked for
        json.dumps(page([], total=5, per_page=1)).encode(),  # a split answer that never advances
        json.dumps(page([PERSON], total=-1)).encode(),
        json.dumps([PERSON]).encode(),
    ],
)
async def test_broken_envelopes_are_bad_responses(body: bytes) -> None:
    conn = fake(lambda request: httpx.Response(200, content=body))
    with pytest.raises(BadResponse):
        await conn.fetch([SITI])


@pytest.mark.parametrize("status", [201, 302, 400, 404, 422])
async def test_unexpected_statuses_are_bad_responses(status: int) -> None:
    conn = fake(lambda request: httpx.Response(status, json=page([PERSON])))
    with pytest.raises(BadResponse, match=f"HTTP {status}"):
        await conn.fetch([SITI])


async def test_records_not_asked_for_are_dropped() -> None:
    other = person_with(("idPmi",), "PMI-9999-2020-0000001")
    conn = fake(lambda request: httpx.Response(200, json=page([PERSON, other])))
    assert list(await conn.fetch([SITI])) == [SITI]


async def test_the_connector_sends_the_key_and_the_documented_request() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=page([PERSON]))

    await fake(answer).fetch([SITI, SITI])
    [request] = seen
    assert request.method == "POST" and request.url.path == "/api/v1/pmi/batch"
    assert request.headers["X-Api-Key"] == "k"
    assert dict(request.url.params) == {"page": "1", "per_page": "1"}
    assert json.loads(request.content) == {"idPmi": [SITI]}


async def test_a_decoding_failure_is_a_bad_response() -> None:
    conn = fake(
        lambda request: httpx.Response(
            200, content=b"not gzip", headers={"Content-Encoding": "gzip"}
        )
    )
    with pytest.raises(BadResponse, match="DecodingError"):
        await conn.fetch([SITI])
