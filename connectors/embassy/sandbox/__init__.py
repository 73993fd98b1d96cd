"""A runnable simulation of Portal Peduli WNI's SOAP 1.1 web service (Kemlu, the missions).

Authentication is mutual TLS and nothing else: uvicorn requires a client certificate issued
by the sandbox's CA (``server_ssl``), so a caller without one never reaches the application
and there is no HTTP-level 401/403. Over ``httpx.ASGITransport`` (tests) there is no TLS and
every call is trusted.

One endpoint, ``POST /ws/PeduliWNI``, ``Content-Type: text/xml; charset=utf-8`` and
``SOAPAction: "urn:kemlu:peduliwni:ws:2018#<Operation>"``; ``GET /ws/PeduliWNI?wsdl`` returns
the WSDL. Namespace ``urn:kemlu:peduliwni:ws:2018`` (prefix ``pw``). Operations:

    GetCitizenRecords   RecordId+ (at most max_batch)       -> CitizenRecord*, unknown ids absent
    FindByNik           Nik+                                -> Match* (Value, RecordId+)
    FindByPassport      PassportNumber+                     -> Match* (Value normalised)
    ListCitizenRecords  PageNumber?, PageSize? (default 1, 100; lowered to the maximum)
                        -> PageNumber, PageSize, TotalRecords, TotalPages, CitizenRecord*
    GetChanges          Cursor?, MaxRecords?                -> NextCursor, HasMore, CitizenRecord*
    Ping                                                    -> Status, System, ServerTime

Example::

    POST /ws/PeduliWNI
    SOAPAction: "urn:kemlu:peduliwni:ws:2018#GetCitizenRecords"

    <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
                   xmlns:pw="urn:kemlu:peduliwni:ws:2018"><soap:Body>
      <pw:GetCitizenRecords><pw:RecordId>HKG-WNI-2024-000987</pw:RecordId></pw:GetCitizenRecords>
    </soap:Body></soap:Envelope>

    200 <soap:Envelope ...><soap:Body><pw:GetCitizenRecordsResponse><pw:CitizenRecord>
      <pw:RecordId>HKG-WNI-2024-000987</pw:RecordId>
      <pw:FullName>SITI AMINAH BT SAHRONI</pw:FullName>      (pw:Nik only when the mission has it)
      <pw:BirthDate>1990-08-05</pw:BirthDate><pw:Sex>P</pw:Sex><pw:Phone>+6281234567890</pw:Phone>
      <pw:Passports><pw:Passport><pw:Number>C1234567</pw:Number>
        <pw:IssueDate>2024-01-10</pw:IssueDate><pw:ExpiryDate>2034-01-10</pw:ExpiryDate>
      </pw:Passport></pw:Passports>
      <pw:SelfReports><pw:SelfReport>
        <pw:Mission><pw:Code>HKG</pw:Code><pw:Name>KJRI Hong Kong</pw:Name>
          <pw:City>Hong Kong</pw:City><pw:Country>HK</pw:Country></pw:Mission>
        <pw:ReportedOn>2024-03-10</pw:ReportedOn><pw:AddressAbroad>Kowloon</pw:AddressAbroad>
        <pw:LastContactOn>2026-10-01</pw:LastContactOn></pw:SelfReport></pw:SelfReports>
      <pw:EndorsedContracts><pw:PlacementId>PL-2024-0001234</pw:PlacementId></pw:EndorsedContracts>
      <pw:ConsularCases><pw:ConsularCase><pw:CaseNumber>HKG-2026-0042</pw:CaseNumber>
        <pw:Category>GAJI_TIDAK_DIBAYAR</pw:Category><pw:Status>BARU</pw:Status>
        <pw:Priority>3</pw:Priority><pw:OpenedAt>2026-10-02T09:00:00+08:00</pw:OpenedAt>
        <pw:Summary>Unpaid wages for three months</pw:Summary>
        <pw:Mission>...the mission of the latest lapor diri...</pw:Mission>
      </pw:ConsularCase></pw:ConsularCases>
    </pw:CitizenRecord></pw:GetCitizenRecordsResponse></soap:Body></soap:Envelope>

Errors are SOAP 1.1 Faults: ``faultcode`` ``soap:Client`` (the request is wrong) or
``soap:Server``, ``faultstring`` in English and ``detail/pw:FaultDetail`` with ``pw:Code``,
``pw:Message`` (EN) and ``pw:Pesan`` (ID). Deviation from SOAP 1.1 §6.2, which sends every
fault with HTTP 500: client faults use HTTP 400 (413 too large, 415 wrong media type, 404/405,
429 with Retry-After), because no request a real agency would reject may answer 500 in this
project; 500 and 503 come only from server faults (fault injection). Malformed XML, DTDs and
entities (``XML_FORBIDDEN``), a missing or wrong SOAPAction and unknown operations are client
faults. Code lists (``Sex`` L/P, ``Category``, ``Status``, ``Priority``) are in
connectors.embassy.dialect.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from connectors.embassy.dialect import (
    CONTENT_TYPE,
    MAX_BODY_BYTES,
    NS,
    PATH,
    parse_soap_action,
)
from connectors.embassy.sandbox.operations import OPERATIONS, Context
from connectors.embassy.sandbox.render import EmbassyView
from connectors.embassy.sandbox.wsdl import wsdl
from connectors.embassy.soap import (
    CLIENT,
    MUST_UNDERSTAND,
    SERVER,
    Fault,
    SoapError,
    client_error,
    envelope,
    open_envelope,
    qs,
)
from connectors.kit.auth.mtls import generate_certificates, server_ssl_kwargs
from connectors.sandbox.app import SandboxConfig, build_sandbox
from connectors.sandbox.data import SandboxData

# Development-only: Peduli WNI has no HTTP-level credentials; its credentials are the TLS
# certificates generated into ``config.certs_dir`` (``server_ssl``). Never deploy them.
DEV_CREDENTIALS: dict[str, str] = {}
DEFAULT_CERTS_DIR = Path(tempfile.gettempdir()) / "pmihub-embassy-certs"

_PESAN = {
    "NOT_FOUND": "Alamat tidak ditemukan",
    "METHOD_NOT_ALLOWED": "Metode tidak diizinkan; gunakan POST dengan amplop SOAP",
    "RATE_LIMITED": "Terlalu banyak permintaan, coba lagi nanti",
    "SERVICE_DOWN": "Layanan sedang tidak tersedia",
    "INTERNAL_ERROR": "Terjadi kesalahan pada server",
}


def render_error(status: int, code: str, message: str) -> Response:
    """Peduli WNI's Fault, for the kit's 404/405/429/500/503 too."""
    faultcode = SERVER if status >= 500 else CLIENT
    fallback = _PESAN["INTERNAL_ERROR"] if status >= 500 else "Permintaan tidak dapat diproses"
    return _fault(Fault(faultcode, code, message, _PESAN.get(code, fallback)), status)


def _fault(fault: Fault, status: int) -> Response:
    return Response(fault.to_xml(), status, media_type=CONTENT_TYPE)


def garbage() -> Response:
    """An answer cut off mid-element, as a crashed worker or a failing proxy leaves it."""
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="'
        b'http://schemas.xmlsoap.org/soap/envelope/" xmlns:pw="urn:kemlu:peduliwni:ws:2018">'
        b"<soap:Body><pw:GetCitizenRecordsResponse><pw:CitizenRecord><pw:RecordId>HKG-WNI-20"
    )
    return Response(body, 200, media_type=CONTENT_TYPE)


def server_ssl(config: SandboxConfig) -> dict[str, Any]:
    """uvicorn's ssl_* options: certificates in ``config.certs_dir``, client certs required."""
    return server_ssl_kwargs(generate_certificates(config.certs_dir or DEFAULT_CERTS_DIR))


