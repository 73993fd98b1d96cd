"""Releases: stored once, read by id or as the latest, withdrawn, never edited.

A release's tables are JSON documents of published cells (``table_body``); what a reader of
the API or the CSV sees is exactly what was stored when the run ended.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from hub.statistics.cube import TOTAL
from hub.statistics.disclosure import PublishedTable
from hub.statistics.tables import StatisticsExactRow, StatisticsReleaseRow, StatisticsTableRow

RELEASE = StatisticsReleaseRow.__table__  # type: ignore[attr-defined]
TABLE = StatisticsTableRow.__table__  # type: ignore[attr-defined]
EXACT = StatisticsExactRow.__table__  # type: ignore[attr-defined]
PUBLISHED, WITHDRAWN = "PUBLISHED", "WITHDRAWN"


class ReleaseError(ValueError):
    def __init__(self, code: str, text_id: str, text_en: str) -> None:
        super().__init__(f"{text_id} / {text_en}")
        self.code, self.text_id, self.text_en = code, text_id, text_en


def no_release(release_id: str | None) -> ReleaseError:
    if release_id is None:
        return ReleaseError("NOT_FOUND", "Belum ada rilis statistik", "No statistics release yet")
    return ReleaseError("NOT_FOUND", "Rilis statistik tidak ada", "No such statistics release")


@dataclass(frozen=True, slots=True)
class Release:
    id: str
    reference_date: date
    version: int
    created_at: datetime
    rules_version: str
    rules: dict[str, Any]
    meta: dict[str, Any]
    status: str
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = None

    @classmethod
    def of(cls, row: Any) -> Release:
        return cls(
            id=row.id,
            reference_date=row.reference_date,
            version=row.version,
            created_at=row.created_at,
            rules_version=row.rules_version,
            rules=json.loads(row.rules),
            meta=json.loads(row.meta),
            status=row.status,
            withdrawn_at=row.withdrawn_at,
            withdrawn_reason=row.withdrawn_reason,
        )


def exact_body(table: PublishedTable) -> dict[str, Any]:
    """The cells' counts before disclosure control (the partner query service's input)."""
    spec = table.spec
    return {
        "dimensions": list(spec.dimensions),
        "categories": {d: list(spec.categories[d]) for d in spec.dimensions},
        "counts": [[list(key), n] for key, n in table.exact],
    }


def table_body(table: PublishedTable) -> dict[str, Any]:
    spec = table.spec
    return {
        "table": spec.name,
        "title": {"id": spec.title_id, "en": spec.title_en},
        "dimensions": list(spec.dimensions),
        "categories": {d: list(spec.categories[d]) for d in spec.dimensions},
        "geography": spec.geography,
        "rateOf": list(spec.rate_of) if spec.rate_of else None,
        "amountRatio": list(spec.amount_ratio) if spec.amount_ratio else None,
        "amounts": spec.amounts,
        "disclosureRule": table.rules.describe(),
        "total": table.total,
        "cells": [
            {
                "key": list(item.key),
                "count": item.count,
                **({"amount": item.amount} if spec.amounts else {}),
                **({"rate": item.rate} if spec.rate_of or spec.amount_ratio else {}),
            }
            for item in table.items
        ],
    }


class Releases:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def store(
        self,
        reference_date: date,
        rules: dict[str, Any],
        meta: dict[str, Any],
        tables: Sequence[PublishedTable],
        at: datetime,
    ) -> Release:
        """One transaction: the release and all its tables, or nothing."""
        with self.engine.begin() as connection:
            version = 1 + int(
                connection.execute(
                    select(func.count())
                    .select_from(RELEASE)
                    .where(RELEASE.c.reference_date == reference_date)
                ).scalar_one()
            )
            release_id = f"stat-{reference_date.isoformat()}-v{version}"
            connection.execute(
                insert(RELEASE).values(
                    id=release_id,
                    reference_date=reference_date,
                    version=version,
                    created_at=at,
                    rules_version=str(rules["version"]),
                    rules=json.dumps(rules, sort_keys=True),
                    meta=json.dumps(meta, sort_keys=True),
                    status=PUBLISHED,
                )
            )
            rows = [
                {
                    "release_id": release_id,
                    "name": t.spec.name,
                    "body": json.dumps(table_body(t), sort_keys=True),
                }
                for t in tables
            ]
            if rows:
                connection.execute(insert(TABLE), rows)
            exact = [
                {
                    "release_id": release_id,
                    "name": t.spec.name,
                    "body": json.dumps(exact_body(t), sort_keys=True),
                }
                for t in tables
                if t.exact
            ]
            if exact:
                connection.execute(insert(EXACT), exact)
        found = self.get(release_id)
        assert found is not None
        return found

    def get(self, release_id: str) -> Release | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(RELEASE).where(RELEASE.c.id == release_id)).first()
        return Release.of(row) if row is not None else None

    def latest(self) -> Release | None:
        """The newest published release (withdrawn ones are skipped)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(RELEASE)
                .where(RELEASE.c.status == PUBLISHED)
                .order_by(RELEASE.c.reference_date.desc(), RELEASE.c.version.desc())
                .limit(1)
            ).first()
        return Release.of(row) if row is not None else None

    def all(self) -> list[Release]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(RELEASE).order_by(RELEASE.c.reference_date, RELEASE.c.version)
            ).all()
        return [Release.of(r) for r in rows]

    def resolve(self, release_id: str | None) -> Release:
        """The release asked for (withdrawn ones are refused), or the latest published one."""
        found = self.get(release_id) if release_id is not None else self.latest()
        if found is None:
            raise no_release(release_id)
        if found.status == WITHDRAWN:
            raise ReleaseError(
                "RELEASE_WITHDRAWN",
                f"Rilis {found.id} telah ditarik: {found.withdrawn_reason}",
                f"Release {found.id} was withdrawn: {found.withdrawn_reason}",
            )
        return found

    def table_names(self, release_id: str) -> list[str]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(TABLE.c.name)
                    .where(TABLE.c.release_id == release_id)
                    .order_by(TABLE.c.name)
                ).scalars()
            )

    def table(self, release_id: str, name: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            body = connection.execute(
                select(TABLE.c.body).where(TABLE.c.release_id == release_id, TABLE.c.name == name)
            ).scalar()
        return json.loads(body) if body is not None else None

    def exact(self, release_id: str, name: str) -> dict[str, Any] | None:
        """For the partner query service only (it adds noise): never serve this as it is."""
        with self.engine.connect() as connection:
            body = connection.execute(
                select(EXACT.c.body).where(EXACT.c.release_id == release_id, EXACT.c.name == name)
            ).scalar()
        return json.loads(body) if body is not None else None

    def withdraw(self, release_id: str, reason: str, at: datetime) -> Release:
        reason = reason.strip()
        if not reason or len(reason) > 500:
            raise ReleaseError(
                "BAD_USER_INPUT",
                "Alasan penarikan wajib (paling banyak 500 karakter)",
                "A reason is required (at most 500 characters)",
            )
        with self.engine.begin() as connection:
            row = connection.execute(select(RELEASE).where(RELEASE.c.id == release_id)).first()
            if row is None:
                raise no_release(release_id)
            if row.status == PUBLISHED:
                connection.execute(
                    update(RELEASE)
                    .where(RELEASE.c.id == release_id)
                    .values(status=WITHDRAWN, withdrawn_at=at, withdrawn_reason=reason)
                )
        found = self.get(release_id)
        assert found is not None
        return found


def csv_rows(release: Release, body: dict[str, Any]) -> list[list[str]]:
    """The table as CSV rows: metadata lines (``#``), a header, one row per cell."""
    meta = release.meta
    head = [
        ["# release", release.id],
        ["# table", body["table"]],
        ["# title", body["title"]["id"], body["title"]["en"]],
        ["# reference date", release.reference_date.isoformat()],
        ["# status", release.status],
        ["# rules version", release.rules_version],
        ["# disclosure rule", body["disclosureRule"]],
        ["# note", "empty count: suppressed; TOTAL: all categories of that dimension"],
    ]
    for agency, fresh in sorted(meta.get("freshness", {}).items()):
        head.append([f"# freshness {agency}", json.dumps(fresh, sort_keys=True)])
    for method, rate in sorted(meta.get("linkage", {}).get("byMethod", {}).items()):
        head.append([f"# linkage {method}", str(rate)])
    columns = [*body["dimensions"], "count"]
    if body.get("amounts"):
        columns.append("amount_rupiah")
    if body.get("rateOf") or body.get("amountRatio"):
        columns.append("rate")
    rows = [*head, columns]
    for cell in body["cells"]:
        row = [*cell["key"], _text(cell["count"])]
        if body.get("amounts"):
            row.append(_text(cell.get("amount")))
        if body.get("rateOf") or body.get("amountRatio"):
            row.append(_text(cell.get("rate")))
        rows.append(row)
    return rows


def _text(value: object) -> str:
    return "" if value is None else str(value)


__all__ = [
    "PUBLISHED",
    "TOTAL",
    "WITHDRAWN",
    "Release",
    "ReleaseError",
    "Releases",
    "csv_rows",
    "table_body",
]
