"""BPJS Ketenagakerjaan sandbox: the PMI participant API (``pmi-rest``) in the VClaim style.

Every call is signed with four headers (connectors/kit/auth/hmac.py): ``X-cons-id``,
``X-timestamp`` (Unix seconds, UTC; at most ``skew_seconds`` from the server's clock, 300 by
default), ``X-signature`` = Base64(HMAC-SHA256(secret, cons_id + "&" + timestamp)) and
``user_key``. Answers are ``{"metaData": {"code", "message"}, "response"}`` with string codes
(dialect.py lists them); on success ``response`` is encrypted with a key derived from the
request's timestamp (crypto.py), on failure it is ``null``.

    GET  /pmi-rest/ref/status                       service status (cheap; for health checks)
    GET  /pmi-rest/peserta/kpj/{noKpj}              one participant: {"peserta": {...}}
    POST /pmi-rest/peserta/kpj                      batch: {"request": {"noKpj": [...]}}
    GET  /pmi-rest/peserta/nik/{nik}                participants holding a NIK: {"list": [...]}
    POST /pmi-rest/peserta/nik                      batch: {"request": {"nik": [...]}}
    GET  /pmi-rest/peserta?start=0&limit=100        listing: {"list", "start", "limit", "total"}
    GET  /pmi-rest/peserta/perubahan?sejak=&limit=  changes: {"list", "kursor", "lanjut"}

Batches take at most ``config.max_batch`` ids (more: code 203). ``limit`` starts at 1 and
defaults to 100; more than ``config.max_page_size`` is served as that many. Ids that are well
formed but unknown are absent from a batch; a single GET of one answers HTTP 404, code 201.
The feed's ``kursor`` resumes after the last person served; ``lanjut`` says more may follow.
Example::

    GET /pmi-rest/peserta/kpj/24001234567
    X-cons-id: 12345
    X-timestamp: 1795500000
    X-signature: <Base64 HMAC-SHA256>
    user_key: <key>

    200 {"metaData": {"code": "200", "message": "OK"}, "response": "<Base64 AES-256-CBC>"}

    response, decrypted and LZ-decompressed:
    {"peserta": {"noKpj": "24001234567", "nik": "3506124508900003", "noPaspor": null,
      "nama": "SITI AMINAH", "tglLahir": "1990-08-05", "sex": "P",
      "idPmi": ["PMI-3506-2024-0001234"],
      "kepesertaan": {
        "segmen": {"kode": "PMI", "keterangan": "PEKERJA MIGRAN INDONESIA"},
        "statusPeserta": {"kode": "1", "keterangan": "AKTIF"},
        "program": [{"kode": "JKK", "keterangan": "JAMINAN KECELAKAAN KERJA",
                     "fase": {"kode": "2", "keterangan": "SELAMA BEKERJA"},
                     "tglAwal": "2024-03-01", "tglAkhir": "2027-01-31"}, ...],
        "iuran": [{"periode": "202403", "nominal": 370000, "tglBayar": "2024-02-20"}],
        "klaim": []}}}

A claim reads ``{"kodeProgram": "JHT", "status": {"kode": "1", "keterangan": "DIAJUKAN"},
"tglPengajuan": "2026-11-10", "nominal": 12500000}``. ``nik`` is null when BPJS holds none;
``sex`` is L/P; ``periode`` is YYYYMM; ``fase`` 1/2/3/9 is before/during/after work/unknown;
claim ``status`` 1-4 is submitted/verified/paid/rejected.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.bpjs.crypto import encrypt_text
from connectors.bpjs.dialect import BASE, MESSAGES, OK, SYSTEM
from connectors.bpjs.sandbox.render import ParticipantIndex, peserta
from connectors.kit.auth.hmac import CONS_ID, SIGNATURE, TIMESTAMP, USER_KEY, signature_valid
from connectors.sandbox.app import SandboxConfig, build_sandbox
from connectors.sandbox.data import SandboxData, decode_cursor, encode_cursor
from schema.clock import today
from schema.identifiers import KPJ_RE, NIK_RE

DEFAULT_SKEW_SECONDS = 300
DEFAULT_LIMIT = 100

# Development-only defaults, used when the sandbox CLI is given no credentials. Never real.
DEV_CREDENTIALS: dict[str, str] = {
    "cons_id": "12345",
    "secret": "sandbox-dev-secret-not-for-production",
    "user_key": "sandbox-dev-user-key-not-for-production",
}
CREDENTIAL_KEYS = ("cons_id", "secret", "user_key")


class Refusal(Exception):
    """An answer in BPJS's error shape, raised from inside a handler."""

    def __init__(self, status: int, code: str, detail: str | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail


def _envelope(status: int, code: str, message: str, response: str | None) -> Response:
    body = {"metaData": {"code": code, "message": message}, "response": response}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def render_error(status: int, code: str, message: str, detail: str | None = None) -> Response:
    """BPJS's error shape; ``code`` is symbolic (dialect.MESSAGES) or the kit's own."""
    bpjs_code, text = MESSAGES.get(code, (str(status), message))
    return _envelope(status, bpjs_code, f"{text}: {detail}" if detail else text, None)


def garbage() -> Response:
    """A truncated envelope: what a proxy cutting the answer short would deliver."""
    body = b'{"metaData": {"code": "200", "message": "OK"}, "response": "q8Zx3mQ'
    return Response(body, media_type="application/json")


def client_key(headers: Headers) -> str:
    return headers.get(CONS_ID, "anonymous")


Handler = Callable[[Request], Awaitable[dict[str, Any]]]


def create_app(
    data: SandboxData,
    config: SandboxConfig,
    *,
    clock: Callable[[], float] = time.time,
    skew_seconds: int = DEFAULT_SKEW_SECONDS,
) -> Starlette:
    missing = [k for k in CREDENTIAL_KEYS if not config.credentials.get(k)]
    if missing:
        raise ValueError(f"BPJS sandbox credentials need {', '.join(missing)}")
    creds = {k: config.credentials[k] for k in CREDENTIAL_KEYS}
    index = ParticipantIndex(data)

    def authenticate(headers: Headers) -> str:
        """The request's timestamp when its signature holds; Refusal otherwise."""
        cons_id, stamp = headers.get(CONS_ID), headers.get(TIMESTAMP)
        signed, user_key = headers.get(SIGNATURE), headers.get(USER_KEY)
        if not (cons_id and stamp and signed and user_key):
            raise Refusal(401, "MISSING_HEADERS")
        if cons_id != creds["cons_id"]:
            raise Refusal(401, "UNKNOWN_CONSUMER")
        if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
            raise Refusal(401, "TIMESTAMP_EXPIRED")
        if abs(clock() - int(stamp)) > skew_seconds:
            raise Refusal(401, "TIMESTAMP_EXPIRED")
        if not signature_valid(cons_id, creds["secret"], stamp, signed):
            raise Refusal(401, "BAD_SIGNATURE")
        if not hmac.compare_digest(user_key.encode(), creds["user_key"].encode()):
            raise Refusal(403, "BAD_USER_KEY")
        return stamp

    def signed(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                stamp = authenticate(request.headers)
                payload = await handler(request)
            except Refusal as refusal:
                return render_error(refusal.status, refusal.code, "", refusal.detail)
            text = orjson.dumps(payload).decode()
            encrypted = encrypt_text(text, creds["cons_id"], creds["secret"], stamp)
            return _envelope(200, OK, "OK", encrypted)

        return endpoint

    def participant(kpj: str) -> dict[str, Any]:
        found = index.by_kpj(kpj)
        assert found is not None
        return peserta(*found, today())

    async def status(request: Request) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return {"layanan": SYSTEM, "status": "OK", "waktuServer": now}

    async def one_by_kpj(request: Request) -> dict[str, Any]:
        kpj = request.path_params["kpj"]
        if not KPJ_RE.match(kpj):
            raise Refusal(400, "BAD_REQUEST", "noKpj")
        if index.by_kpj(kpj) is None:
            raise Refusal(404, "DATA_NOT_FOUND")
        return {"peserta": participant(kpj)}

    async def batch_by_kpj(request: Request) -> dict[str, Any]:
        kpjs = _batch_ids(await request.body(), "noKpj", config.max_batch, KPJ_RE.match)
        return {"list": [participant(k) for k in kpjs if index.by_kpj(k) is not None]}

    async def one_by_nik(request: Request) -> dict[str, Any]:
        nik = request.path_params["nik"]
        if not NIK_RE.match(nik):
            raise Refusal(400, "BAD_REQUEST", "nik")
        kpjs = index.kpjs_by_nik(nik)
        if not kpjs:
            raise Refusal(404, "DATA_NOT_FOUND")
        return {"list": [participant(k) for k in kpjs]}

    async def batch_by_nik(request: Request) -> dict[str, Any]:
        niks = _batch_ids(await request.body(), "nik", config.max_batch, NIK_RE.match)
        return {"list": [participant(k) for nik in niks for k in index.kpjs_by_nik(nik)]}

    async def listing(request: Request) -> dict[str, Any]:
        start = _int_param(request.query_params, "start", 0, 0, None)
        limit = _limit(request.query_params, config.max_page_size)
        everyone = index.all()
        page = everyone[start : start + limit]
        rows = [peserta(person, record, today()) for person, record in page]
        return {"list": rows, "start": start, "limit": limit, "total": len(everyone)}

    async def changes(request: Request) -> dict[str, Any]:
        after = decode_cursor(request.query_params.get("sejak"))
        if after is None:
            raise Refusal(400, "BAD_CURSOR", "sejak")
        limit = _limit(request.query_params, config.max_page_size)
        page, last, more = data.changes(after, limit, block="bpjs")
        day = today()
        rows = [peserta(person, record, day) for _, person in page for record in person.bpjs]
        return {"list": rows, "kursor": encode_cursor(last), "lanjut": more}

    routes = [
        Route(f"{BASE}/ref/status", signed(status), methods=["GET"]),
        Route(f"{BASE}/peserta", signed(listing), methods=["GET"]),
        Route(f"{BASE}/peserta/perubahan", signed(changes), methods=["GET"]),
        Route(f"{BASE}/peserta/kpj", signed(batch_by_kpj), methods=["POST"]),
        Route(f"{BASE}/peserta/kpj/{{kpj}}", signed(one_by_kpj), methods=["GET"]),
        Route(f"{BASE}/peserta/nik", signed(batch_by_nik), methods=["POST"]),
        Route(f"{BASE}/peserta/nik/{{nik}}", signed(one_by_nik), methods=["GET"]),
    ]
    return build_sandbox(
        name="BPJS_KETENAGAKERJAAN",
        routes=routes,
        data=data,
        config=config,
        render_error=render_error,
        garbage=garbage,
        client_key=client_key,
    )


def _batch_ids(
    body: bytes, field: str, max_batch: int, well_formed: Callable[[str], object]
) -> list[str]:
    """The ids of ``{"request": {field: [...]}}``, deduplicated in order; Refusal if malformed."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise Refusal(400, "BAD_REQUEST", "body") from None
    request = decoded.get("request") if isinstance(decoded, dict) else None
    ids = request.get(field) if isinstance(request, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise Refusal(400, "BAD_REQUEST", f"request.{field}")
    if len(ids) > max_batch:
        raise Refusal(400, "TOO_MANY_IDS", f"max {max_batch}")
    for position, value in enumerate(ids):
        if not well_formed(value):
            raise Refusal(400, "BAD_REQUEST", f"request.{field}[{position}]")
    return list(dict.fromkeys(ids))


def _limit(params: Mapping[str, str], max_page_size: int) -> int:
    """``limit`` from 1 up; more than the largest page is served as the largest page."""
    return min(_int_param(params, "limit", DEFAULT_LIMIT, 1, None), max_page_size)


def _int_param(
    params: Mapping[str, str], name: str, default: int, low: int, high: int | None
) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise Refusal(400, "BAD_REQUEST", name)
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise Refusal(400, "BAD_REQUEST", name)
    return value
