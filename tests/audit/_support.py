"""Helpers shared by the audit tests: a ticking clock and a ready-made entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.audit import AccessEntry


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def entry(n: int = 1, **changes: object) -> AccessEntry:
    values: dict[str, object] = {
        "client_id": f"cl_{n % 3}",
        "agency": ("P2MI", "KEMNAKER", "EMBASSY")[n % 3],
        "subject": f"officer{n % 3}",
        "purpose": "CASE_HANDLING",
        "operation": "WorkerCase",
        "worker_id": f"wk_{n % 5:04d}",
        "categories": frozenset({"identity", "case"}),
        "request_id": f"req-{n}",
    }
    values.update(changes)
    return AccessEntry(**values)  # type: ignore[arg-type]
