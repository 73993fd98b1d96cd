"""Every way a Peduli WNI call can fail leaves the connector as a typed ConnectorError."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.embassy import EmbassyConnector, connect
from connectors.embassy.dialect import NS, NS_SOAP
from connectors.kit.base import LookupKey
from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BadResponse,
    ConnectorError,
)
from connectors.sandbox.serve import free_port

pytestmark = pytest.mark.anyio

SITI = "HKG-WNI-2024-000987"
Call = Callable[[EmbassyConnector], Awaitable[Any]]
CALLS: dict[str, Call] = {
    "fetch": lambda c: c.fetch([SITI]),
    "find": lambda c: c.find(LookupKey.PASSPORT, ["C1234567"]),
    "changes": lambda c: c.changes(None),
}
RECORD = (
    "<pw:RecordId>R-1</pw:RecordId><pw:FullName>A</pw:FullName><pw:BirthDate>1990-01-01"
    "</pw:BirthDate>"
)


def soap_body(inner: str) -> bytes:
    return (
        f'<soap:Envelope xmlns:soap="{NS_SOAP}" xmlns:pw="{NS}"><soap:Body>{inner}'
        "</soap:Body></soap:Envelope>"
    ).encode()


def answering(status: int, content: bytes, **headers: str) -> EmbassyConnector:
    """A connector whose agency always gives this answer."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers=headers)

    return EmbassyConnector(
        httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="https://x.test")
    )


def raising(exc: Exception) -> EmbassyConnector:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return EmbassyConnector(
        httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="https://x.test")
    )


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"garbage": True}, BadResponse),
        ({"down": True}, AgencyUnavailable),
        ({"errorRate": 1.0}, AgencyUnavailable),
    ],
)
async def test_sandbox_faults_become_typed_errors(
    connector: EmbassyConnector,
    api: httpx.AsyncClient,
    call: str,
    faults: dict[str, object],
    error: type[ConnectorError],
) -> None:
    await api.post("/_sandbox/faults", json=faults)
    with pytest.raises(error) as raised:
        await CALLS[call](connector)
    assert raised.value.agency == "EMBASSY"
    assert type(raised.value) is error


async def test_a_rate_limit_carries_retry_after(
    connector: EmbassyConnector, api: httpx.AsyncClient
) -> None:
    await api.post("/_sandbox/faults", json={"rateLimitPerSecond": 0.5, "rateLimitBurst": 1})
    await connector.fetch([SITI])
    with pytest.raises(AgencyRateLimited) as raised:
        await connector.fetch([SITI])
    assert raised.value.retry_after is not None and raised.value.retry_after >= 1


async def test_a_client_fault_is_a_bad_response_naming_its_code(
    connector: EmbassyConnector,
) -> None:
    with pytest.raises(BadResponse, match="INVALID_CURSOR"):
        await connector.changes("not-our-cursor")


@pytest.mark.parametrize("status", [401, 403])
async def test_a_gateway_refusing_us_is_a_rejection(status: int) -> None:
    connector = answering(status, b"")
    with pytest.raises(AgencyRejected):
        await connector.fetch([SITI])


@pytest.mark.parametrize(
    ("status", "content", "message"),
    [
        (200, b"{}", "not SOAP (MALFORMED_XML)"),
        (200, b'<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>', "not SOAP (XML_FORBIDDEN)"),
        (200, soap_body("<pw:PingResponse/>"), "answered with another element"),
        (
            200,
            soap_body(
                "<soap:Fault><faultcode>soap:Server</faultcode><detail><pw:FaultDetail>"
                "<pw:Code>3506124508900003</pw:Code></pw:FaultDetail></detail></soap:Fault>"
            ),
            "UNKNOWN_FAULT",  # a "code" that is not one is never copied into our messages
        ),
        (400, b"not xml", "no SOAP fault"),
        (404, b"", "HTTP 404"),
        (302, b"", "HTTP 302"),
    ],
)
async def test_an_unusable_answer_is_a_bad_response(
    status: int, content: bytes, message: str
) -> None:
    with pytest.raises(BadResponse, match=message.replace("(", r"\(").replace(")", r"\)")):
        await answering(status, content).fetch([SITI])


