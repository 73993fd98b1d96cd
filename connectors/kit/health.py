"""The health probe every connector runs: time one cheap call, never raise."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from connectors.kit.base import Health
from connectors.kit.errors import ConnectorError


async def probe(agency: str, check: Callable[[], Awaitable[str | None]]) -> Health:
    """Run ``check`` (the agency's status call); it returns None when the agency says it is
    well, else a short code saying what is wrong. A ConnectorError becomes ``ok=False``."""
    started = time.perf_counter()
    try:
        problem = await check()
    except ConnectorError as exc:
        problem = exc.code
    latency = (time.perf_counter() - started) * 1000
    return Health(agency, ok=problem is None, latency_ms=latency, message=problem)
