"""P2MI (BNP2TKI -> BP2MI -> KP2MI): SISKOP2MI placements, PMI card, orientation, complaints.

``connect(base_url, {"api_key": ...})`` builds the connector over one long-lived client; the
optional credential ``api_key_header`` renames the key header (default ``X-Api-Key``).
The wire format is documented in connectors.p2mi.sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from connectors.kit.auth.apikey import ApiKeyAuth
from connectors.kit.limits import response_limits
from connectors.kit.transport import AgencyTransport
from connectors.p2mi.client import P2miConnector
from connectors.p2mi.dialect import API_KEY_HEADER


def connect(
    base_url: str,
    credentials: Mapping[str, str],
    *,
    batch_size: int = 100,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> P2miConnector:
    """A P2miConnector with its own keep-alive client; ``credentials["api_key"]`` is required."""
    key = credentials.get("api_key")
    if not key:
        raise ValueError("P2MI needs credentials['api_key'] (HUB_AGENCY_P2MI_API_KEY)")
    auth = ApiKeyAuth(key, header=credentials.get("api_key_header", API_KEY_HEADER))
    http = httpx.AsyncClient(
        base_url=base_url,
        auth=auth,
        timeout=timeout,
        transport=transport or AgencyTransport(),
        headers={"Accept": "application/json"},
        event_hooks=response_limits(credentials),
    )
    return P2miConnector(http, batch_size=batch_size)


__all__ = ["P2miConnector", "connect"]
