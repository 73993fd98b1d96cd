"""Label records served from cache after their source failed: ``provenance.stale = True``."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, TypeVar

from hub.resilience.codec import CacheValue
from schema.records import LicenseRecord, Provenance, RecordSet

R = TypeVar("R")


def _stale(record: R) -> R:
    provenance: Provenance = record.provenance  # type: ignore[attr-defined]
    return replace(record, provenance=replace(provenance, stale=True))  # type: ignore[type-var]


def mark_stale(value: CacheValue) -> CacheValue:
    """The same value with every provenance it carries marked stale."""
    if isinstance(value, RecordSet):
        changes: dict[str, Any] = {}
        for f in fields(value):
            part = getattr(value, f.name)
            if isinstance(part, tuple):
                changes[f.name] = tuple(_stale(r) for r in part)
            elif part is not None:
                changes[f.name] = _stale(part)
        return replace(value, **changes)
    if isinstance(value, LicenseRecord):
        return _stale(value)
    return value  # local ids and "no record" carry no provenance


__all__ = ["mark_stale"]
