"""The hub's long-lived services: connectors, crosswalk, statistics; one per process."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from auth.breakglass import BreakGlassService
from auth.settings import AuthSettings
from connectors.kit.base import Connector, Health, LicenseRegistry
from hub.audit import AuditSigner, AuditTrail
from hub.cache import TtlCache
from hub.cases import Cases
from hub.crosswalk import CrosswalkReader, Pseudonymizer
from hub.graphql.upstream import UpstreamStats
from hub.partners import ConsentLedger, PartnerRegistry
from hub.settings import Settings
from hub.storage.offload import Offload
from schema.records import LicenseRecord, RecordKind
from schema.regions import regency_names


@dataclass
class Hub:
    settings: Settings
    engine: Engine
    connectors: Mapping[str, Connector]
    regencies: Mapping[str, str] = field(default_factory=regency_names)
    stats: UpstreamStats = field(default_factory=UpstreamStats)

    def __post_init__(self) -> None:
        self.auth = AuthSettings.from_environ(self.settings.environ)
        self.offload = Offload.for_engine(self.engine)  # every database call on the request path
        self.breakglass = BreakGlassService(
            self.engine,
            minutes=self.auth.break_glass_minutes,
            per_hour=self.auth.break_glass_per_hour,
        )
        self.audit = AuditTrail(self.engine, AuditSigner.from_environ(self.settings.environ))
        self.licenses: TtlCache[str, LicenseRecord] = TtlCache(self.settings.license_cache_seconds)
        self.pseudonymizer = Pseudonymizer(self.settings.pseudonym_key)
        self.crosswalk = CrosswalkReader(self.engine, self.pseudonymizer)
        self.cases = Cases(self.engine, self.settings.environ, self.offload)
        self.partners = PartnerRegistry(self.engine)
        self.consents = ConsentLedger(self.audit)
        self.cases.service.partner_gate = self.consents.in_force
        self._kinds = {
            kind: [code for code, c in self.connectors.items() if kind in c.record_kinds]
            for kind in RecordKind
        }

    def agencies_with(self, kind: RecordKind) -> list[str]:
        return self._kinds[kind]

    @property
    def license_registry(self) -> Connector | None:
        for code in self._kinds[RecordKind.LICENSE]:
            connector = self.connectors[code]
            if isinstance(connector, LicenseRegistry):
                return connector
        return None

    async def health(self) -> list[Health]:
        async def one(connector: Connector) -> Health:
            try:
                return await asyncio.wait_for(connector.health(), timeout=5)
            except Exception as exc:  # a health probe must never break the probe page
                return Health(connector.agency, ok=False, message=type(exc).__name__)

        return list(await asyncio.gather(*(one(c) for c in self.connectors.values())))

    async def aclose(self) -> None:
        await self.cases.aclose()
        for connector in self.connectors.values():
            await connector.aclose()
