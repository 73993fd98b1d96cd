"""Counts of levels, phases and finding codes over a population, and the time per worker."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time

from hub.protection.engine import DEFAULT_ENGINE, Engine
from hub.protection.facts import WorkerFacts
from schema import clock
from schema.enums import ProtectionLevel, ProtectionPhase


@dataclass
class Profile:
    workers: int = 0
    incomplete: int = 0
    seconds: float = 0.0  # time spent in the engine only, not in producing the facts
    levels: Counter[ProtectionLevel] = field(default_factory=Counter)
    phases: Counter[ProtectionPhase] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)  # findings per code

    @property
    def microseconds_per_worker(self) -> float:
        return self.seconds * 1e6 / self.workers if self.workers else 0.0

    def format(self) -> str:
        """A plain-text table for the bench."""
        lines = [
            f"workers {self.workers}, incomplete {self.incomplete}, "
            f"{self.microseconds_per_worker:.1f} µs per worker",
            "levels:",
            *_rows((level.value, self.levels[level]) for level in ProtectionLevel),
            "phases:",
            *_rows((phase.value, self.phases[phase]) for phase in ProtectionPhase),
            "findings:",
            *_rows(sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        ]
        return "\n".join(lines)


def _rows(counts: Iterable[tuple[str, int]]) -> list[str]:
    return [f"  {name:<36} {count:>8}" for name, count in counts]


def profile(
    facts: Iterable[WorkerFacts], *, engine: Engine | None = None, today: date | None = None
) -> Profile:
    """Evaluate every worker once on one day (default: the hub clock) and count the results."""
    engine = engine or DEFAULT_ENGINE
    today = today or clock.today()
    evaluated_at = datetime.combine(today, clock_time(), UTC)
    result = Profile()
    perf = time.perf_counter
    for worker in facts:
        started = perf()
        verdict = engine.evaluate(worker, today=today, evaluated_at=evaluated_at)
        result.seconds += perf() - started
        result.workers += 1
        result.incomplete += not verdict.complete
        result.levels[verdict.level] += 1
        result.phases[verdict.phase] += 1
        result.codes.update(f.code for f in verdict.findings)
    return result
