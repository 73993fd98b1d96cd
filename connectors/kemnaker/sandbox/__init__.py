"""A runnable simulation of Kemnaker's API: SIAPkerja job seekers (AK/1) and P3MI licences.

REST/JSON with snake_case Indonesian field names, ISO 8601 dates, cursor pagination
(``?cursor=...&limit=...``, ``next_cursor`` in the answer, null on the last page; a ``limit``
above the maximum page size is cut to it) and OAuth 2.0 client credentials against the
agency's own token endpoint (``sandbox.oauth``). Errors: ``{"kode", "pesan", "message"}``.

=====================================  =====================  ==============================
route                                  scope                  answer
=====================================  =====================  ==============================
POST /oauth/token, POST /oauth/revoke  (client credentials)   RFC 6749 §5.1/§5.2, RFC 7009
GET /api/v1/pencari-kerja              pencari_kerja.baca     ``?id_pencari_kerja=A,B`` or
                                                              ``?nik=N1,N2`` (at most
                                                              max_batch values) or neither:
                                                              the whole registry, paginated
GET /api/v1/pencari-kerja/{id}         pencari_kerja.baca     ``{"data": {...}}`` or 404
GET /api/v1/pencari-kerja/perubahan    pencari_kerja.baca     changes feed: ``data``,
                                                              ``next_cursor`` (always: resume
                                                              from it), ``ada_lagi``
GET /api/v1/p3mi                       p3mi.baca              ``?nomor_izin=A,B`` or all
GET /api/v1/status                     (any valid token)      ``{"status": "OK", ...}``
=====================================  =====================  ==============================

Job seeker fields: ``id_pencari_kerja`` (AK/1 number), ``nik`` (null when unknown),
``nama_lengkap``, ``tanggal_lahir``, ``jenis_kelamin`` (``L`` laki-laki / ``P`` perempuan),
``nomor_hp``, ``tanggal_daftar``. Licence fields: ``nomor_izin``, ``nama_perusahaan``,
``status_izin`` (``AKTIF``, ``DIBEKUKAN``, ``DICABUT``, ``KEDALUWARSA``), ``nomor_telepon``,
``alamat``. Example::

    POST /oauth/token
    Authorization: Basic cG1paHViOnNlY3JldA==
    Content-Type: application/x-www-form-urlencoded

    grant_type=client_credentials

    200 {"access_token": "q3N...", "token_type": "Bearer", "expires_in": 300,
         "scope": "p3mi.baca pencari_kerja.baca"}

    GET /api/v1/pencari-kerja?id_pencari_kerja=AK1-2024-000123,AK1-0000-000000
    Authorization: Bearer q3N...

    200 {"data": [{"id_pencari_kerja": "AK1-2024-000123", "nik": "3506124508900003",
                   "nama_lengkap": "SITI AMINAH", "tanggal_lahir": "1990-08-05",
                   "jenis_kelamin": "P", "nomor_hp": "+6281234567890",
                   "tanggal_daftar": "2023-11-02"}],
         "next_cursor": null}

    GET /api/v1/pencari-kerja?nik=123
    400 {"kode": "INVALID_PARAMETER", "pesan": "Parameter permintaan tidak valid",
         "message": "nik: value 1 is malformed"}

Credentials (``SandboxConfig.credentials``): ``client_id``, ``client_secret``, optionally
``scope`` (granted scopes, default both) and ``token_ttl`` (seconds, default 300).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.kemnaker.models import well_formed_id, well_formed_nik
from connectors.kemnaker.sandbox.native import (
    JobSeekerIndex,
    garbage,
    licence,
    render_error,
)
from connectors.kemnaker.sandbox.native import job_seeker as render_job_seeker
from connectors.kemnaker.sandbox.oauth import OAuthClient, TokenServer
from connectors.sandbox.app import SandboxConfig, build_sandbox
from connectors.sandbox.data import SandboxData, decode_cursor, encode_cursor
from schema.clock import now

log = logging.getLogger("pmihub.sandbox.kemnaker")

JOB_SEEKERS = "pencari_kerja.baca"
LICENCES = "p3mi.baca"
SCOPES = frozenset({JOB_SEEKERS, LICENCES})
DEFAULT_TOKEN_TTL = 300.0
DEFAULT_LIMIT = 100

# Development-only defaults, used when a sandbox is started without credentials.
# Never use these anywhere but a local sandbox.
DEV_CREDENTIALS: dict[str, str] = {
    "client_id": "pmihub-dev",
    "client_secret": "kemnaker-sandbox-dev-secret",
}


class BadRequest(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def create_app(
    data: SandboxData, config: SandboxConfig, *, clock: Callable[[], float] = time.monotonic
) -> Starlette:
    """The Kemnaker sandbox; ``clock`` (seconds) decides when tokens expire."""
    client, ttl = _client(config.credentials)
    tokens = TokenServer(client, ttl=ttl, clock=clock, render_error=render_error)
    index = JobSeekerIndex(data)
    rendered: dict[str, Any] = {"version": None}

    def registry() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """The licences as rendered, again only after /_sandbox/placement-agencies changed
        them (a licence revoked)."""
        if rendered["version"] != data.version:
            items = [licence(agency) for agency in data.placement_agencies.values()]
            rendered.update(
                version=data.version,
                items=items,
                by_number={item["nomor_izin"]: item for item in items},
            )
        return rendered["items"], rendered["by_number"]

    page_max = max(1, config.max_page_size)

    def guarded(
        scope: str | None, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            refused = tokens.bearer(request, scope)
            if refused is not None:
                return refused
            try:
                return await handler(request)
            except BadRequest as exc:
                return render_error(400, exc.code, exc.message)

        return endpoint

    async def job_seekers(request: Request) -> Response:
        params = _params(request, {"id_pencari_kerja", "nik", "cursor", "limit"})
        if "id_pencari_kerja" in params and "nik" in params:
            raise BadRequest("INVALID_PARAMETER", "give id_pencari_kerja or nik, not both")
        if "id_pencari_kerja" in params:
            ids = _values(params, "id_pencari_kerja", well_formed_id, config.max_batch)
            items = index.by_ids(ids)
        elif "nik" in params:
            items = index.by_niks(_values(params, "nik", well_formed_nik, config.max_batch))
        else:
            items = index.all()
        return JSONResponse(_page(items, params, page_max))

    async def one_job_seeker(request: Request) -> Response:
        _params(request, set())
        local_id = request.path_params["local_id"]
        if not well_formed_id(local_id):
            raise BadRequest("INVALID_PARAMETER", "id_pencari_kerja is malformed")
        found = index.get(local_id)
        if found is None:
            return render_error(404, "JOB_SEEKER_NOT_FOUND", "no such job seeker")
        return JSONResponse({"data": found})

    async def changes(request: Request) -> Response:
        params = _params(request, {"cursor", "limit"})
        after = _offset(params.get("cursor"))
        limit = _limit(params.get("limit"), page_max)
        page, last, more = data.changes(after, limit, block="kemnaker")
        records = [
            render_job_seeker(person, record) for _, person in page for record in person.kemnaker
        ]
        return JSONResponse({"data": records, "next_cursor": encode_cursor(last), "ada_lagi": more})

    async def placement_companies(request: Request) -> Response:
        params = _params(request, {"nomor_izin", "cursor", "limit"})
        licences, licences_by_number = registry()
        items = licences
        if "nomor_izin" in params:
            numbers = _values(params, "nomor_izin", well_formed_id, config.max_batch)
            items = [licences_by_number[n] for n in numbers if n in licences_by_number]
        return JSONResponse(_page(items, params, page_max))

    async def status(request: Request) -> Response:
        _params(request, set())
        return JSONResponse({"status": "OK", "sistem": "SIAPkerja", "waktu": now().isoformat()})

    routes = [
        Route("/oauth/token", tokens.token_endpoint, methods=["POST"]),
        Route("/oauth/revoke", tokens.revoke_endpoint, methods=["POST"]),
        Route("/api/v1/pencari-kerja", guarded(JOB_SEEKERS, job_seekers), methods=["GET"]),
        Route("/api/v1/pencari-kerja/perubahan", guarded(JOB_SEEKERS, changes), methods=["GET"]),
        Route(
            "/api/v1/pencari-kerja/{local_id}",
            guarded(JOB_SEEKERS, one_job_seeker),
            methods=["GET"],
        ),
        Route("/api/v1/p3mi", guarded(LICENCES, placement_companies), methods=["GET"]),
        Route("/api/v1/status", guarded(None, status), methods=["GET"]),
    ]
    return build_sandbox(
        name="kemnaker",
        routes=routes,
        data=data,
        config=config,
        render_error=render_error,
        garbage=garbage,
        client_key=tokens.client_key,
    )


def _client(credentials: Mapping[str, str]) -> tuple[OAuthClient, float]:
    if not credentials:
        log.warning("Kemnaker sandbox started with its development credentials")
        credentials = DEV_CREDENTIALS
    client_id, secret = credentials.get("client_id"), credentials.get("client_secret")
    if not client_id or not secret:
        raise ValueError("the Kemnaker sandbox needs client_id and client_secret")
    scopes = frozenset((credentials.get("scope") or " ".join(sorted(SCOPES))).split())
    if not scopes <= SCOPES:
        raise ValueError(f"Kemnaker sandbox scopes are {', '.join(sorted(SCOPES))}")
    try:
        ttl = float(credentials.get("token_ttl", DEFAULT_TOKEN_TTL))
    except ValueError:
        raise ValueError("token_ttl must be a number of seconds") from None
    if not 0 < ttl <= 86_400:
        raise ValueError("token_ttl must be between 0 and 86400 seconds")
    return OAuthClient(client_id, secret, scopes), ttl


def _params(request: Request, allowed: Collection[str]) -> dict[str, str]:
    query = request.query_params
    unknown = sorted(set(query.keys()) - set(allowed))
    if unknown:
        raise BadRequest("INVALID_PARAMETER", f"unknown parameter(s): {', '.join(unknown)}")
    return {key: ",".join(query.getlist(key)) for key in allowed if key in query}


def _values(
    params: Mapping[str, str], name: str, check: Callable[[str], bool], max_batch: int
) -> list[str]:
    items = [item.strip() for item in params[name].split(",")]
    for position, item in enumerate(items, start=1):
        if not check(item):  # the value itself is not echoed: it may be a NIK
            raise BadRequest("INVALID_PARAMETER", f"{name}: value {position} is malformed")
    unique = list(dict.fromkeys(items))
    if len(unique) > max_batch:
        raise BadRequest("BATCH_TOO_LARGE", f"{name}: at most {max_batch} values per request")
    return unique


def _offset(cursor: str | None) -> int:
    try:  # decode_cursor lets int() fail on non-ASCII digits or thousands of them
        offset = decode_cursor(cursor) if cursor is None or len(cursor) <= 64 else None
    except ValueError:
        offset = None
    if offset is None:
        raise BadRequest("INVALID_CURSOR", "cursor is not one this API issued")
    return offset


def _limit(value: str | None, maximum: int) -> int:
    if value is None:
        return min(DEFAULT_LIMIT, maximum)
    if not value.isascii() or not value.isdigit() or int(value[:12]) < 1:
        raise BadRequest("INVALID_PARAMETER", "limit must be a positive integer")
    return min(int(value[:12]) if len(value) <= 12 else maximum, maximum)


def _page(items: list[dict[str, Any]], params: Mapping[str, str], maximum: int) -> dict[str, Any]:
    offset = _offset(params.get("cursor"))
    limit = _limit(params.get("limit"), maximum)
    chunk = items[offset : offset + limit]
    end = offset + len(chunk)
    return {"data": chunk, "next_cursor": encode_cursor(end) if end < len(items) else None}


__all__ = ["DEV_CREDENTIALS", "SCOPES", "create_app", "garbage", "render_error"]
