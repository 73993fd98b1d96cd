"""The Kemnaker sandbox's data API and faults, spoken by hand over ASGITransport."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

JOB_SEEKERS = "/api/v1/pencari-kerja"
CHANGES = "/api/v1/pencari-kerja/perubahan"
LICENCES = "/api/v1/p3mi"
KEMNAKER_IDS = {"AK1-2024-000123", "AK1-2021-004455", "AK1-2018-000999", "AK1-2026-010101"}


@pytest.fixture
async def api(raw: httpx.AsyncClient, sandbox: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The raw client with a valid bearer token."""
    raw.headers["Authorization"] = f"Bearer {await sandbox.token()}"
    yield raw


def error_of(answer: httpx.Response) -> str:
    body = answer.json()
    assert set(body) == {"kode", "pesan", "message"}, body
    return str(body["kode"])


async def walk(api: httpx.AsyncClient, path: str, **params: str) -> tuple[list[Any], int]:
    """Follow next_cursor to the end; the items and the number of pages."""
    items: list[Any] = []
    pages = 0
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        answer = await api.get(path, params=query)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += body["data"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


@pytest.mark.anyio
async def test_listing_paginates_to_the_end(api: httpx.AsyncClient) -> None:
    # when
    items, pages = await walk(api, JOB_SEEKERS, limit="1")
    # then
    assert [i["id_pencari_kerja"] for i in items] == [
        "AK1-2024-000123",
        "AK1-2021-004455",
        "AK1-2018-000999",
        "AK1-2026-010101",
    ]
    assert pages == 4


@pytest.mark.anyio
async def test_a_record_in_the_dialect(api: httpx.AsyncClient) -> None:
    answer = await api.get(f"{JOB_SEEKERS}/AK1-2024-000123")
    assert answer.json() == {
        "data": {
            "id_pencari_kerja": "AK1-2024-000123",
            "nik": "3506124508900003",
            "nama_lengkap": "SITI AMINAH",
            "tanggal_lahir": "1990-08-05",
            "jenis_kelamin": "P",
            "nomor_hp": "+6281234567890",
            "tanggal_daftar": "2023-11-02",
        }
    }


@pytest.mark.anyio
async def test_single_record_unknown_or_malformed(api: httpx.AsyncClient) -> None:
    unknown = await api.get(f"{JOB_SEEKERS}/AK1-0000-000000")
    malformed = await api.get(f"{JOB_SEEKERS}/-bad id")
    assert (unknown.status_code, error_of(unknown)) == (404, "JOB_SEEKER_NOT_FOUND")
    assert (malformed.status_code, error_of(malformed)) == (400, "INVALID_PARAMETER")


@pytest.mark.anyio
async def test_batch_lookup_by_ids_leaves_out_unknown_ones(api: httpx.AsyncClient) -> None:
    ids = "AK1-2021-004455,AK1-0000-000000,AK1-2024-000123,AK1-2021-004455"
    answer = await api.get(JOB_SEEKERS, params={"id_pencari_kerja": ids})
    assert answer.status_code == 200
    found = [i["id_pencari_kerja"] for i in answer.json()["data"]]
    assert found == ["AK1-2021-004455", "AK1-2024-000123"]
    assert answer.json()["next_cursor"] is None


@pytest.mark.anyio
async def test_batch_over_the_limit_is_refused(make_app: Callable[..., Starlette]) -> None:
    # given a sandbox taking at most 2 values per call
    app = make_app(max_batch=2)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k") as c:
        token = await c.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("pmihub-test", "test-only-secret-kemnaker"),
        )
        c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        # when
        two = await c.get(JOB_SEEKERS, params={"id_pencari_kerja": "AK1-1,AK1-2"})
        three = await c.get(JOB_SEEKERS, params={"id_pencari_kerja": "AK1-1,AK1-2,AK1-3"})
        licences = await c.get(LICENCES, params={"nomor_izin": "A,B,C"})
    # then
    assert two.status_code == 200
    assert (three.status_code, error_of(three)) == (400, "BATCH_TOO_LARGE")
    assert (licences.status_code, error_of(licences)) == (400, "BATCH_TOO_LARGE")


