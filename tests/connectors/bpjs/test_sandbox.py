"""The BPJS sandbox speaks its dialect: signed headers, string codes, encrypted answers."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.bpjs.crypto import DecryptionError, decrypt_text
from connectors.bpjs.sandbox import DEV_CREDENTIALS, create_app
from connectors.kit.auth.hmac import signature
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

pytestmark = pytest.mark.anyio

ALL_KPJ = ["24001234567", "21000777001", "18000999001", "23000432101", "26001010101"]
RETURNED = {
    "noKpj": "21000777001",
    "nik": "3201011507880007",
    "noPaspor": None,
    "nama": "MUHAMMAD RIZKI",
    "tglLahir": "1988-07-15",
    "sex": "L",
    "idPmi": ["PMI-3201-2021-0000777"],
    "kepesertaan": {
        "segmen": {"kode": "PMI", "keterangan": "PEKERJA MIGRAN INDONESIA"},
        "statusPeserta": {"kode": "1", "keterangan": "AKTIF"},
        "program": [
            {
                "kode": kode,
                "keterangan": name,
                "fase": {"kode": fase, "keterangan": label},
                "tglAwal": start,
                "tglAkhir": end,
            }
            for kode, name, fase, label, start, end in [
                (
                    "JKK",
                    "JAMINAN KECELAKAAN KERJA",
                    "2",
                    "SELAMA BEKERJA",
                    "2021-04-01",
                    "2026-04-30",
                ),
                ("JKM", "JAMINAN KEMATIAN", "2", "SELAMA BEKERJA", "2021-04-01", "2026-04-30"),
                ("JHT", "JAMINAN HARI TUA", "2", "SELAMA BEKERJA", "2021-04-01", "2026-04-30"),
                (
                    "JKK",
                    "JAMINAN KECELAKAAN KERJA",
                    "3",
                    "SETELAH BEKERJA",
                    "2026-11-01",
                    "2026-11-30",
                ),
                ("JKM", "JAMINAN KEMATIAN", "3", "SETELAH BEKERJA", "2026-11-01", "2026-11-30"),
            ]
        ],
        "iuran": [{"periode": "202103", "nominal": 332500, "tglBayar": "2021-03-20"}],
        "klaim": [
            {
                "kodeProgram": "JHT",
                "status": {"kode": "1", "keterangan": "DIAJUKAN"},
                "tglPengajuan": "2026-11-10",
                "nominal": 12500000,
            }
        ],
    },
}
NO_NIK_PERSON = {
    "key": "bpjs-no-nik",
    "nik": "3171014101920005",
    "name": "Ani Suryani",
    "birthDate": "1992-01-01",
    "sex": "FEMALE",
    "bpjs": [
        {
            "kpj": "25000000055",
            "nikKnown": False,
            "passportKnown": "C7777777",
            "birthDateAs": "1992-02-01",
            "coverages": [
                {
                    "program": "JKK",
                    "phase": "PRE_PLACEMENT",
                    "start": "2026-10-01",
                    "end": "2027-02-28",
                }
            ],
        }
    ],
}


@pytest.fixture
async def anon(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bpjs.test"
    ) as client:
        yield client


def signed_headers(now: float, **over: str) -> dict[str, str]:
    creds = {**DEV_CREDENTIALS, **over}
    stamp = over.get("timestamp", str(int(now)))
    return {
        "X-cons-id": creds["cons_id"],
        "X-timestamp": stamp,
        "X-signature": signature(creds["cons_id"], creds["secret"], stamp),
        "user_key": creds["user_key"],
    }


# -- envelope and encryption ------------------------------------------------------------------


async def test_answer_is_an_envelope_with_a_string_code_and_encrypted_response(
    raw: httpx.AsyncClient, payload: Callable[[httpx.Response], Any]
) -> None:
    # when one participant is asked for
    response = await raw.get("/pmi-rest/peserta/kpj/21000777001")

    # then the envelope holds code "200" and an encrypted response readable with the timestamp
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert payload(response) == {"peserta": RETURNED}
    assert "MUHAMMAD" not in response.text


async def test_response_cannot_be_read_with_another_timestamp(raw: httpx.AsyncClient) -> None:
    response = await raw.get("/pmi-rest/peserta/kpj/21000777001")
    stamp = int(response.request.headers["X-timestamp"])
    creds = DEV_CREDENTIALS
    with pytest.raises(DecryptionError):
        decrypt_text(response.json()["response"], creds["cons_id"], creds["secret"], str(stamp + 1))


# -- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X-cons-id", "X-timestamp", "X-signature", "user_key"])
async def test_a_missing_header_is_refused(
    anon: httpx.AsyncClient, clock: Any, refusal: Any, header: str
) -> None:
    headers = signed_headers(clock())
    del headers[header]
    response = await anon.get("/pmi-rest/ref/status", headers=headers)
    assert refusal(response) == (401, "401")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"cons_id": "99999"}, (401, "402")),
        ({"secret": "not-the-secret"}, (401, "403")),
        ({"timestamp": "not-a-number"}, (401, "406")),
        ({"timestamp": "1795499699"}, (401, "406")),  # 301 s behind the server
        ({"timestamp": "1795500301"}, (401, "406")),  # 301 s ahead
        ({"user_key": "wrong-key"}, (403, "407")),
    ],
)
async def test_bad_credentials_get_bpjs_own_refusal(
    anon: httpx.AsyncClient,
    clock: Any,
    refusal: Any,
    override: dict[str, str],
    expected: tuple[int, str],
) -> None:
    response = await anon.get("/pmi-rest/ref/status", headers=signed_headers(clock(), **override))
    assert refusal(response) == expected


async def test_a_timestamp_inside_the_window_is_accepted(
    anon: httpx.AsyncClient, clock: Any, payload: Any
) -> None:
    headers = signed_headers(clock(), timestamp="1795499701")  # 299 s behind
    response = await anon.get("/pmi-rest/ref/status", headers=headers)
    assert payload(response)["status"] == "OK"


def test_the_sandbox_needs_its_credentials(small_scenario: Scenario) -> None:
    config = SandboxConfig(credentials={"cons_id": "1"})
    with pytest.raises(ValueError, match="secret, user_key"):
        create_app(SandboxData(small_scenario), config)


# -- lookups ----------------------------------------------------------------------------------


async def test_single_lookup_of_unknown_and_malformed_kpj(
    raw: httpx.AsyncClient, refusal: Any
) -> None:
    assert refusal(await raw.get("/pmi-rest/peserta/kpj/99999999999")) == (404, "201")
    assert refusal(await raw.get("/pmi-rest/peserta/kpj/1234")) == (400, "202")


async def test_batch_lookup_leaves_unknown_ids_out(raw: httpx.AsyncClient, payload: Any) -> None:
    body = {"request": {"noKpj": ["21000777001", "99999999999", "24001234567", "21000777001"]}}
    answer = payload(await raw.post("/pmi-rest/peserta/kpj", json=body))
    assert [p["noKpj"] for p in answer["list"]] == ["21000777001", "24001234567"]
    assert answer["list"][0] == RETURNED


async def test_batch_over_the_limit_is_refused(raw: httpx.AsyncClient, refusal: Any) -> None:
    body = {"request": {"noKpj": [f"{n:011d}" for n in range(11)]}}  # max_batch is 10
    assert refusal(await raw.post("/pmi-rest/peserta/kpj", json=body)) == (400, "203")


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"request": {}}',
        b'{"request": {"noKpj": "21000777001"}}',
        b'{"request": {"noKpj": [21000777001]}}',
        b'{"request": {"noKpj": ["2100077700"]}}',
        b'{"request": {"noKpj": ["21000777001", "2100O777001"]}}',
    ],
)
async def test_malformed_batches_are_refused(
    raw: httpx.AsyncClient, refusal: Any, content: bytes
) -> None:
    response = await raw.post("/pmi-rest/peserta/kpj", content=content)
    assert refusal(response) == (400, "202")


async def test_lookup_by_nik(raw: httpx.AsyncClient, payload: Any, refusal: Any) -> None:
    answer = payload(await raw.get("/pmi-rest/peserta/nik/3525146102930001"))
    assert [p["noKpj"] for p in answer["list"]] == ["18000999001", "23000432101"]
    assert refusal(await raw.get("/pmi-rest/peserta/nik/3329095203950002")) == (404, "201")
    assert refusal(await raw.get("/pmi-rest/peserta/nik/33290952")) == (400, "202")


async def test_batch_lookup_by_nik(raw: httpx.AsyncClient, payload: Any, refusal: Any) -> None:
    body = {"request": {"nik": ["3506124508900003", "3329095203950002", "3525146102930001"]}}
    answer = payload(await raw.post("/pmi-rest/peserta/nik", json=body))
    assert [p["noKpj"] for p in answer["list"]] == ["24001234567", "18000999001", "23000432101"]
    bad = {"request": {"nik": ["35061245089000"]}}
    assert refusal(await raw.post("/pmi-rest/peserta/nik", json=bad)) == (400, "202")


async def test_a_record_without_nik(raw: httpx.AsyncClient, payload: Any, refusal: Any) -> None:
    # given a person whose BPJS record holds a passport but no NIK, and another birth date
    added = await raw.post("/_sandbox/people", json=NO_NIK_PERSON)
    assert added.status_code == 200

    # then the NIK does not find it, and the record serves BPJS's own view
    assert refusal(await raw.get("/pmi-rest/peserta/nik/3171014101920005")) == (404, "201")
    record = payload(await raw.get("/pmi-rest/peserta/kpj/25000000055"))["peserta"]
    assert record["nik"] is None
    assert record["noPaspor"] == "C7777777"
    assert record["nama"] == "Ani Suryani"
    assert record["tglLahir"] == "1992-02-01"
    assert record["idPmi"] == []
    assert record["kepesertaan"]["statusPeserta"]["keterangan"] == "AKTIF"
    assert record["kepesertaan"]["program"][0]["fase"]["kode"] == "1"


async def test_status_follows_the_coverage_windows(raw: httpx.AsyncClient, payload: Any) -> None:
    body = {"request": {"noKpj": ["18000999001", "26001010101"]}}
    answer = payload(await raw.post("/pmi-rest/peserta/kpj", json=body))
    statuses = [p["kepesertaan"]["statusPeserta"]["kode"] for p in answer["list"]]
    assert statuses == ["0", "1"]  # the 2018 membership ended in 2021; pre-departure runs


# -- listing and changes ----------------------------------------------------------------------


async def test_listing_walks_to_the_end(raw: httpx.AsyncClient, payload: Any) -> None:
    seen: list[str] = []
    start = 0
    while True:
        page = payload(await raw.get("/pmi-rest/peserta", params={"start": start, "limit": 2}))
        assert page["total"] == 5
        assert page["limit"] == 2
        seen += [p["noKpj"] for p in page["list"]]
        start += 2
        if start >= page["total"]:
            break
    assert seen == ALL_KPJ


@pytest.mark.parametrize(
    "params",
    [{"start": "-1"}, {"start": "x"}, {"limit": "0"}, {"limit": "-3"}, {"limit": "2.5"}],
)
async def test_listing_refuses_bad_paging(
    raw: httpx.AsyncClient, refusal: Any, params: dict[str, str]
) -> None:
    assert refusal(await raw.get("/pmi-rest/peserta", params=params)) == (400, "202")


async def test_changes_feed_walks_to_the_end_and_resumes(
    raw: httpx.AsyncClient, payload: Any
) -> None:
    # when the feed is read one person at a time
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        page = payload(
            await raw.get("/pmi-rest/peserta/perubahan", params={"sejak": cursor, "limit": 1})
        )
        seen += [p["noKpj"] for p in page["list"]]
        cursor = page["kursor"]
        pages += 1
        if not page["lanjut"]:
            break

    # then every participant came once (a person with two KPJ numbers brings both)
    assert seen == ALL_KPJ
    assert pages >= 4

    # and a change after the cursor is all the next read returns
    await raw.post("/_sandbox/people", json=NO_NIK_PERSON)
    page = payload(await raw.get("/pmi-rest/peserta/perubahan", params={"sejak": cursor}))
    assert [p["noKpj"] for p in page["list"]] == ["25000000055"]
    assert page["lanjut"] is False


async def test_a_limit_above_the_largest_page_is_served_as_the_largest(
    raw: httpx.AsyncClient, payload: Any
) -> None:
    page = payload(await raw.get("/pmi-rest/peserta", params={"limit": "5000"}))
    assert page["limit"] == 50  # the app's max_page_size
    assert len(page["list"]) == 5


@pytest.mark.parametrize("cursor", ["!!!", "bm90LW91cnM", "c2VxOng"])
async def test_a_bad_cursor_is_refused(raw: httpx.AsyncClient, refusal: Any, cursor: str) -> None:
    response = await raw.get("/pmi-rest/peserta/perubahan", params={"sejak": cursor})
    assert refusal(response) == (400, "204")


# -- the kit's routes in BPJS's shape ---------------------------------------------------------


async def test_unknown_path_and_method(raw: httpx.AsyncClient, refusal: Any) -> None:
    assert refusal(await raw.get("/pmi-rest/tidak-ada")) == (404, "404")
    assert refusal(await raw.delete("/pmi-rest/peserta/kpj")) == (405, "405")


# -- faults -----------------------------------------------------------------------------------


async def set_faults(client: httpx.AsyncClient, **faults: Any) -> None:
    response = await client.post("/_sandbox/faults", json=faults)
    assert response.status_code == 200, response.text


async def test_latency(raw: httpx.AsyncClient, payload: Any) -> None:
    await set_faults(raw, latencyMs=80)
    started = time.perf_counter()
    payload(await raw.get("/pmi-rest/ref/status"))
    assert time.perf_counter() - started >= 0.07


@pytest.mark.parametrize(
    ("faults", "expected"),
    [({"errorRate": 1.0}, (500, "500")), ({"down": True}, (503, "503"))],
)
async def test_failures_answer_in_bpjs_shape(
    raw: httpx.AsyncClient, refusal: Any, faults: dict[str, Any], expected: tuple[int, str]
) -> None:
    await set_faults(raw, **faults)
    assert refusal(await raw.get("/pmi-rest/peserta/kpj/21000777001")) == expected


async def test_garbage_is_not_json(raw: httpx.AsyncClient) -> None:
    await set_faults(raw, garbage=True)
    response = await raw.get("/pmi-rest/peserta/kpj/21000777001")
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


async def test_rate_limit_answers_429_with_retry_after(
    raw: httpx.AsyncClient, payload: Any, refusal: Any
) -> None:
    await set_faults(raw, rateLimitPerSecond=0.5, rateLimitBurst=1)
    payload(await raw.get("/pmi-rest/ref/status"))
    limited = await raw.get("/pmi-rest/ref/status")
    assert refusal(limited) == (429, "429")
    assert int(limited.headers["Retry-After"]) >= 1


async def test_stats_count_the_agency_calls(raw: httpx.AsyncClient) -> None:
    await raw.post("/pmi-rest/peserta/kpj", json={"request": {"noKpj": ["21000777001"]}})
    await raw.get("/pmi-rest/ref/status")
    stats = (await raw.get("/_sandbox/stats")).json()
    assert stats["calls"] == {"POST /pmi-rest/peserta/kpj": 1, "GET /pmi-rest/ref/status": 1}
