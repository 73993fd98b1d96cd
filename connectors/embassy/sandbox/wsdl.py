"""The small WSDL 1.1 document served at ``GET /ws/PeduliWNI?wsdl`` (document/literal)."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from connectors.embassy.dialect import NS, NS_SOAP, SYSTEM, Operation, action_uri

_HEAD = f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:env="{NS_SOAP}" xmlns:pw="{NS}" targetNamespace="{NS}" name="{SYSTEM}">
  <wsdl:documentation>Portal Peduli WNI (Kemlu): lapor diri, contract endorsements and
    consular cases. Clients authenticate with a TLS client certificate.</wsdl:documentation>
  <wsdl:types>
    <xsd:schema targetNamespace="{NS}" elementFormDefault="qualified">
      <xsd:complexType name="Open"><xsd:sequence>
        <xsd:any minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
      </xsd:sequence></xsd:complexType>
"""


def wsdl(location: str) -> bytes:
    """The service description, pointing at ``location`` (the URL it was fetched from)."""
    operations = [op.value for op in Operation]
    parts = [_HEAD]
    for op in operations:
        parts.append(f'      <xsd:element name="{op}" type="pw:Open"/>\n')
        parts.append(f'      <xsd:element name="{op}Response" type="pw:Open"/>\n')
    parts.append("    </xsd:schema>\n  </wsdl:types>\n")
    for op in operations:
        for suffix in ("", "Response"):
            parts.append(
                f'  <wsdl:message name="{op}{suffix}">'
                f'<wsdl:part name="body" element="pw:{op}{suffix}"/></wsdl:message>\n'
            )
    parts.append(f'  <wsdl:portType name="{SYSTEM}PortType">\n')
    for op in operations:
        parts.append(
            f'    <wsdl:operation name="{op}"><wsdl:input message="pw:{op}"/>'
            f'<wsdl:output message="pw:{op}Response"/></wsdl:operation>\n'
        )
    parts.append("  </wsdl:portType>\n")
    parts.append(
        f'  <wsdl:binding name="{SYSTEM}Binding" type="pw:{SYSTEM}PortType">\n'
        '    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>\n'
    )
    for op in operations:
        parts.append(
            f'    <wsdl:operation name="{op}">'
            f"<soap:operation soapAction={quoteattr(action_uri(op))}/>"
            '<wsdl:input><soap:body use="literal"/></wsdl:input>'
            '<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>\n'
        )
    parts.append("  </wsdl:binding>\n")
    parts.append(
        f'  <wsdl:service name="{SYSTEM}Service"><wsdl:port name="{SYSTEM}Port" '
        f'binding="pw:{SYSTEM}Binding"><soap:address location={quoteattr(location)}/>'
        "</wsdl:port></wsdl:service>\n</wsdl:definitions>\n"
    )
    return "".join(parts).encode()
