"""Recent upstream latencies of one agency, for ``sources``, ``/readyz`` and the bench."""

from __future__ import annotations

import math
from collections import deque


class LatencyWindow:
    def __init__(self, size: int = 200) -> None:
        self._ms: deque[float] = deque(maxlen=size)

    def add(self, milliseconds: float) -> None:
        self._ms.append(milliseconds)

    def __len__(self) -> int:
        return len(self._ms)

    def percentile(self, q: float) -> float | None:
        """The nearest-rank ``q``-th percentile (0-100) of the window; None when empty."""
        if not self._ms:
            return None
        ordered = sorted(self._ms)
        rank = max(1, math.ceil(q / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]

    @property
    def p50(self) -> float | None:
        return self.percentile(50)

    @property
    def p99(self) -> float | None:
        return self.percentile(99)


__all__ = ["LatencyWindow"]