@pytest.mark.anyio
async def test_an_answer_split_by_the_page_size_continues_by_cursor(
    api: httpx.AsyncClient,
) -> None:
    ids = ",".join(sorted(KEMNAKER_IDS))
    items, pages = await walk(api, JOB_SEEKERS, id_pencari_kerja=ids, limit="3")
    assert {i["id_pencari_kerja"] for i in items} == KEMNAKER_IDS
    assert pages == 2


@pytest.mark.anyio
async def test_lookup_by_nik(api: httpx.AsyncClient) -> None:
    answer = await api.get(JOB_SEEKERS, params={"nik": "3201011507880007,3329095203950002"})
    # the second NIK is a person Kemnaker does not know (embassy only)
    assert [i["id_pencari_kerja"] for i in answer.json()["data"]] == ["AK1-2021-004455"]


@pytest.mark.anyio
async def test_records_without_nik_and_people_registered_twice(
    api: httpx.AsyncClient, sandbox: Any, twice_registered: dict[str, Any]
) -> None:
    # given
    await sandbox.upsert(twice_registered)
    # when
    by_nik = await api.get(JOB_SEEKERS, params={"nik": twice_registered["nik"]})
    by_id = await api.get(
        JOB_SEEKERS, params={"id_pencari_kerja": "AK1-2019-777001,AK1-2025-777002"}
    )
    # then: only the record holding the NIK is found by it
    assert [i["id_pencari_kerja"] for i in by_nik.json()["data"]] == ["AK1-2019-777001"]
    first, second = by_id.json()["data"]
    assert (first["nama_lengkap"], first["tanggal_lahir"]) == ("SRI WAHYUNI", "1985-01-07")
    assert (second["nik"], second["nama_lengkap"]) == (None, "Sri Wahyuni")
    assert second["tanggal_lahir"] == "1985-07-01"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"nik": "123"}, "INVALID_PARAMETER"),
        ({"nik": "3506124508900003,"}, "INVALID_PARAMETER"),
        ({"id_pencari_kerja": "AK1 2024"}, "INVALID_PARAMETER"),
        ({"id_pencari_kerja": "AK1-1", "nik": "3506124508900003"}, "INVALID_PARAMETER"),
        ({"halaman": "2"}, "INVALID_PARAMETER"),
        ({"limit": "0"}, "INVALID_PARAMETER"),
        ({"limit": "-1"}, "INVALID_PARAMETER"),
        ({"limit": "sepuluh"}, "INVALID_PARAMETER"),
        ({"limit": "٣"}, "INVALID_PARAMETER"),
        ({"cursor": "not-a-cursor"}, "INVALID_CURSOR"),
    ],
)
async def test_bad_parameters_are_400_in_kemnakers_shape(
    api: httpx.AsyncClient, params: dict[str, str], code: str
) -> None:
    answer = await api.get(JOB_SEEKERS, params=params)
    assert answer.status_code == 400
    assert error_of(answer) == code
    assert "123" not in answer.json()["message"]  # values (maybe a NIK) are not echoed


@pytest.mark.anyio
async def test_a_huge_limit_is_cut_to_the_page_size(api: httpx.AsyncClient) -> None:
    answer = await api.get(JOB_SEEKERS, params={"limit": "9" * 5000})
    assert answer.status_code == 200
    assert len(answer.json()["data"]) == 4


@pytest.mark.anyio
@pytest.mark.parametrize("decoded", ["seq:²", "seq:" + "9" * 5000, "page:1", "seq:"])
async def test_cursors_we_did_not_issue_are_400(api: httpx.AsyncClient, decoded: str) -> None:
    cursor = base64.urlsafe_b64encode(decoded.encode()).decode().rstrip("=")
    answer = await api.get(CHANGES, params={"cursor": cursor})
    assert (answer.status_code, error_of(answer)) == (400, "INVALID_CURSOR")


