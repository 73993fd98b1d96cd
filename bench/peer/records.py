"""What the peer's subgraphs share: one process's connector, the records one subgraph hands
another (a field the gateway carries, JSON), and the per-request loaders.

An agency subgraph answers ``<agency>Records`` with everything its agency holds of a worker
(the hub's record dataclasses as JSON, through the response cache's codec) or the error it
met; the crosswalk subgraph turns those back into the hub's ``AgencyResult``s and builds the
merged sections with the hub's own builders (hub/view/sections.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import orjson
from strawberry.dataloader import DataLoader

from connectors.kit import errors
from connectors.kit.base import Connector
from hub.cache import TtlCache
from hub.graphql.upstream import UpstreamStats
from hub.registry import build_connectors
from hub.resilience.codec import rebuild
from hub.settings import Settings
from hub.view.loaders import license_loader, record_loader
from hub.view.worker_view import AgencyResult
from schema.clock import today
from schema.records import LicenseRecord, RecordSet

# agency code -> the prefix of its fields in the peer's schema (``kemnakerIds``, ``bpjsRecords``)
PREFIXES = {
    "KEMNAKER": "kemnaker",
    "P2MI": "p2mi",
    "BPJS_KETENAGAKERJAAN": "bpjs",
    "EMBASSY": "embassy",
}
SUBGRAPHS = ("crosswalk", *PREFIXES.values())
_ERRORS: dict[str, type[errors.ConnectorError]] = {
    cls.__name__: cls
    for cls in (
        errors.ConnectorError,
        errors.AgencyUnavailable,
        errors.AgencyTimeout,
        errors.AgencyRejected,
        errors.BadResponse,
        errors.RecordNotFound,
    )
}


def agency_of(prefix: str) -> str:
    return next(code for code, p in PREFIXES.items() if p == prefix)


@dataclass
class AgencyService:
    """One subgraph process's agency: its connector (the hub's, as the hub builds it) and,
    for Kemnaker, the licence cache the hub keeps (same lifetime, HUB_LICENSE_CACHE_SECONDS)."""

    connector: Connector
    licenses: TtlCache[str, LicenseRecord]
    stats: UpstreamStats = field(default_factory=UpstreamStats)

    @classmethod
    def of(cls, settings: Settings, agency: str) -> AgencyService:
        connectors = build_connectors(settings.agencies)  # no connection until a fetch
        if agency not in connectors:
            raise SystemExit(f"the hub's settings configure no {agency} connector")
        return cls(connectors[agency], TtlCache(settings.license_cache_seconds))


@dataclass
class AgencyContext:
    """Per request: the agency's DataLoader (one upstream call for the representations of one
    gateway fetch) and each worker's result, so two fields of one worker share one fetch."""

    service: AgencyService
    today: date = field(default_factory=today)

    def __post_init__(self) -> None:
        self.records: DataLoader[str, RecordSet | None] = record_loader(
            self.service.connector, self.service.stats
        )
        self.licenses: DataLoader[str, LicenseRecord | None] | None = license_loader(
            self.service.connector, self.service.stats, self.service.licenses
        )
        self._results: dict[tuple[str, ...], AgencyResult] = {}

    async def result(self, local_ids: list[str]) -> AgencyResult:
        key = tuple(local_ids)
        found = self._results.get(key)
        if found is None:
            agency = self.service.connector.agency
            if not local_ids:
                found = AgencyResult(agency, linked=False)
            else:
                try:
                    sets = await self.records.load_many(local_ids)
                    found = AgencyResult(agency, sets=[s for s in sets if s is not None])
                except errors.ConnectorError as exc:
                    found = AgencyResult(agency, error=exc)
            self._results[key] = found
        return found


def dump(result: AgencyResult) -> str:
    error = result.error
    return orjson.dumps(
        {
            "linked": result.linked,
            "sets": result.sets,
            "error": None
            if error is None
            else {"kind": type(error).__name__, "agency": error.agency, "message": error.message},
        }
    ).decode()


def load(agency: str, text: str) -> AgencyResult:
    body = orjson.loads(text)
    error = body["error"]
    if error is not None:
        kind = _ERRORS.get(error["kind"], errors.AgencyUnavailable)
        return AgencyResult(agency, error=kind(error["agency"], error["message"]))
    sets = list(rebuild(tuple[RecordSet, ...], body["sets"]))
    return AgencyResult(agency, sets=sets, linked=body["linked"])


def dump_licenses(found: Mapping[str, LicenseRecord | None] | None) -> str:
    """The licences the placements name (None: the registry could not be read)."""
    return orjson.dumps(found).decode()


def load_licenses(text: str) -> dict[str, LicenseRecord | None] | None:
    body = orjson.loads(text)
    if body is None:
        return None
    return {n: rebuild(LicenseRecord | None, v) for n, v in body.items()}
