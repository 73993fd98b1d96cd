"""The hash chain: a canonical encoding of an entry's fields, linked by ``prev_hash``."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "at",
    "client_id",
    "agency",
    "subject",
    "purpose",
    "operation",
    "worker_id",
    "categories",
    "grant_id",
    "request_id",
    "outcome",
    "prev_hash",
    "reason",
    "members",
)
OPTIONAL = frozenset({"reason", "members"})  # hashed only when set: older entries keep theirs


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def stamp(moment: datetime) -> str:
    """The hashed form of an instant: UTC, to the microsecond, without an offset."""
    return as_utc(moment).replace(tzinfo=None).isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    """Every hashed field, in a fixed order, as compact JSON (``at`` to the microsecond).
    ``reason`` (why an attempt was refused) and ``members`` (a bulk entry's commitment to
    the workers it listed) are hashed only when set, so entries written before they existed
    keep their hashes; ``members`` goes in tagged (``["members", value]``), so it can never be
    read as a ``reason``."""
    out: list[Any] = []
    for name in FIELDS:
        value = values.get(name) if name in OPTIONAL else values[name]
        if name in OPTIONAL and value is None:
            continue
        if name == "at":
            value = stamp(value)
        out.append(["members", value] if name == "members" else value)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def row_values(row: Any) -> dict[str, Any]:
    return {
        name: getattr(row, name, None) if name in OPTIONAL else getattr(row, name)
        for name in FIELDS
    }


__all__ = ["FIELDS", "GENESIS", "as_utc", "canonical", "entry_hash", "row_values", "stamp"]
