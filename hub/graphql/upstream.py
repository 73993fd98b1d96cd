"""Per-agency call statistics: recent latencies for ``sources`` and ``/readyz``."""

from __future__ import annotations

import statistics
import time
from collections import deque
from dataclasses import dataclass, field

from schema.enums import SourceState


@dataclass
class AgencyStats:
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=200))
    last_state: SourceState | None = None
    last_error: str | None = None
    last_ok_at: float | None = None

    def record(self, elapsed_ms: float, state: SourceState, error: str | None = None) -> None:
        self.latencies_ms.append(elapsed_ms)
        self.last_state = state
        self.last_error = error
        if state is SourceState.OK:
            self.last_ok_at = time.time()

    @property
    def p50(self) -> float | None:
        return statistics.median(self.latencies_ms) if self.latencies_ms else None


class UpstreamStats:
    def __init__(self) -> None:
        self.by_agency: dict[str, AgencyStats] = {}

    def of(self, agency: str) -> AgencyStats:
        return self.by_agency.setdefault(agency, AgencyStats())
