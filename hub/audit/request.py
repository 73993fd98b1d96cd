"""From one GraphQL request to its audit entries, and the fail-closed gate before the response.

The HTTP layer calls ``audited`` on the response payload after execution: the entries are
written first, and when they cannot be, the payload is replaced by ``AUDIT_UNAVAILABLE`` with no
``data`` at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auth.principal import Principal
from hub.audit.categories import categories_from_result
from hub.audit.entry import AccessEntry, AuditUnavailable, Outcome
from hub.audit.trail import AuditTrail


def _base(principal: Principal, operation: str | None, request_id: str) -> dict[str, Any]:
    return {
        "client_id": principal.client_id,
        "subject": principal.subject,
        "agency": principal.agency,
        "purpose": principal.purpose.value if principal.purpose is not None else None,
        "operation": operation or "anonymous",
        "request_id": request_id,
    }


def entries_for(
    principal: Principal,
    data: Any,
    *,
    operation: str | None,
    request_id: str,
    grants: Mapping[str, str] | None = None,
) -> list[AccessEntry]:
    """One entry per worker whose personal data ``data`` returns; ``grants`` maps a worker id
    to the break-glass grant id that opened it (the entry is then BREAK_GLASS)."""
    grants = grants or {}
    base = _base(principal, operation, request_id)
    return [
        AccessEntry(
            **base,
            worker_id=worker_id,
            categories=frozenset(categories),
            grant_id=grants.get(worker_id),
            outcome=Outcome.BREAK_GLASS if worker_id in grants else Outcome.READ,
        )
        for worker_id, categories in sorted(categories_from_result(data).items())
    ]


def refused_entry(
    principal: Principal,
    *,
    operation: str | None,
    request_id: str,
    worker_id: str | None = None,
) -> AccessEntry:
    """A refused attempt (FORBIDDEN, purpose refused): recorded, no categories."""
    return AccessEntry(
        **_base(principal, operation, request_id), worker_id=worker_id, outcome=Outcome.REFUSED
    )


def audited(
    trail: AuditTrail, entries: list[AccessEntry], payload: dict[str, Any]
) -> dict[str, Any]:
    """``payload`` once ``entries`` are written; otherwise an error body without data."""
    try:
        trail.record(entries)
    except AuditUnavailable as exc:
        return exc.body()
    return payload


__all__ = ["audited", "entries_for", "refused_entry"]
