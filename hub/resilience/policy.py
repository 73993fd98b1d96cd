"""Resilience thresholds for one agency, read from the environment.

Every setting has a hub-wide default ``HUB_RESILIENCE_<KEY>`` and a per-agency override
``HUB_AGENCY_<NAME>_<KEY>`` (NAME is the connector's name in ``HUB_CONNECTORS``, e.g. ``P2MI``,
or its agency code, e.g. ``BPJS_KETENAGAKERJAAN``). docs/resilience.md lists them all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

from hub.settings import SettingsError

GLOBAL_PREFIX = "HUB_RESILIENCE_"


@dataclass(frozen=True, slots=True)
class ResiliencePolicy:
    """Thresholds for one agency; seconds unless the name says otherwise."""

    call_timeout: float = 10.0  # an upstream attempt's limit when no request deadline is set
    reserve: float = 0.05  # kept back from the request's budget for the hub's own work
    retry_attempts: int = 3  # attempts in all (1 = no retry)
    retry_base: float = 0.05  # full jitter: sleep uniform(0, min(max, base * 2 ** n))
    retry_max_wait: float = 1.0
    breaker_failures: int = 5  # consecutive failed calls that open the breaker
    breaker_recovery: float = 10.0  # open this long, then half-open
    breaker_half_open_calls: int = 1  # trial calls let through while half-open
    max_concurrent: int = 20  # bulkhead: concurrent upstream calls to this agency
    cache_ttl: float = 30.0  # fresh: served without asking the agency
    cache_stale: float = 86_400.0  # after that, served only when the agency fails
    health_timeout: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise SettingsError(f"resilience setting {f.name} must be >= 0, got {value!r}")
        positive = ("retry_attempts", "breaker_failures", "breaker_half_open_calls")
        for name in (*positive, "max_concurrent"):
            if getattr(self, name) < 1:
                raise SettingsError(f"resilience setting {name} must be at least 1")

    @property
    def cache_enabled(self) -> bool:
        return self.cache_ttl > 0 or self.cache_stale > 0

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], names: tuple[str, ...] = ()
    ) -> ResiliencePolicy:
        """The policy for the agency known by ``names`` (first match wins per setting)."""
        values: dict[str, float | int] = {}
        for f in fields(cls):
            key = f.name.upper()
            candidates = [f"HUB_AGENCY_{n.upper()}_{key}" for n in names]
            candidates.append(GLOBAL_PREFIX + key)
            for variable in candidates:
                raw = environ.get(variable)
                if raw is not None:
                    values[f.name] = _parse(variable, raw, int if f.type == "int" else float)
                    break
        return cls(**values)  # type: ignore[arg-type]


def _parse(variable: str, raw: str, kind: type[int] | type[float]) -> float | int:
    try:
        return kind(raw.strip())
    except ValueError:
        wanted = "a whole number" if kind is int else "a number of seconds"
        raise SettingsError(f"{variable} must be {wanted}, got {raw!r}") from None


# Suffixes of HUB_AGENCY_<NAME>_<KEY> that are resilience settings, not credentials.
POLICY_KEYS = frozenset(f.name.upper() for f in fields(ResiliencePolicy))

__all__ = ["GLOBAL_PREFIX", "POLICY_KEYS", "ResiliencePolicy"]
