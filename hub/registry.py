"""Build the configured connectors: each agency package exposes ``connect(...)``."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from connectors.kit.base import Connector
from hub.crosswalk.record_ids import seal_record_ids
from hub.settings import AgencySettings, SettingsError


def build_connector(
    agency: AgencySettings, transport: httpx.AsyncBaseTransport | None = None
) -> Connector:
    try:
        module: Any = importlib.import_module(agency.package)
    except ImportError as exc:
        raise SettingsError(f"connector package {agency.package!r} cannot be imported") from exc
    connect = getattr(module, "connect", None)
    if connect is None:
        raise SettingsError(f"connector package {agency.package!r} has no connect()")
    connector = connect(
        agency.base_url,
        agency.credentials,
        batch_size=agency.batch_size,
        timeout=agency.timeout,
        transport=transport,
    )
    if not isinstance(connector, Connector):
        raise SettingsError(f"{agency.package}.connect() did not return a Connector")
    return seal_record_ids(connector, agency.record_id_key)


def build_connectors(
    agencies: Iterable[AgencySettings],
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> dict[str, Connector]:
    """Connectors by agency code (``KEMNAKER``, ``P2MI``…), in configuration order."""
    out: dict[str, Connector] = {}
    for agency in agencies:
        connector = build_connector(agency, (transports or {}).get(agency.name))
        out[connector.agency] = connector
    return out