@pytest.mark.parametrize(
    ("record", "where"),
    [
        ("<pw:RecordId>R-1</pw:RecordId>", "CitizenRecord.FullName is missing"),
        (RECORD.replace("1990-01-01", "1990-02-30"), "BirthDate has an impossible value"),
        (RECORD + "<pw:Sex>X</pw:Sex>", "Sex has an impossible value"),
        (RECORD + "<pw:Nik>123</pw:Nik>", "Nik has an impossible value"),
        (
            RECORD + "<pw:SelfReports><pw:SelfReport/></pw:SelfReports>",
            "SelfReport.ReportedOn is missing",
        ),
        (
            RECORD + "<pw:SelfReports><pw:SelfReport><pw:ReportedOn>2020-01-01</pw:ReportedOn>"
            "<pw:Mission><pw:Code>HKG</pw:Code></pw:Mission></pw:SelfReport></pw:SelfReports>",
            "SelfReport.Mission.Name is missing",
        ),
        (
            RECORD + "<pw:ConsularCases><pw:ConsularCase><pw:CaseNumber>C</pw:CaseNumber>"
            "<pw:Category>PERANG</pw:Category></pw:ConsularCase></pw:ConsularCases>",
            "ConsularCase.Category has an impossible value",
        ),
        (
            RECORD + "<pw:ConsularCases><pw:ConsularCase><pw:CaseNumber>C</pw:CaseNumber>"
            "<pw:Category>SAKIT</pw:Category><pw:Status>BARU</pw:Status><pw:Priority>1"
            "</pw:Priority><pw:OpenedAt>2026-01-01T10:00:00</pw:OpenedAt><pw:Summary>S"
            "</pw:Summary></pw:ConsularCase></pw:ConsularCases>",
            "OpenedAt has an impossible value",  # an instant without its offset
        ),
    ],
)
async def test_a_record_outside_the_schema_is_a_bad_response(record: str, where: str) -> None:
    content = soap_body(
        f"<pw:GetCitizenRecordsResponse><pw:CitizenRecord>{record}</pw:CitizenRecord>"
        "</pw:GetCitizenRecordsResponse>"
    )
    with pytest.raises(BadResponse, match=where):
        await answering(200, content).fetch(["R-1"])


@pytest.mark.parametrize(
    ("inner", "where"),
    [
        ("<pw:HasMore>true</pw:HasMore>", "NextCursor is missing"),
        ("<pw:NextCursor>c</pw:NextCursor><pw:HasMore>perhaps</pw:HasMore>", "not a boolean"),
    ],
)
async def test_a_feed_page_outside_the_schema_is_a_bad_response(inner: str, where: str) -> None:
    content = soap_body(f"<pw:GetChangesResponse>{inner}</pw:GetChangesResponse>")
    with pytest.raises(BadResponse, match=where):
        await answering(200, content).changes(None)


async def test_a_timeout_is_agency_timeout() -> None:
    with pytest.raises(AgencyTimeout):
        await raising(httpx.ReadTimeout("slow")).fetch([SITI])


async def test_an_untrusted_server_certificate_is_named() -> None:
    cause = ssl.SSLCertVerificationError("certificate verify failed")
    exc = httpx.ConnectError("handshake failed")
    exc.__cause__ = cause
    with pytest.raises(AgencyUnavailable, match="server certificate is not trusted"):
        await raising(exc).fetch([SITI])


async def test_an_unreachable_agency_is_unavailable() -> None:
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}", timeout=2)
    connector = EmbassyConnector(http)
    with pytest.raises(AgencyUnavailable):
        await connector.fetch([SITI])
    await connector.aclose()


def test_connect_needs_the_certificates_without_a_transport(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="HUB_AGENCY_EMBASSY_CLIENT_KEY"):
        connect("https://x.test", {"ca_cert": "a", "client_cert": "b"})
    missing = {k: str(tmp_path / k) for k in ("ca_cert", "client_cert", "client_key")}
    with pytest.raises(ValueError, match="cannot be loaded"):
        connect("https://x.test", missing)


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        EmbassyConnector(httpx.AsyncClient(), batch_size=0)
