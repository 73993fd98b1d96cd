"""A runnable simulation of SISKOP2MI's REST API (P2MI: BNP2TKI -> BP2MI -> KP2MI).

Every call but the sandbox's own needs the header ``X-Api-Key``: missing is 401
``API_KEY_MISSING``, wrong is 403 ``API_KEY_INVALID``. Dates are ``DD-MM-YYYY``. Records use
camelCase Indonesian fields; envelopes follow Laravel's paginator (``total``, ``page``,
``per_page``, ``data``). ``per_page`` above the server's maximum is lowered to it.

    GET  /api/v1/status                      who is answering (cheap; for health checks)
    GET  /api/v1/pmi?page=1&per_page=100     every record, page by page
    GET  /api/v1/pmi/{idPmi}                 one record, or 404
    POST /api/v1/pmi/batch?page=&per_page=   {"idPmi": [...]}: records by ID PMI, unknown
                                             ids absent; more ids than the maximum: 422
    POST /api/v1/pmi/cari                    exactly one of {"idPmi" | "nik" | "nomorPaspor" |
                                             "idPenempatan": [...]} -> {"data": [{"nilai",
                                             "idPmi": [...]}]}, values with no record absent
    GET  /api/v1/pmi/perubahan?cursor=&limit= records changed since the cursor
                                             -> {"data", "next_cursor", "has_more"}

Example::

    POST /api/v1/pmi/batch?per_page=100   X-Api-Key: ...   {"idPmi": ["PMI-3506-2024-0001234"]}
    200 {"status": "success", "total": 1, "page": 1, "per_page": 100, "data": [{
      "idPmi": "PMI-3506-2024-0001234", "nik": "3506124508900003",
      "nama": "Siti Aminah Binti Sahroni", "tanggalLahir": "05-08-1990", "jenisKelamin": "P",
      "paspor": [{"nomor": "C1234567", "tanggalTerbit": "10-01-2024",
                  "tanggalBerakhir": "10-01-2034"}],
      "noHp": "+6281234567890", "alamat": "Desa Sumberejo, Kediri",
      "kontakKeluarga": {"nama": "Sahroni", "hubungan": "father", "noHp": "+628111111111",
                         "alamat": null},
      "idSiapkerja": ["AK1-2024-000123"],
      "penempatan": [{"idPenempatan": "PL-2024-0001234", "nomorKartu": "EPMI-3506-0001234",
        "status": "BEKERJA", "skema": "P3MI", "negaraTujuan": "HK",
        "jabatan": "Domestic worker", "sektor": "RUMAH_TANGGA",
        "pemberiKerja": {"nama": "Chan Tai Man", "negara": "HK", "kota": "Kowloon",
                         "telepon": "+85291234567"},
        "p3mi": {"nomorIzin": "KEP.045/2021", "nama": "PT Mitra Karya Migran"},
        "tanggalMulaiKontrak": "01-03-2024", "tanggalAkhirKontrak": "31-12-2026",
        "oppSelesai": true, "tanggalBerangkat": "01-03-2024", "tanggalKembali": null}],
      "pengaduan": [{"idPengaduan": "ADU-2026-000311", "jenis": "GAJI_TIDAK_DIBAYAR",
        "status": "DIPROSES", "tingkat": "SEDANG", "tanggalPengaduan": "05-10-2026",
        "ringkasan": "Gaji tidak dibayar tiga bulan"}]}]}

Errors, for every status::

    401 {"status": "error", "code": 401, "errors": [{"code": "API_KEY_MISSING", "field": null,
         "message": "The X-Api-Key header is required",
         "pesan": "Header X-Api-Key wajib diisi"}]}

Code lists (``jenisKelamin``, ``status``, ``skema``, ``sektor``, ``jenis``, ``tingkat``) are in
connectors.p2mi.dialect.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.p2mi.dialect import (
    API_KEY_HEADER,
    BATCH_PATH,
    FEED_PATH,
    LIST_PATH,
    SEARCH_PATH,
    STATUS_PATH,
    SYSTEM,
    format_date,
)
from connectors.p2mi.sandbox.render import P2miView
from connectors.p2mi.sandbox.requests import ApiError, Problem, int_param, search_body
from connectors.sandbox.app import SandboxConfig, build_sandbox
from connectors.sandbox.data import SandboxData, decode_cursor, encode_cursor
from schema.clock import today

# Development-only default, used by the CLI when it is given no credentials. Never deploy it.
DEV_CREDENTIALS: dict[str, str] = {"api_key": "siskop2mi-dev-only-key-not-for-production"}

_PESAN = {
    "API_KEY_MISSING": "Header X-Api-Key wajib diisi",
    "API_KEY_INVALID": "API key tidak dikenal atau tidak berlaku",
    "NOT_FOUND": "Data atau alamat tidak ditemukan",
    "METHOD_NOT_ALLOWED": "Metode tidak diizinkan untuk alamat ini",
    "RATE_LIMITED": "Terlalu banyak permintaan, coba lagi nanti",
    "SERVICE_DOWN": "Layanan sedang tidak tersedia",
    "INTERNAL_ERROR": "Terjadi kesalahan pada server",
}

Handler = Callable[[Request], Awaitable[Response]]


def render_error(status: int, code: str, message: str) -> Response:
    """SISKOP2MI's error shape, for the kit's 404/405/429/500/503 too."""
    fallback = "Permintaan tidak dapat diproses" if status < 500 else _PESAN["INTERNAL_ERROR"]
    return _errors(status, [Problem(code, message, _PESAN.get(code, fallback))])


def _errors(status: int, problems: list[Problem]) -> Response:
    body = {"status": "error", "code": status, "errors": [p.as_json() for p in problems]}
    return JSONResponse(body, status_code=status)


def garbage() -> Response:
    """A body cut off mid-way, as a failing proxy or a crashed worker would leave it."""
    return Response(
        b'{"status": "success", "total": 3, "data": [{"idPmi": "PMI-',
        200,
        media_type="application/json",
    )


def _client_key(headers: Headers) -> str:
    return headers.get(API_KEY_HEADER, "anonymous")


def create_app(data: SandboxData, config: SandboxConfig) -> Starlette:
    api_key = config.credentials.get("api_key")
    if not api_key:
        raise ValueError("the P2MI sandbox needs credentials['api_key']")
    view = P2miView(data)
    max_page = config.max_page_size

    def guarded(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            given = request.headers.get(API_KEY_HEADER)
            if not given:
                return render_error(401, "API_KEY_MISSING", "The X-Api-Key header is required")
            if not hmac.compare_digest(given.encode(), api_key.encode()):
                return render_error(403, "API_KEY_INVALID", "Unknown or revoked API key")
            try:
                return await handler(request)
            except ApiError as exc:
                return _errors(exc.status, exc.problems)

        return endpoint

    def page_of(request: Request, ids: list[str]) -> Response:
        page = int_param(request, "page", default=1)
        per_page = min(int_param(request, "per_page", default=100), max_page)
        start = (page - 1) * per_page
        return JSONResponse(
            {
                "status": "success",
                "total": len(ids),
                "page": page,
                "per_page": per_page,
                "data": view.render_all(ids[start : start + per_page]),
            }
        )

    async def status(request: Request) -> Response:
        return JSONResponse(
            {"status": "success", "data": {"sistem": SYSTEM, "tanggal": format_date(today())}}
        )

    async def listing(request: Request) -> Response:
        return page_of(request, list(view.index.records))

    async def one(request: Request) -> Response:
        found = view.render(request.path_params["id_pmi"])
        if found is None:
            return render_error(404, "NOT_FOUND", "No PMI record with this ID PMI")
        return JSONResponse({"status": "success", "data": found})

    async def batch(request: Request) -> Response:
        _, values = await search_body(request, config.max_batch, fields=("idPmi",))
        known = view.index.records
        return page_of(request, [v for v in dict.fromkeys(values) if v in known])

    async def search(request: Request) -> Response:
        field, values = await search_body(request, config.max_batch)
        table = view.index.keys[field]
        found = [{"nilai": v, "idPmi": table[v]} for v in dict.fromkeys(values) if v in table]
        return JSONResponse({"status": "success", "data": found})

    async def feed(request: Request) -> Response:
        after = decode_cursor(request.query_params.get("cursor"))
        if after is None:
            problem = Problem(
                "INVALID_CURSOR", "Not a cursor of this feed", "Kursor tidak dikenal", "cursor"
            )
            raise ApiError(400, [problem])
        limit = min(int_param(request, "limit", default=100), max_page)
        people, last, more = data.changes(after, limit, block="p2mi")
        records = [view.render_record(person, rec) for _, person in people for rec in person.p2mi]
        return JSONResponse(
            {
                "status": "success",
                "data": records,
                "next_cursor": encode_cursor(last),
                "has_more": more,
            }
        )

    routes = [
        Route(STATUS_PATH, guarded(status), methods=["GET"]),
        Route(LIST_PATH, guarded(listing), methods=["GET"]),
        Route(BATCH_PATH, guarded(batch), methods=["POST"]),
        Route(SEARCH_PATH, guarded(search), methods=["POST"]),
        Route(FEED_PATH, guarded(feed), methods=["GET"]),
        Route(LIST_PATH + "/{id_pmi}", guarded(one), methods=["GET"]),
    ]
    return build_sandbox(
        name="P2MI",
        routes=routes,
        data=data,
        config=config,
        render_error=render_error,
        garbage=garbage,
        client_key=_client_key,
    )
