"""Client-side pieces for each agency auth scheme, each an ``httpx.Auth`` or an SSL context.

- OAuth 2.0 client credentials (RFC 6749 §4.4) with token caching and refresh: ``oauth``
- an API key header: ``apikey``
- consumer id + timestamp + HMAC-SHA256 signature headers (BPJS VClaim style): ``hmac``
- mutual TLS with generated certificates: ``mtls``
"""

from connectors.kit.auth.apikey import ApiKeyAuth
from connectors.kit.auth.hmac import ConsumerSignatureAuth, signature, signature_valid
from connectors.kit.auth.mtls import (
    CertPaths,
    client_ssl_context,
    generate_certificates,
    server_ssl_kwargs,
    tls_errors,
)
from connectors.kit.auth.oauth import AccessToken, ClientCredentialsAuth

__all__ = [
    "AccessToken",
    "ApiKeyAuth",
    "CertPaths",
    "ClientCredentialsAuth",
    "ConsumerSignatureAuth",
    "client_ssl_context",
    "generate_certificates",
    "server_ssl_kwargs",
    "signature",
    "signature_valid",
    "tls_errors",
]
