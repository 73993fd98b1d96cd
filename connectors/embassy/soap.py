"""SOAP 1.1 envelopes and faults: built with xml.etree, parsed only with defusedxml.

Both sides use this module: the sandbox reads requests and writes answers, the connector
writes requests and reads answers. Parsing refuses DTDs, entity declarations and external
references (XML bombs, XXE) as ``SoapError`` with code ``XML_FORBIDDEN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # building only: parsing goes through defusedxml
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from connectors.embassy.dialect import NS, NS_SOAP

# Process-wide, but only for these two URIs: answers read ``soap:``/``pw:`` instead of ``ns0:``.
ET.register_namespace("soap", NS_SOAP)
ET.register_namespace("pw", NS)

CLIENT = "soap:Client"
SERVER = "soap:Server"
VERSION_MISMATCH = "soap:VersionMismatch"
MUST_UNDERSTAND = "soap:MustUnderstand"

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def q(name: str) -> str:
    """A Peduli WNI element name."""
    return f"{{{NS}}}{name}"


def qs(name: str) -> str:
    """A SOAP envelope element name."""
    return f"{{{NS_SOAP}}}{name}"


def sub(parent: Element, name: str, text: str | None = None) -> Element:
    """Append ``<pw:name>text</pw:name>``; ElementTree escapes, we drop what XML cannot hold."""
    child = ET.SubElement(parent, q(name))
    if text is not None:
        child.text = _NOT_XML.sub("", text)
    return child


def element(name: str) -> Element:
    return Element(q(name))


def envelope(payload: Element) -> bytes:
    root = Element(qs("Envelope"))
    ET.SubElement(root, qs("Body")).append(payload)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True, slots=True)
class Fault:
    """A SOAP 1.1 Fault with Peduli WNI's detail: a stable code and the text in EN and ID."""

    faultcode: str
    code: str
    message: str
    pesan: str

    def to_xml(self) -> bytes:
        fault = Element(qs("Fault"))
        ET.SubElement(fault, "faultcode").text = self.faultcode
        ET.SubElement(fault, "faultstring").text = _NOT_XML.sub("", self.message)
        detail = sub(ET.SubElement(fault, "detail"), "FaultDetail")
        sub(detail, "Code", self.code)
        sub(detail, "Message", self.message)
        sub(detail, "Pesan", self.pesan)
        root = Element(qs("Envelope"))
        ET.SubElement(root, qs("Body")).append(fault)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


class SoapError(Exception):
    """An envelope that cannot be read, as the Fault that answers it."""

    def __init__(self, fault: Fault, status: int | None = None) -> None:
        super().__init__(f"{fault.code}: {fault.message}")
        self.fault = fault
        self.status = status or (500 if fault.faultcode == SERVER else 400)


def client_error(code: str, message: str, pesan: str, status: int = 400) -> SoapError:
    return SoapError(Fault(CLIENT, code, message, pesan), status)


def parse_xml(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise client_error(
            "XML_FORBIDDEN",
            "DTDs, entity declarations and external references are not accepted",
            "DTD, deklarasi entitas dan referensi eksternal tidak diterima",
        ) from exc
    except (SafeET.ParseError, ValueError, LookupError) as exc:
        raise client_error(
            "MALFORMED_XML", "The body is not well-formed XML", "Isi pesan bukan XML yang valid"
        ) from exc


def open_envelope(data: bytes) -> tuple[Element | None, Element]:
    """The Header (if any) and the single element inside Body."""
    root = parse_xml(data)
    if root.tag != qs("Envelope"):
        if root.tag.rpartition("}")[2] == "Envelope":
            raise SoapError(
                Fault(
                    VERSION_MISMATCH,
                    "VERSION_MISMATCH",
                    f"Only SOAP 1.1 envelopes ({NS_SOAP}) are understood",
                    "Hanya amplop SOAP 1.1 yang dipahami",
                )
            )
        raise client_error("NOT_AN_ENVELOPE", "Not a SOAP envelope", "Bukan amplop SOAP")
    body = root.find(qs("Body"))
    if body is None:
        raise client_error("NO_BODY", "The envelope has no Body", "Amplop tidak memiliki Body")
    items = list(body)
    if len(items) != 1:
        raise client_error(
            "INVALID_BODY",
            "The Body must hold exactly one element",
            "Body harus berisi tepat satu elemen",
        )
    return root.find(qs("Header")), items[0]


def read_fault(node: Element) -> Fault | None:
    """The Fault in an answer's Body, or None when the answer is not a fault."""
    if node.tag != qs("Fault"):
        return None
    detail = node.find(f"detail/{q('FaultDetail')}")

    def detail_text(name: str) -> str:
        found = detail.find(q(name)) if detail is not None else None
        return (found.text or "").strip() if found is not None else ""

    return Fault(
        faultcode=(node.findtext("faultcode") or "").strip(),
        code=detail_text("Code") or "UNKNOWN",
        message=(node.findtext("faultstring") or "").strip(),
        pesan=detail_text("Pesan"),
    )
