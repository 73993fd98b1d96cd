"""Requests Peduli WNI refuses, and the sandbox kit's injected faults, all as SOAP Faults."""

from __future__ import annotations

import time

import httpx
import pytest
from defusedxml import ElementTree as SafeET

from connectors.embassy.dialect import CONTENT_TYPE, MAX_BODY_BYTES, NS, NS_SOAP, PATH
from connectors.embassy.soap import Fault, open_envelope, read_fault

pytestmark = pytest.mark.anyio

PING = f'<soap:Envelope xmlns:soap="{NS_SOAP}" xmlns:pw="{NS}"><soap:Body><pw:Ping/></soap:Body></soap:Envelope>'  # noqa: E501
ACTION = f'"{NS}#Ping"'
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol3;
</soap:Body></soap:Envelope>"""
XXE = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&xxe;
</soap:Body></soap:Envelope>"""
DTD_ONLY = '<?xml version="1.0"?><!DOCTYPE soap:Envelope SYSTEM "x.dtd">' + PING


def fault_of(response: httpx.Response) -> Fault:
    assert response.headers["content-type"].startswith("text/xml")
    fault = read_fault(open_envelope(response.content)[1])
    assert fault is not None
    return fault


def body(inner: str, header: str = "") -> str:
    return (
        f'<soap:Envelope xmlns:soap="{NS_SOAP}" xmlns:pw="{NS}">{header}'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    )


@pytest.mark.parametrize(
    ("content", "action", "status", "faultcode", "code"),
    [
        ("<soap:Envelope", ACTION, 400, "soap:Client", "MALFORMED_XML"),
        (b"\xff\xfe<\x00broken", ACTION, 400, "soap:Client", "MALFORMED_XML"),
        (BOMB, ACTION, 400, "soap:Client", "XML_FORBIDDEN"),
        (XXE, ACTION, 400, "soap:Client", "XML_FORBIDDEN"),
        (DTD_ONLY, ACTION, 400, "soap:Client", "XML_FORBIDDEN"),
        (PING, None, 400, "soap:Client", "SOAPACTION_MISSING"),
        (PING, f'"{NS}#GetChanges"', 400, "soap:Client", "SOAPACTION_MISMATCH"),
        (PING, '"urn:other#Ping"', 400, "soap:Client", "SOAPACTION_MISMATCH"),
        (body("<pw:DeleteAll/>"), f'"{NS}#DeleteAll"', 400, "soap:Client", "UNKNOWN_OPERATION"),
        (body('<x:Ping xmlns:x="urn:x"/>'), ACTION, 400, "soap:Client", "UNKNOWN_OPERATION"),
        (body("<pw:Ping/><pw:Ping/>"), ACTION, 400, "soap:Client", "INVALID_BODY"),
        (body(""), ACTION, 400, "soap:Client", "INVALID_BODY"),
        (f'<soap:Envelope xmlns:soap="{NS_SOAP}"/>', ACTION, 400, "soap:Client", "NO_BODY"),
        ("<Ping/>", ACTION, 400, "soap:Client", "NOT_AN_ENVELOPE"),
        (
            PING.replace(NS_SOAP, "http://www.w3.org/2003/05/soap-envelope"),
            ACTION,
            400,
            "soap:VersionMismatch",
            "VERSION_MISMATCH",
        ),
        (
            body("<pw:Ping/>", '<soap:Header><pw:Trace soap:mustUnderstand="1"/></soap:Header>'),
            ACTION,
            400,
            "soap:MustUnderstand",
            "MUST_UNDERSTAND",
        ),
        (body("<pw:Ping><pw:Extra>1</pw:Extra></pw:Ping>"), ACTION, 400, "soap:Client", None),
    ],
)
async def test_a_request_the_service_cannot_take_is_a_client_fault(
    api: httpx.AsyncClient,
    content: str | bytes,
    action: str | None,
    status: int,
    faultcode: str,
    code: str | None,
) -> None:
    headers = {"Content-Type": CONTENT_TYPE} | ({"SOAPAction": action} if action else {})
    response = await api.post(PATH, content=content, headers=headers)
    assert response.status_code == status
    fault = fault_of(response)
    assert fault.faultcode == faultcode
    assert fault.code == (code or "UNEXPECTED_ELEMENT")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ("<pw:PageNumber>1</pw:PageNumber><pw:PageNumber>2</pw:PageNumber>", "DUPLICATE_ELEMENT"),
        ("<pw:PageNumber><pw:X>1</pw:X></pw:PageNumber>", "INVALID_VALUE"),
        ("<pw:Page>1</pw:Page>", "UNEXPECTED_ELEMENT"),
    ],
)
async def test_a_malformed_operation_is_a_client_fault(
    api: httpx.AsyncClient, fields: str, code: str
) -> None:
    headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": f'"{NS}#ListCitizenRecords"'}
    content = body(f"<pw:ListCitizenRecords>{fields}</pw:ListCitizenRecords>")
    response = await api.post(PATH, content=content, headers=headers)
    assert (response.status_code, fault_of(response).code) == (400, code)


