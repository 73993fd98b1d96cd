"""Embassies and consulates (Kemlu): Portal Peduli WNI's lapor diri, endorsements and cases.

``connect(base_url, {"ca_cert": ..., "client_cert": ..., "client_key": ...})`` builds the
connector over one long-lived client that presents the client certificate (mutual TLS) and
trusts only ``ca_cert`` for the agency's server. With an injected ``transport`` (tests over
``httpx.ASGITransport``) there is no TLS and the certificates are not needed. The wire format
is documented in connectors.embassy.sandbox.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping

import httpx

from connectors.embassy.client import EmbassyConnector
from connectors.kit.auth.mtls import client_ssl_context
from connectors.kit.limits import response_limits
from connectors.kit.transport import AgencyTransport

CERT_KEYS = ("ca_cert", "client_cert", "client_key")


def connect(
    base_url: str,
    credentials: Mapping[str, str],
    *,
    batch_size: int = 100,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EmbassyConnector:
    """An EmbassyConnector with its own keep-alive client; the three certificate paths are
    required unless a transport is injected."""
    verify: ssl.SSLContext | bool = True
    if transport is None:
        missing = [key for key in CERT_KEYS if not credentials.get(key)]
        if missing:
            names = ", ".join(f"HUB_AGENCY_EMBASSY_{key.upper()}" for key in missing)
            raise ValueError(f"the embassy connector needs certificate files: {names}")
        try:
            verify = client_ssl_context(*(credentials[key] for key in CERT_KEYS))
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(
                f"the embassy certificates cannot be loaded ({type(exc).__name__})"
            ) from exc
    http = httpx.AsyncClient(
        base_url=base_url,
        verify=verify,
        timeout=timeout,
        transport=transport or AgencyTransport(verify),
        event_hooks=response_limits(credentials),
    )
    return EmbassyConnector(http, batch_size=batch_size)


__all__ = ["EmbassyConnector", "connect"]
