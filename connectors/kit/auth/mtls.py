"""Mutual TLS for the embassy link: development certificates and the two TLS sides.

Portal Peduli WNI authenticates systems by client certificate (DESIGN.md, dialect table), so
unlike the other schemes this one is not an ``httpx.Auth``: it lives below HTTP, in the
``ssl.SSLContext`` handed to the connector's client (``verify=``) and in uvicorn's ``ssl_*``
options on the sandbox side.

``generate_certificates`` makes a private CA, a server certificate for loopback (IP and DNS
subject alternative names) and a client certificate, with ``cryptography`` (ECDSA P-256).
These are development certificates for the sandbox and the demo only; a real deployment is
given certificates issued by the agency. Keys are written with mode 0600 and never leave the
directory; the CA key is not kept at all (the set is regenerated as a whole when needed).
Calling it again reuses the files while they are still valid for the requested hostnames.

``tls_errors`` is ``connectors.kit.http.agency_errors`` for mutual TLS: a server certificate we
do not trust is named as such; a client certificate the agency refuses surfaces as
``AgencyUnavailable`` (see there why it cannot be ``AgencyRejected``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from connectors.kit.errors import AgencyTimeout, AgencyUnavailable
from connectors.kit.http import agency_errors

VALIDITY = timedelta(days=365)
RENEW_BEFORE = timedelta(days=7)  # reuse only certificates valid at least this much longer
ORGANISATION = "PMI Hub development (not for production)"


@dataclass(frozen=True, slots=True)
class CertPaths:
    directory: Path

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def server_cert(self) -> Path:
        return self.directory / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.directory / "server.key"

    @property
    def client_cert(self) -> Path:
        return self.directory / "client.pem"

    @property
    def client_key(self) -> Path:
        return self.directory / "client.key"


def generate_certificates(
    directory: Path, *, hostnames: Sequence[str] = ("127.0.0.1", "localhost")
) -> CertPaths:
    """A CA, a server and a client certificate in ``directory``; reuse them while valid."""
    paths = CertPaths(Path(directory))
    if _reusable(paths, hostnames):
        return paths
    paths.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("PMI Hub development CA")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key, server_cert = _leaf(ca_cert, ca_key, "sandbox.peduliwni.test", now, hostnames)
    client_key, client_cert = _leaf(ca_cert, ca_key, "pmihub-connector", now, None)
    _write(paths.server_key, _key_pem(server_key), secret=True)
    _write(paths.client_key, _key_pem(client_key), secret=True)
    _write(paths.server_cert, server_cert.public_bytes(serialization.Encoding.PEM))
    _write(paths.client_cert, client_cert.public_bytes(serialization.Encoding.PEM))
    _write(paths.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM))  # last: marks done
    return paths


def client_ssl_context(
    ca_cert: str | Path, client_cert: str | Path, client_key: str | Path
) -> ssl.SSLContext:
    """Verify the agency against ``ca_cert`` and present our client certificate."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca_cert))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(client_cert), str(client_key))
    return context


def server_ssl_kwargs(paths: CertPaths) -> dict[str, Any]:
    """uvicorn's options for a server that requires a client certificate from our CA."""
    return {
        "ssl_certfile": str(paths.server_cert),
        "ssl_keyfile": str(paths.server_key),
        "ssl_ca_certs": str(paths.ca_cert),
        "ssl_cert_reqs": ssl.CERT_REQUIRED,
    }


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, now: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
    )


def _key_usage(*, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    common_name: str,
    now: datetime,
    hostnames: Sequence[str] | None,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A server certificate when ``hostnames`` is given, else a client certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    usage = ExtendedKeyUsageOID.SERVER_AUTH if hostnames else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        _builder(_name(common_name), ca_cert.subject, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
    )
    if hostnames:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([_general_name(h) for h in hostnames]), critical=False
        )
    return key, builder.sign(ca_key, hashes.SHA256())


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, content: bytes, *, secret: bool = False) -> None:
    """Write atomically; keys are 0600 from the moment the file exists."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    try:
        os.fchmod(fd, 0o600 if secret else 0o644)
        os.write(fd, content)
    finally:
        os.close(fd)
    temporary.replace(path)


def _reusable(paths: CertPaths, hostnames: Sequence[str]) -> bool:
    """Whether every file is there, untampered, signed by the CA and valid for a while yet."""
    try:
        ca = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
        server = x509.load_pem_x509_certificate(paths.server_cert.read_bytes())
        client = x509.load_pem_x509_certificate(paths.client_cert.read_bytes())
        pairs = [
            (server, serialization.load_pem_private_key(paths.server_key.read_bytes(), None)),
            (client, serialization.load_pem_private_key(paths.client_key.read_bytes(), None)),
        ]
        sans = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for cert, key in pairs:
            cert.verify_directly_issued_by(ca)
            if cert.public_key() != key.public_key():
                return False
    except (OSError, ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    if any(p.stat().st_mode & 0o077 for p in (paths.server_key, paths.client_key)):
        return False
    deadline = datetime.now(UTC) + RENEW_BEFORE
    if any(cert.not_valid_after_utc < deadline for cert in (ca, server, client)):
        return False
    return all(_general_name(host) in sans for host in hostnames)


@contextlib.contextmanager
def tls_errors(agency: str) -> Iterator[None]:
    """``agency_errors`` with a clear message when the agency's certificate is not trusted.

    A client certificate the agency refuses cannot be told apart from a dropped connection:
    under TLS 1.3 the server checks it after the client's handshake is done, and uvicorn (like
    many servers) just closes the connection. It therefore surfaces as ``AgencyUnavailable``.
    """
    try:
        with agency_errors(agency):
            yield
    except AgencyUnavailable as exc:
        if isinstance(exc, AgencyTimeout) or not _caused_by(exc, ssl.SSLCertVerificationError):
            raise
        raise AgencyUnavailable(
            agency, "the agency's server certificate is not trusted (check ca_cert)"
        ) from exc.__cause__


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, kind):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