@pytest.mark.anyio
async def test_changes_feed_walks_to_the_end_and_resumes(
    api: httpx.AsyncClient, sandbox: Any, twice_registered: dict[str, Any]
) -> None:
    # given
    seen: list[str] = []
    cursor: str | None = None
    more = True
    while more:
        params = {"limit": "1", **({"cursor": cursor} if cursor else {})}
        body = (await api.get(CHANGES, params=params)).json()
        seen += [i["id_pencari_kerja"] for i in body["data"]]
        cursor, more = body["next_cursor"], body["ada_lagi"]
    assert set(seen) == KEMNAKER_IDS and len(seen) == 4
    # when someone registers after we caught up
    quiet = (await api.get(CHANGES, params={"cursor": cursor})).json()
    await sandbox.upsert(twice_registered)
    later = (await api.get(CHANGES, params={"cursor": cursor})).json()
    # then
    assert quiet["data"] == [] and quiet["next_cursor"] == cursor
    assert [i["id_pencari_kerja"] for i in later["data"]] == ["AK1-2019-777001", "AK1-2025-777002"]
    assert later["ada_lagi"] is False


@pytest.mark.anyio
async def test_licences_by_number_and_listing(api: httpx.AsyncClient) -> None:
    # when
    some = await api.get(LICENCES, params={"nomor_izin": "KEP.123/2022,KEP.999/2020"})
    everything, _ = await walk(api, LICENCES, limit="2")
    # then
    assert some.json()["data"] == [
        {
            "nomor_izin": "KEP.123/2022",
            "nama_perusahaan": "PT Sinar Jaya Abadi",
            "status_izin": "DICABUT",
            "nomor_telepon": "+62215550101",
            "alamat": None,
        }
    ]
    assert {i["nomor_izin"]: i["status_izin"] for i in everything} == {
        "KEP.123/2022": "DICABUT",
        "KEP.045/2021": "AKTIF",
        "KEP.077/2023": "DIBEKUKAN",
    }


@pytest.mark.anyio
async def test_status_and_unknown_paths(api: httpx.AsyncClient) -> None:
    status = await api.get("/api/v1/status")
    missing = await api.get("/api/v2/pekerja")
    assert status.json()["status"] == "OK"
    assert (missing.status_code, error_of(missing)) == (404, "NOT_FOUND")


@pytest.mark.anyio
async def test_latency_fault(api: httpx.AsyncClient, sandbox: Any) -> None:
    await sandbox.faults(latencyMs=80)
    started = time.perf_counter()
    answer = await api.get("/api/v1/status")
    assert answer.status_code == 200
    assert time.perf_counter() - started >= 0.08


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("setting", "status", "code"),
    [({"errorRate": 1.0}, 500, "INTERNAL_ERROR"), ({"down": True}, 503, "SERVICE_DOWN")],
)
async def test_error_faults_answer_in_kemnakers_shape(
    api: httpx.AsyncClient, sandbox: Any, setting: dict[str, Any], status: int, code: str
) -> None:
    await sandbox.faults(**setting)
    answer = await api.get(JOB_SEEKERS)
    token = await api.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert (answer.status_code, error_of(answer)) == (status, code)
    assert answer.json()["pesan"] != answer.json()["message"]
    assert token.status_code == status


@pytest.mark.anyio
async def test_garbage_fault_is_malformed_json(api: httpx.AsyncClient, sandbox: Any) -> None:
    await sandbox.faults(garbage=True)
    answer = await api.get(JOB_SEEKERS)
    assert answer.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)


@pytest.mark.anyio
async def test_rate_limit_answers_429_with_retry_after(
    api: httpx.AsyncClient, sandbox: Any
) -> None:
    # given one call per second, burst one
    await sandbox.faults(rateLimitPerSecond=1, rateLimitBurst=1)
    # when
    first = await api.get("/api/v1/status")
    second = await api.get("/api/v1/status")
    # then
    assert first.status_code == 200
    assert (second.status_code, error_of(second)) == (429, "RATE_LIMITED")
    assert int(second.headers["retry-after"]) >= 1
