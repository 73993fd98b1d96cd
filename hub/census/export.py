"""``pmihub cohort``: a crisis cohort as an evacuation list (CSV), read and audited as the API
reads and audits ``Query.cohort``.

The list is read through the hub's own schema, in pages, as the operator at the hub's console
(every read scope, the declared purpose): each section keeps its policy, and the whole export
is recorded as ONE bulk access naming the filter and the count, before the file is written.
Without the purpose EMERGENCY or CASE_HANDLING nothing is read. The file holds personal data
(names, phones, next of kin, addresses abroad): it is created readable by its owner only.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auth.purpose import Purpose
from hub.settings import Settings

EXPORT = """query CohortExport($f: CohortFilter!, $first: Int, $after: String) {
  cohort(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { level lastContactOn node { id
      identity { fullName phone nextOfKin { name relation phone } }
      consular { addressAbroad mission { code } } } } } }"""
COLUMNS = (
    "worker_id",
    "level",
    "name",
    "phone",
    "next_of_kin",
    "next_of_kin_relation",
    "next_of_kin_phone",
    "mission",
    "address_abroad",
    "last_contact_on",
)
CRISIS = (Purpose.EMERGENCY, Purpose.CASE_HANDLING)


class ExportError(Exception):
    """Refused or failed; the message is for people, in both languages."""


@dataclass(frozen=True)
class ExportReport:
    rows: int
    path: Path


def purpose_of(raw: str | None) -> Purpose:
    value = (raw or "").strip().upper()
    if value not in {p.value for p in CRISIS}:
        raise ExportError(
            "Tujuan wajib EMERGENCY atau CASE_HANDLING (--purpose) / "
            "The purpose must be EMERGENCY or CASE_HANDLING (--purpose)"
        )
    return Purpose(value)


def _row(edge: dict[str, Any]) -> list[str]:
    node = edge["node"]
    identity = node.get("identity") or {}
    kin = identity.get("nextOfKin") or {}
    consular = node.get("consular") or {}
    mission = consular.get("mission") or {}
    values = [
        node["id"],
        edge["level"],
        identity.get("fullName"),
        identity.get("phone"),
        kin.get("name"),
        kin.get("relation"),
        kin.get("phone"),
        mission.get("code"),
        consular.get("addressAbroad"),
        edge.get("lastContactOn"),
    ]
    return ["" if v is None else str(v) for v in values]


async def export_cohort(
    cohort_filter: dict[str, Any], out: Path, purpose: str | None, settings: Settings
) -> ExportReport:
    """Read the cohort page by page, record the one bulk access, then write the CSV."""
    from hub.graphql.audit import audit_entries
    from hub.graphql.context import HubContext
    from hub.graphql.schema import build_schema
    from hub.runtime import hub_services, operator_principal
    from hub.service import Hub

    chosen = purpose_of(purpose)
    schema = build_schema(max_batch_ids=settings.max_batch_ids)
    async with hub_services(settings) as (engine, connectors):
        hub = Hub(settings=settings, engine=engine, connectors=connectors)
        ctx = HubContext(hub=hub, principal=operator_principal(chosen.value))
        edges: list[dict[str, Any]] = []
        listed: list[str] = []
        description = ""
        after = None
        while True:
            variables = {"f": cohort_filter, "first": settings.cohort_max_page, "after": after}
            result = await schema.execute(
                EXPORT, variable_values=variables, context_value=ctx, operation_name="CohortExport"
            )
            if result.errors:
                raise ExportError(" | ".join(e.message for e in result.errors[:3]))
            assert result.data is not None and ctx.bulk is not None
            page = result.data["cohort"]
            edges += page["edges"]
            description = re.sub(r"^cohort n=\d+ ?", "", ctx.bulk[0])  # the filter
            listed += sorted(ctx.bulk[1])
            ctx.bulk = None
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        # one bulk access for the whole export, written before the file (fail closed)
        ctx.operation = "pmihub cohort"
        ctx.bulk = (f"cohort export n={len(edges)} {description}", frozenset(listed))
        await hub.offload(hub.audit.record, audit_entries(ctx))
    _write(out, [_row(e) for e in edges])
    return ExportReport(len(edges), out)


def _write(out: Path, rows: Sequence[list[str]]) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(out, flags, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


__all__ = ["COLUMNS", "ExportError", "ExportReport", "export_cohort", "purpose_of"]