def _client_key(headers: Headers) -> str:
    return "mtls"  # the client certificate is not visible to the app: one shared bucket


async def _read_body(request: Request) -> bytes:
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != "text/xml":
        raise client_error(
            "UNSUPPORTED_MEDIA_TYPE",
            "SOAP 1.1 requests are text/xml",
            "Permintaan SOAP 1.1 harus bertipe text/xml",
            415,
        )
    too_large = client_error(
        "REQUEST_TOO_LARGE",
        f"The request exceeds {MAX_BODY_BYTES} bytes",
        f"Permintaan melebihi {MAX_BODY_BYTES} byte",
        413,
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _check_header(header: Element | None) -> None:
    """SOAP 1.1 §4.2.3: a header entry we must understand but do not is a fault."""
    for entry in header if header is not None else ():
        if entry.get(qs("mustUnderstand")) == "1":
            raise SoapError(
                Fault(
                    MUST_UNDERSTAND,
                    "MUST_UNDERSTAND",
                    "A header entry marked mustUnderstand is not understood",
                    "Ada entri header wajib yang tidak dipahami",
                )
            )


def _operation(request: Request, op: Element) -> str:
    """The operation both the SOAPAction header and the Body name."""
    raw = request.headers.get("soapaction")
    if raw is None:
        raise client_error(
            "SOAPACTION_MISSING", "The SOAPAction header is required", "Header SOAPAction wajib"
        )
    action = parse_soap_action(raw)
    namespace, _, name = op.tag.rpartition("}")
    if namespace != "{" + NS or name not in OPERATIONS:
        raise client_error("UNKNOWN_OPERATION", "Unknown operation", "Operasi tidak dikenal")
    if action != name:
        raise client_error(
            "SOAPACTION_MISMATCH",
            "The SOAPAction header does not name the operation in the Body",
            "Header SOAPAction tidak sesuai dengan operasi dalam Body",
        )
    return name


def create_app(data: SandboxData, config: SandboxConfig) -> Starlette:
    ctx = Context(data, EmbassyView(data), config)

    async def service(request: Request) -> Response:
        if request.method == "GET":
            if "wsdl" in request.query_params:
                location = str(request.url.replace(query=None))
                return Response(wsdl(location), media_type=CONTENT_TYPE)
            return render_error(
                405, "METHOD_NOT_ALLOWED", "Use POST with a SOAP envelope, or GET ?wsdl"
            )
        try:
            header, op = open_envelope(await _read_body(request))
            _check_header(header)
            answer = OPERATIONS[_operation(request, op)](op, ctx)
        except SoapError as exc:
            return _fault(exc.fault, exc.status)
        except ClientDisconnect:  # the caller gave up (its timeout): nobody reads this answer
            return render_error(400, "CLIENT_DISCONNECTED", "The client closed the connection")
        return Response(envelope(answer), media_type=CONTENT_TYPE)

    return build_sandbox(
        name="EMBASSY",
        routes=[Route(PATH, service, methods=["GET", "POST"])],
        data=data,
        config=config,
        render_error=render_error,
        garbage=garbage,
        client_key=_client_key,
    )
