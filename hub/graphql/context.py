"""The per-request context: fresh DataLoaders for every request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from auth.access import Access
from auth.breakglass import BreakGlass
from auth.principal import Principal
from connectors.kit.errors import ConnectorError
from hub.cases.records import HubCase
from hub.crosswalk import Link
from hub.graphql.errors import source_error
from hub.partners import Consent
from hub.service import Hub
from hub.view.loaders import license_loader, record_loader
from schema.clock import today
from schema.records import LicenseRecord, RecordSet


@dataclass
class HubContext:
    hub: Hub
    principal: Principal
    request: Any = None
    today: date = field(default_factory=today)
    soft_errors: list[GraphQLError] = field(default_factory=list)
    # What this request returned of whom, for the audit trail (filled by the resolvers).
    returned: dict[str, set[str]] = field(default_factory=dict)
    # refused attempts: (worker id or None, why) -> the categories refused
    refused: dict[tuple[str | None, str | None], set[str]] = field(default_factory=dict)
    operation: str = "anonymous"
    grants_used: dict[str, str] = field(default_factory=dict)
    opened_grants: dict[str, str] = field(default_factory=dict)
    # a self token's worker id made canonical, once per request (hub.graphql.enforce)
    self_followed: asyncio.Future[None] | None = None
    # a bulk read (a cohort): what it was and whom it listed; recorded as one entry
    bulk: tuple[str, frozenset[str]] | None = None
    # whether a selection asks for a field, once per request (hub.graphql.worker._requested)
    requested: dict[tuple[object, ...], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        hub = self.hub
        self.records: dict[str, DataLoader[str, RecordSet | None]] = {
            code: record_loader(connector, hub.stats) for code, connector in hub.connectors.items()
        }
        registry = hub.license_registry
        self.licenses: DataLoader[str, LicenseRecord | None] | None = (
            license_loader(registry, hub.stats, hub.licenses) if registry is not None else None
        )
        self.workers: DataLoader[str, tuple[str, list[Link]] | None] = DataLoader(
            load_fn=self._load_workers
        )
        self._noted: set[tuple[str, tuple[str | int, ...]]] = set()
        self._decided: tuple[Principal | None, dict[Any, Any]] = (None, {})
        self._accesses: dict[str, Access] = {}
        self.grants: DataLoader[str, BreakGlass | None] = DataLoader(load_fn=self._load_grants)
        self.hub_cases: DataLoader[str, list[HubCase]] = DataLoader(load_fn=self._load_hub_cases)
        self.partner_consents: DataLoader[str, list[Consent]] = DataLoader(
            load_fn=self._load_partner_consents
        )

    async def _load_partner_consents(self, worker_ids: list[str]) -> list[list[Consent]]:
        """A partner's consents from each worker, newest first: one read for the batch."""
        org = self.principal.agency or ""
        found = await self.hub.offload(self.hub.consents.for_partner, org, worker_ids)
        return [found.get(worker_id, []) for worker_id in worker_ids]

    async def consent(self, worker_id: str) -> Consent | None:
        """A partner's consent in force from this worker for the purpose it declares."""
        if not self.principal.is_partner:
            return None
        purpose = self.principal.purpose
        for consent in await self.partner_consents.load(worker_id):
            if consent.active and consent.purpose == purpose:
                return consent
        return None

    async def _load_hub_cases(self, worker_ids: list[str]) -> list[list[HubCase]]:
        """``HubCasesByWorkerIdLoader``: the hub's own cases, one query for the batch."""
        found = await self.hub.offload(self.hub.cases.service.for_workers, worker_ids)
        return [found.get(worker_id, []) for worker_id in worker_ids]

    async def _load_grants(self, worker_ids: list[str]) -> list[BreakGlass | None]:
        found = await self.hub.offload(self.hub.breakglass.active_for, self.principal, worker_ids)
        return [found.get(worker_id) for worker_id in worker_ids]

    async def access(self, worker_id: str) -> Access:
        """What this request's principal may see of one worker (one grant lookup per batch);
        a partner's consent is recorded with its reads (the audit entry's grant id). Decided
        once per worker: every section asks, and the grant and consent loaders answer the same
        for the whole request."""
        known = self._accesses.get(worker_id)
        if known is not None and known.principal is self.principal:
            return known
        if self.principal.is_partner:
            consent = await self.consent(worker_id)
            if consent is not None:
                self.grants_used[worker_id] = consent.id
            access = Access(self.principal, worker_id, None, consent)
        else:
            grant = await self.grants.load(worker_id)
            if grant is not None:
                self.grants_used[worker_id] = grant.id
            access = Access(self.principal, worker_id, grant, decisions=self.decisions())
        self._accesses[worker_id] = access
        return access

    def decisions(self) -> dict[Any, Any] | None:
        """The policy decisions this request's principal shares across workers: what a token
        that is neither a worker's own nor a partner's reads depends on its scopes and purpose
        and on whether a break-glass grant is held, never on which worker it is."""
        principal = self.principal
        if principal.is_self or principal.is_partner:
            return None
        if self._decided[0] is not principal:  # a principal replaced: decide anew
            self._decided = (principal, {})
        return self._decided[1]

    def audit_returned(self, worker_id: str, *categories: str) -> None:
        self.returned.setdefault(worker_id, set()).update(categories)

    def bulk_access(self, description: str, worker_ids: list[str]) -> None:
        """A cohort listed ``worker_ids``: the request is recorded as one bulk access
        (hub/graphql/audit.py) with what the cohort itself returns (level: protection; last
        contact: consular) and whatever sections of those workers the request read."""
        listed = frozenset(worker_ids)
        if self.bulk is not None:  # two cohorts in one document: one entry for both
            description = f"{self.bulk[0]}; {description}"
            listed |= self.bulk[1]
        self.bulk = (description, listed)

    def audit_refused(
        self, worker_id: str | None, *categories: str, reason: str | None = None
    ) -> None:
        """A refused attempt, with why (``reason``: the error code and its detail)."""
        self.refused.setdefault((worker_id, reason), set()).update(categories)

    async def _load_workers(self, ids: list[str]) -> list[tuple[str, list[Link]] | None]:
        canonical, links = await self.hub.offload(self.hub.crosswalk.canonical_links, ids)
        out: list[tuple[str, list[Link]] | None] = []
        for worker_id in ids:
            current = canonical.get(worker_id)
            out.append((current, links.get(current, [])) if current else None)
        return out

    def note(self, exc: ConnectorError, path: list[str | int]) -> None:
        """Report a source failure that did not null the field (partial data)."""
        key = (exc.agency, tuple(path))
        if key not in self._noted:
            self._noted.add(key)
            self.soft_errors.append(source_error(exc, path))
