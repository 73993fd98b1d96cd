"""BPJS Ketenagakerjaan (BPJSTK-PMI): membership, programmes JKK/JKM/JHT, contributions, claims.

REST/JSON in a VClaim-style ``metaData``/``response`` envelope with an encrypted ``response``,
signed with consumer id, timestamp and HMAC headers. sandbox.py documents the API.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from connectors.bpjs.client import BpjsConnector, BpjsCredentials
from connectors.kit.limits import response_limits
from connectors.kit.transport import AgencyTransport


def connect(
    base_url: str,
    credentials: Mapping[str, str],
    *,
    batch_size: int = 100,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> BpjsConnector:
    """A connector on one long-lived client; ``credentials``: cons_id, secret, user_key."""
    creds = BpjsCredentials.from_mapping(credentials)  # fail before opening a client
    http = httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout,
        transport=transport or AgencyTransport(),
        headers={"Accept": "application/json"},
        event_hooks=response_limits(credentials),
    )
    return BpjsConnector(http, creds, batch_size=batch_size)


__all__ = ["BpjsConnector", "BpjsCredentials", "connect"]
