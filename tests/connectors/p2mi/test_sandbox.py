"""The SISKOP2MI sandbox as any caller sees it: auth, listings, lookups, feed, errors, faults."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.p2mi.sandbox import create_app, render_error
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData, encode_cursor
from tests.connectors.p2mi.conftest import API_KEY

BASE_URL = "http://siskop2mi.test"
ALL_PMI_IDS = [
    "PMI-3506-2024-0001234",
    "PMI-3201-2021-0000777",
    "PMI-3525-2018-0000999",
    "PMI-3174-2026-0010101",
]

pytestmark = pytest.mark.anyio


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    body = response.json()
    assert body["status"] == "error"
    assert body["code"] == status
    first = body["errors"][0]
    assert first["code"] == code
    assert first["message"].strip()
    assert first["pesan"].strip()
    return body


def bare(app: Starlette, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=headers or {}
    )


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/status"), ("GET", "/api/v1/pmi"), ("POST", "/api/v1/pmi/batch")],
)
async def test_a_missing_key_is_401_and_a_wrong_key_403(
    p2mi_app: Starlette, method: str, path: str
) -> None:
    # given
    body = {"idPmi": [ALL_PMI_IDS[0]]}
    # when
    async with bare(p2mi_app) as client:
        missing = await client.request(method, path, json=body)
    async with bare(p2mi_app, {"X-Api-Key": "not-the-key"}) as client:
        wrong = await client.request(method, path, json=body)
    # then
    assert_error(missing, 401, "API_KEY_MISSING")
    assert_error(wrong, 403, "API_KEY_INVALID")
    assert "PMI-" not in missing.text + wrong.text


async def test_status_answers_with_the_system_and_the_hub_date(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/status")
    assert response.json() == {
        "status": "success",
        "data": {"sistem": "SISKOP2MI", "tanggal": "24-11-2026"},
    }


def test_the_sandbox_needs_an_api_key(p2mi_data: SandboxData) -> None:
    with pytest.raises(ValueError, match="api_key"):
        create_app(p2mi_data, SandboxConfig(credentials={}))


# --- listing --------------------------------------------------------------------------------


async def test_the_listing_walks_to_the_end(api: httpx.AsyncClient) -> None:
    # given
    seen: list[str] = []
    page = 1
    # when
    while True:
        body = (await api.get("/api/v1/pmi", params={"page": page, "per_page": 3})).json()
        assert (body["total"], body["page"], body["per_page"]) == (4, page, 3)
        seen.extend(item["idPmi"] for item in body["data"])
        if page * body["per_page"] >= body["total"]:
            break
        page += 1
    # then
    assert seen == ALL_PMI_IDS
    beyond = (await api.get("/api/v1/pmi", params={"page": 3, "per_page": 3})).json()
    assert beyond["data"] == [] and beyond["total"] == 4


async def test_per_page_above_the_maximum_is_lowered_to_it(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/pmi", params={"per_page": 5000})).json()
    assert body["per_page"] == 50
    assert len(body["data"]) == 4


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "per_page=abc",
        "per_page=1.5",
        "page=",
        "page=%D9%A1",
        "page=" + "9" * 5000,
    ],
)
async def test_bad_page_parameters_are_422(api: httpx.AsyncClient, query: str) -> None:
    response = await api.get(f"/api/v1/pmi?{query}")
    body = assert_error(response, 422, "INVALID_PARAMETER")
    assert body["errors"][0]["field"] in {"page", "per_page"}


async def test_one_record_by_id_pmi_or_a_404(api: httpx.AsyncClient) -> None:
    found = await api.get("/api/v1/pmi/PMI-3201-2021-0000777")
    missing = await api.get("/api/v1/pmi/PMI-0000-0000-0000000")
    assert found.json()["data"]["nama"] == "Muhamad Rizki Bin Abdullah"
    assert_error(missing, 404, "NOT_FOUND")


# --- batch lookup ---------------------------------------------------------------------------


async def test_a_batch_answers_known_ids_in_request_order(api: httpx.AsyncClient) -> None:
    # given
    ids = [ALL_PMI_IDS[2], "PMI-9999-2020-0000001", ALL_PMI_IDS[0], ALL_PMI_IDS[2]]
    # when
    body = (await api.post("/api/v1/pmi/batch", json={"idPmi": ids})).json()
    # then
    assert body["total"] == 2
    assert [item["idPmi"] for item in body["data"]] == [ALL_PMI_IDS[2], ALL_PMI_IDS[0]]


async def test_a_batch_answer_is_paged_when_per_page_is_smaller(api: httpx.AsyncClient) -> None:
    ids = ALL_PMI_IDS[:3]
    first = (await api.post("/api/v1/pmi/batch?per_page=2", json={"idPmi": ids})).json()
    second = (await api.post("/api/v1/pmi/batch?per_page=2&page=2", json={"idPmi": ids})).json()
    assert [i["idPmi"] for i in first["data"] + second["data"]] == ids
    assert first["total"] == second["total"] == 3


async def test_a_batch_over_the_limit_is_422(api: httpx.AsyncClient) -> None:
    ids = [f"PMI-0000-2020-{n:07d}" for n in range(11)]
    response = await api.post("/api/v1/pmi/batch", json={"idPmi": ids})
    assert_error(response, 422, "BATCH_TOO_LARGE")


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"{not json", 400, "INVALID_BODY"),
        (b"\xff\xfe", 400, "INVALID_BODY"),
        (b"[" * 100_000, 400, "INVALID_BODY"),
        (b'["PMI-3506-2024-0001234"]', 422, "INVALID_BODY"),
        (b"{}", 422, "INVALID_BODY"),
        (b'{"idPmi": ["PMI-3506-2024-0001234"], "x": 1}', 422, "INVALID_BODY"),
        (b'{"nik": ["3506124508900003"]}', 422, "INVALID_BODY"),
        (b'{"idPmi": "PMI-3506-2024-0001234"}', 422, "INVALID_PARAMETER"),
        (b'{"idPmi": []}', 422, "INVALID_PARAMETER"),
        (b'{"idPmi": [42]}', 422, "INVALID_VALUE"),
        (b'{"idPmi": ["PMI 3506 <script>"]}', 422, "INVALID_VALUE"),
    ],
)
async def test_malformed_batches_get_the_agency_error(
    api: httpx.AsyncClient, content: bytes, status: int, code: str
) -> None:
    response = await api.post("/api/v1/pmi/batch", content=content)
    assert_error(response, status, code)
    assert "script" not in response.text


# --- lookups by key -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("idPmi", "PMI-3174-2026-0010101", ["PMI-3174-2026-0010101"]),
        ("nik", "3525146102930001", ["PMI-3525-2018-0000999"]),
        ("nomorPaspor", "x2233445", ["PMI-3525-2018-0000999"]),
        ("nomorPaspor", "E9988776", ["PMI-3525-2018-0000999"]),
        ("idPenempatan", "PL-2021-0000777", ["PMI-3201-2021-0000777"]),
    ],
)
async def test_search_by_each_key(
    api: httpx.AsyncClient, field: str, value: str, expected: list[str]
) -> None:
    # when
    response = await api.post("/api/v1/pmi/cari", json={field: [value]})
    # then
    [match] = response.json()["data"]
    assert match["idPmi"] == expected


async def test_search_leaves_out_values_nobody_holds(api: httpx.AsyncClient) -> None:
    # the embassy-only person's NIK and passport are unknown to P2MI
    by_nik = await api.post("/api/v1/pmi/cari", json={"nik": ["3329095203950002"]})
    by_passport = await api.post("/api/v1/pmi/cari", json={"nomorPaspor": ["B7654321"]})
    assert by_nik.json() == {"status": "success", "data": []}
    assert by_passport.json() == {"status": "success", "data": []}


async def test_a_malformed_nik_is_named_by_position_not_echoed(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/pmi/cari", json={"nik": ["3506124508900003", "35061245"]})
    body = assert_error(response, 422, "INVALID_VALUE")
    assert body["errors"][0]["field"] == "nik[1]"
    assert "35061245" not in response.text


# --- how an agency block is rendered ----------------------------------------------------------

TWICE_REGISTERED = {
    "key": "twice",
    "nik": "3302084406920001",
    "name": "Sri Wahyuni",
    "birthDate": "1992-06-04",
    "sex": "FEMALE",
    "passports": [
        {"number": "A1000001", "issuedOn": "2015-01-01", "expiresOn": "2020-01-01"},
        {"number": "A2000002", "issuedOn": "2020-02-01", "expiresOn": "2030-02-01"},
    ],
    "kemnaker": [{"jobSeekerId": "AK1-2015-000001"}, {"jobSeekerId": "AK1-2020-000002"}],
    "p2mi": [
        {
            "pmiId": "PMI-3302-2015-0000001",
            "nikKnown": False,
            "passportKnown": "A1000001",
            "birthDateAs": "1992-04-06",
        },
        {"pmiId": "PMI-3302-2020-0000002", "passportKnown": "B3000003"},
    ],
}


async def test_agency_block_rules_nik_passport_birth_date_and_two_records(
    api: httpx.AsyncClient,
) -> None:
    # given
    await api.post("/_sandbox/people", json=TWICE_REGISTERED)
    # when
    body = (
        await api.post(
            "/api/v1/pmi/batch",
            json={"idPmi": ["PMI-3302-2015-0000001", "PMI-3302-2020-0000002"]},
        )
    ).json()
    by_nik = (await api.post("/api/v1/pmi/cari", json={"nik": ["3302084406920001"]})).json()
    # then
    first, second = body["data"]
    assert first["nik"] is None
    assert first["nama"] == "Sri Wahyuni"
    assert first["tanggalLahir"] == "06-04-1992"
    assert first["paspor"] == [
        {"nomor": "A1000001", "tanggalTerbit": "01-01-2015", "tanggalBerakhir": "01-01-2020"}
    ]
    assert second["nik"] == "3302084406920001"
    assert second["tanggalLahir"] == "04-06-1992"
    assert second["paspor"] == [
        {"nomor": "B3000003", "tanggalTerbit": None, "tanggalBerakhir": None}
    ]
    assert first["idSiapkerja"] == second["idSiapkerja"] == ["AK1-2015-000001", "AK1-2020-000002"]
    assert first["kontakKeluarga"] is None and first["noHp"] is None
    assert by_nik["data"] == [{"nilai": "3302084406920001", "idPmi": ["PMI-3302-2020-0000002"]}]


async def test_a_placement_without_licence_has_no_p3mi(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/pmi/PMI-3201-2021-0000777")).json()
    [placement] = body["data"]["penempatan"]
    assert placement["p3mi"] is None
    assert placement["skema"] == "G_TO_G" and placement["status"] == "PULANG"
    assert placement["tanggalKembali"] == "01-11-2026"


# --- changes feed ---------------------------------------------------------------------------


async def test_the_changes_feed_walks_to_the_end_and_resumes(api: httpx.AsyncClient) -> None:
    # given
    cursor: str | None = None
    seen: list[str] = []
    # when
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        body = (await api.get("/api/v1/pmi/perubahan", params=params)).json()
        seen.extend(item["idPmi"] for item in body["data"])
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    await api.post("/_sandbox/people", json=TWICE_REGISTERED)
    after = (await api.get("/api/v1/pmi/perubahan", params={"cursor": cursor})).json()
    # then
    assert seen == ALL_PMI_IDS
    assert [i["idPmi"] for i in after["data"]] == ["PMI-3302-2015-0000001", "PMI-3302-2020-0000002"]
    assert after["has_more"] is False


@pytest.mark.parametrize("cursor", ["not-a-cursor", "c2VxOi0x", "%%%"])
async def test_a_bad_cursor_is_400(api: httpx.AsyncClient, cursor: str) -> None:
    response = await api.get("/api/v1/pmi/perubahan", params={"cursor": cursor})
    assert_error(response, 400, "INVALID_CURSOR")


async def test_a_cursor_past_the_end_is_an_empty_page(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/pmi/perubahan", params={"cursor": encode_cursor(999)})
    assert response.json()["data"] == [] and response.json()["has_more"] is False


async def test_a_bad_feed_limit_is_422(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/pmi/perubahan", params={"limit": "0"})
    assert_error(response, 422, "INVALID_PARAMETER")


# --- routing and faults ---------------------------------------------------------------------


async def test_unknown_paths_and_methods_answer_in_the_agency_shape(
    api: httpx.AsyncClient,
) -> None:
    assert_error(await api.get("/api/v2/nothing"), 404, "NOT_FOUND")
    assert_error(await api.delete("/api/v1/pmi/batch"), 405, "METHOD_NOT_ALLOWED")


async def test_injected_latency_delays_the_answer(api: httpx.AsyncClient) -> None:
    await api.post("/_sandbox/faults", json={"latencyMs": 150})
    started = time.perf_counter()
    response = await api.get("/api/v1/status")
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.15


@pytest.mark.parametrize(
    ("faults", "status", "code"),
    [({"errorRate": 1.0}, 500, "INTERNAL_ERROR"), ({"down": True}, 503, "SERVICE_DOWN")],
)
async def test_injected_failures_answer_in_the_agency_shape(
    api: httpx.AsyncClient, faults: dict[str, Any], status: int, code: str
) -> None:
    await api.post("/_sandbox/faults", json=faults)
    response = await api.post("/api/v1/pmi/batch", json={"idPmi": ALL_PMI_IDS})
    assert_error(response, status, code)


async def test_garbage_mode_answers_truncated_json(api: httpx.AsyncClient) -> None:
    await api.post("/_sandbox/faults", json={"garbage": True})
    response = await api.get("/api/v1/status")
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_the_rate_limit_answers_429_with_retry_after(api: httpx.AsyncClient) -> None:
    await api.post("/_sandbox/faults", json={"rateLimitPerSecond": 0.5, "rateLimitBurst": 1})
    first = await api.get("/api/v1/status")
    second = await api.get("/api/v1/status")
    assert first.status_code == 200
    assert_error(second, 429, "RATE_LIMITED")
    assert int(second.headers["Retry-After"]) >= 1


async def test_stats_count_agency_calls(api: httpx.AsyncClient) -> None:
    await api.delete("/_sandbox/stats")
    await api.post("/api/v1/pmi/batch", json={"idPmi": ALL_PMI_IDS})
    stats = (await api.get("/_sandbox/stats")).json()
    assert stats["calls"] == {"POST /api/v1/pmi/batch": 1}


def test_render_error_falls_back_to_a_generic_indonesian_text() -> None:
    body = json.loads(render_error(418, "TEAPOT", "I am a teapot").body)
    assert body == {
        "status": "error",
        "code": 418,
        "errors": [
            {
                "code": "TEAPOT",
                "field": None,
                "message": "I am a teapot",
                "pesan": "Permintaan tidak dapat diproses",
            }
        ],
    }


async def test_sandbox_people_takes_a_single_agency_block_as_the_scenario_format_does(
    api: httpx.AsyncClient,
) -> None:
    # given: one person whose P2MI block is a single record, not a list (SCENARIO.md allows it)
    one = {**TWICE_REGISTERED, "kemnaker": {"jobSeekerId": "AK1-2015-000001"}}
    one["p2mi"] = {"pmiId": "PMI-3302-2020-0000009", "passportKnown": "A2000002"}
    bad = {**one, "p2mi": {"pmiId": "PMI-3302-2020-0000009", "oops": 1}}
    # when
    added = await api.post("/_sandbox/people", json=one)
    refused = await api.post("/_sandbox/people", json=[one, bad])
    found = await api.post("/api/v1/pmi/batch", json={"idPmi": ["PMI-3302-2020-0000009"]})
    # then
    assert added.status_code == 200, added.text
    assert added.json()["upserted"] == 1
    assert [row["idPmi"] for row in found.json()["data"]] == ["PMI-3302-2020-0000009"]
    assert refused.status_code == 400
    assert refused.json()["details"] == ["$[1].p2mi.oops: unknown key"]


async def test_a_caller_gone_before_its_body_is_read_is_no_error(
    p2mi_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    # given a batch call whose caller hangs up (a hub whose budget ran out during the latency)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/pmi/batch",
        "raw_path": b"/api/v1/pmi/batch",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-api-key", API_KEY.encode()), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("siskop2mi.test", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # when the sandbox reads the body
    await p2mi_app(scope, receive, send)
    # then nothing is logged as a failure (no stack trace in its log) and nobody is answered
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]
    assert all(m.get("status") != 500 for m in sent)
