"""Development certificates for mutual TLS: what is generated, and when it is reused."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from connectors.embassy.sandbox import server_ssl
from connectors.kit.auth.mtls import (
    CertPaths,
    client_ssl_context,
    generate_certificates,
    server_ssl_kwargs,
)
from connectors.sandbox.app import SandboxConfig

FILES = ("ca_cert", "server_cert", "server_key", "client_cert", "client_key")


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def contents(paths: CertPaths) -> dict[str, bytes]:
    return {name: getattr(paths, name).read_bytes() for name in FILES}


def test_a_ca_a_server_and_a_client_certificate_are_generated(tmp_path: Path) -> None:
    # when
    paths = generate_certificates(tmp_path / "certs")
    # then
    ca, server, client = load(paths.ca_cert), load(paths.server_cert), load(paths.client_cert)
    server.verify_directly_issued_by(ca)
    client.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    sans = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
    usage = client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    for key in (paths.server_key, paths.client_key):
        assert key.stat().st_mode & 0o777 == 0o600
    assert not list(paths.directory.glob("*.tmp"))
    assert not list(paths.directory.glob("ca*.key"))  # the CA key is never kept


def test_valid_certificates_are_reused(tmp_path: Path) -> None:
    first = contents(generate_certificates(tmp_path))
    assert contents(generate_certificates(tmp_path)) == first


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: p.client_key.unlink(),
        lambda p: p.server_cert.write_text("not a certificate"),
        lambda p: p.client_key.write_bytes(p.server_key.read_bytes()),  # key of another cert
        lambda p: p.server_key.chmod(0o644),
    ],
)
def test_a_damaged_set_is_regenerated_whole(tmp_path: Path, spoil) -> None:
    # given
    paths = generate_certificates(tmp_path)
    before = contents(paths)
    spoil(paths)
    # when
    after = contents(generate_certificates(tmp_path))
    # then
    assert all(after[name] != before[name] for name in FILES)
    assert paths.server_key.stat().st_mode & 0o777 == 0o600
    load(paths.server_cert).verify_directly_issued_by(load(paths.ca_cert))


def test_other_hostnames_get_a_new_server_certificate(tmp_path: Path) -> None:
    before = contents(generate_certificates(tmp_path))
    paths = generate_certificates(tmp_path, hostnames=("127.0.0.1", "::1", "peduliwni.test"))
    assert contents(paths)["server_cert"] != before["server_cert"]
    sans = load(paths.server_cert).extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert sans.value.get_values_for_type(x509.DNSName) == ["peduliwni.test"]
    assert ipaddress.ip_address("::1") in sans.value.get_values_for_type(x509.IPAddress)


def test_the_server_requires_client_certificates_from_our_ca(tmp_path: Path) -> None:
    paths = generate_certificates(tmp_path)
    assert server_ssl_kwargs(paths) == {
        "ssl_certfile": str(paths.server_cert),
        "ssl_keyfile": str(paths.server_key),
        "ssl_ca_certs": str(paths.ca_cert),
        "ssl_cert_reqs": ssl.CERT_REQUIRED,
    }
    assert server_ssl(SandboxConfig(certs_dir=tmp_path)) == server_ssl_kwargs(paths)


def test_the_client_context_verifies_the_server(tmp_path: Path) -> None:
    paths = generate_certificates(tmp_path)
    context = client_ssl_context(paths.ca_cert, paths.client_cert, paths.client_key)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    with pytest.raises(ssl.SSLError):
        client_ssl_context(paths.ca_cert, paths.client_cert, paths.server_key)