async def test_soap_1_1_requests_must_be_text_xml(api: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json", "SOAPAction": ACTION}
    response = await api.post(PATH, content=PING, headers=headers)
    assert (response.status_code, fault_of(response).code) == (415, "UNSUPPORTED_MEDIA_TYPE")


async def test_an_oversized_request_is_refused(api: httpx.AsyncClient) -> None:
    padding = " " * MAX_BODY_BYTES
    headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": ACTION}
    response = await api.post(PATH, content=PING + padding, headers=headers)
    assert (response.status_code, fault_of(response).code) == (413, "REQUEST_TOO_LARGE")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", PATH, 405), ("PUT", PATH, 405), ("POST", "/ws/Other", 404), ("GET", "/", 404)],
)
async def test_other_methods_and_paths_answer_soap_faults(
    api: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await api.request(method, path)
    assert response.status_code == status
    assert fault_of(response).faultcode == "soap:Client"


async def _post_ping(api: httpx.AsyncClient) -> httpx.Response:
    headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": ACTION}
    return await api.post(PATH, content=PING, headers=headers)


async def _faults(api: httpx.AsyncClient, **settings: object) -> None:
    assert (await api.post("/_sandbox/faults", json=settings)).status_code == 200


async def test_injected_latency_delays_the_answer(api: httpx.AsyncClient) -> None:
    await _faults(api, latencyMs=80)
    started = time.perf_counter()
    response = await _post_ping(api)
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.08


async def test_an_error_rate_of_one_fails_every_call_as_a_server_fault(
    api: httpx.AsyncClient,
) -> None:
    await _faults(api, errorRate=1.0)
    for _ in range(3):
        response = await _post_ping(api)
        assert response.status_code == 500
        fault = fault_of(response)
        assert (fault.faultcode, fault.code) == ("soap:Server", "INTERNAL_ERROR")


async def test_a_service_that_is_down_answers_503(api: httpx.AsyncClient) -> None:
    await _faults(api, down=True)
    response = await _post_ping(api)
    assert response.status_code == 503
    fault = fault_of(response)
    assert (fault.faultcode, fault.code) == ("soap:Server", "SERVICE_DOWN")
    assert fault.pesan == "Layanan sedang tidak tersedia"


async def test_garbage_is_truncated_xml(api: httpx.AsyncClient) -> None:
    await _faults(api, garbage=True)
    response = await _post_ping(api)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    with pytest.raises(SafeET.ParseError):
        SafeET.fromstring(response.content)


async def test_the_rate_limit_answers_429_with_retry_after(api: httpx.AsyncClient) -> None:
    await _faults(api, rateLimitPerSecond=0.5, rateLimitBurst=1)
    assert (await _post_ping(api)).status_code == 200
    response = await _post_ping(api)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    fault = fault_of(response)
    assert (fault.faultcode, fault.code) == ("soap:Client", "RATE_LIMITED")
