"""The hub's cases as plain records, and the JSON shape webhooks receive.

Kept apart from the tables (storage) and the GraphQL types (API), as the rest of the hub
does: the service returns these, the GraphQL layer maps them, webhooks serialise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schema.enums import CaseKind, CaseStatus, Severity
from schema.records import CaseRecord, MissionRecord, Provenance

SYSTEM = "PMIHUB"  # provenance: the hub's own case register


@dataclass(frozen=True, slots=True)
class Actor:
    """Who changes a case: from the verified token, never from the request body."""

    client_id: str
    subject: str
    agency: str | None = None
    purpose: str | None = None
    mission: str | None = None  # an officer's mission (token claim): changes its cases
    admin: bool = False  # case:admin: changes any case


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    event: str
    at: datetime
    status: CaseStatus
    previous_status: CaseStatus | None
    note: str | None
    agency: str | None
    client_id: str


@dataclass(frozen=True, slots=True)
class HubCase:
    id: str
    worker_id: str
    kind: CaseKind
    status: CaseStatus
    severity: Severity
    summary: str
    mission: MissionRecord | None
    agencies: tuple[str, ...]
    opened_at: datetime
    updated_at: datetime
    opened_by_agency: str | None
    history: tuple[HistoryEntry, ...] = ()
    partner_org: str | None = None  # the organisation accompanying it (referCase)

    def as_record(self) -> CaseRecord:
        """The case as the protection rules read cases, with the hub's register as source."""
        return CaseRecord(
            id=self.id,
            kind=self.kind,
            status=self.status,
            severity=self.severity,
            opened_at=self.opened_at,
            summary=self.summary,
            provenance=Provenance(
                agency=self.opened_by_agency or SYSTEM,
                system=SYSTEM,
                record_id=self.id,
                fetched_at=self.updated_at,
            ),
            mission=self.mission,
            agencies=self.agencies,
        )

    def to_json(self) -> dict[str, Any]:
        mission = self.mission
        return {
            "id": self.id,
            "workerId": self.worker_id,
            "kind": self.kind.value,
            "status": self.status.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "mission": None
            if mission is None
            else {
                "code": mission.code,
                "name": mission.name,
                "city": mission.city,
                "country": mission.country,
            },
            "agencies": list(self.agencies),
            "openedAt": self.opened_at.isoformat(),
            "updatedAt": self.updated_at.isoformat(),
            "accompaniedBy": self.partner_org,
        }


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One change of one case, as subscribers and webhooks receive it."""

    id: str
    event: str
    at: datetime
    case: HubCase
    note: str | None = None

    @property
    def mission_code(self) -> str | None:
        return self.case.mission.code if self.case.mission else None

    def to_json(self, *, with_note: bool = True) -> dict[str, Any]:
        """The webhook body; ``with_note=False`` for a partner organisation (officers'
        notes stay inside the agencies)."""
        return {
            "id": self.id,
            "event": self.event,
            "at": self.at.isoformat(),
            "note": self.note if with_note else None,
            "case": self.case.to_json(),
        }


__all__ = ["SYSTEM", "Actor", "CaseEvent", "HistoryEntry", "HubCase"]
