"""The one clock: every date rule in the hub and the sandboxes reads "today" from here.

``HUB_TODAY=YYYY-MM-DD`` pins the date for demos, tests and scenario checks; the time of day
still moves, so timestamps stay ordered.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time


def today(environ: dict[str, str] | None = None) -> date:
    pinned = (environ if environ is not None else os.environ).get("HUB_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ValueError(f"HUB_TODAY must be YYYY-MM-DD, got {pinned!r}") from None
    return datetime.now(UTC).date()


def now(environ: dict[str, str] | None = None) -> datetime:
    """The current instant, on the pinned day when HUB_TODAY is set."""
    current = datetime.now(UTC)
    day = today(environ)
    if day == current.date():
        return current
    return datetime.combine(day, time(current.hour, current.minute, current.second), UTC)
