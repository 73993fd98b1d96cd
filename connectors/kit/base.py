"""The connector protocol: the narrow interface between the hub and one agency system."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from schema.records import LicenseRecord, PersonRecord, RecordKind, RecordSet


class LookupKey(StrEnum):
    LOCAL_ID = "LOCAL_ID"  # the agency's own person key (AK/1 id, ID PMI, KPJ, record id)
    NIK = "NIK"
    PASSPORT = "PASSPORT"
    KPJ = "KPJ"
    PMI_ID = "PMI_ID"
    PLACEMENT_ID = "PLACEMENT_ID"
    LICENSE = "LICENSE"


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """One page of an agency's changes feed: person records changed since the cursor."""

    records: tuple[PersonRecord, ...]
    cursor: str  # pass back to get the next page; stored by the hub's sync
    has_more: bool


@dataclass(frozen=True, slots=True)
class Health:
    agency: str
    ok: bool
    latency_ms: float | None = None
    message: str | None = None


@runtime_checkable
class Connector(Protocol):
    """One agency system, seen through records.

    A connector is built with an injected ``httpx.AsyncClient`` (real network, loopback, or
    ``httpx.ASGITransport`` in tests) and never creates clients of its own. Every method raises
    only ``connectors.kit.errors.ConnectorError`` subclasses.

    Example, a fifth agency::

        class ImigrasiConnector:
            agency = "IMIGRASI"
            system = "SIMKIM"
            lookup_keys = frozenset({LookupKey.LOCAL_ID, LookupKey.PASSPORT})
            record_kinds = frozenset({RecordKind.PERSON})
            batch_size = 100

            async def fetch(self, local_ids): ...      # {local_id: RecordSet}
            async def find(self, key, values): ...     # {value: [local_id, ...]}
            async def changes(self, cursor, limit=500): ...
            async def health(self): ...
            async def aclose(self): ...
    """

    agency: str
    system: str
    lookup_keys: frozenset[LookupKey]
    record_kinds: frozenset[RecordKind]
    batch_size: int

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        """Everything the agency holds for each local id; ids it does not know are absent.

        The caller passes at most ``batch_size`` ids; the connector makes one upstream call
        per batch (following the agency's pagination when an answer is split).
        """
        ...

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """Local ids of the person records matching each value of ``key`` (NIK, passport…)."""
        ...

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        """Person records changed since ``cursor`` (None: from the beginning)."""
        ...

    async def health(self) -> Health: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class LicenseRegistry(Protocol):
    """A connector that also answers placement-company licences (RecordKind.LICENSE)."""

    async def licenses(self, numbers: Sequence[str]) -> Mapping[str, LicenseRecord]: ...


__all__ = ["ChangesPage", "Connector", "Health", "LicenseRegistry", "LookupKey"]
