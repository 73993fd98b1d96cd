"""Build a Kemnaker connector: one long-lived client carrying the OAuth auth."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import httpx

from connectors.kemnaker.client import KemnakerConnector
from connectors.kemnaker.mapping import AGENCY
from connectors.kit.auth.oauth import ClientCredentialsAuth
from connectors.kit.limits import response_limits
from connectors.kit.transport import AgencyTransport

TOKEN_PATH = "oauth/token"  # noqa: S105 - a URL path, not a secret


def build_auth(
    base_url: str, credentials: Mapping[str, str], *, clock: Callable[[], float] = time.monotonic
) -> ClientCredentialsAuth:
    """Client credentials auth from ``client_id``, ``client_secret`` and optionally
    ``token_url`` (default ``<base_url>/oauth/token``), ``scope`` and ``auth_method``
    (``client_secret_basic``, the default, or ``client_secret_post``)."""
    client_id, secret = credentials.get("client_id"), credentials.get("client_secret")
    if not client_id or not secret:
        raise ValueError("Kemnaker credentials need client_id and client_secret")
    token_url = credentials.get("token_url") or f"{base_url.rstrip('/')}/{TOKEN_PATH}"
    return ClientCredentialsAuth(
        token_url,
        client_id,
        secret,
        agency=AGENCY,
        auth_method=credentials.get("auth_method") or "client_secret_basic",
        scope=credentials.get("scope") or None,
        clock=clock,
    )


def connect(
    base_url: str,
    credentials: Mapping[str, str],
    *,
    batch_size: int = 100,
    timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> KemnakerConnector:
    """A connector on one keep-alive client (``transport`` injected in tests)."""
    http = httpx.AsyncClient(
        base_url=base_url,
        auth=build_auth(base_url, credentials),
        timeout=timeout,
        transport=transport or AgencyTransport(),
        headers={"Accept": "application/json"},
        event_hooks=response_limits(credentials),
    )
    return KemnakerConnector(http, batch_size=batch_size)
