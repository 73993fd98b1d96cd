"""The match thresholds: above ``upper`` a pair links on its own, between ``lower`` and
``upper`` it waits for an identity officer, below ``lower`` the records stay apart.

Read from ``HUB_MATCH_UPPER`` and ``HUB_MATCH_LOWER`` (match probabilities, 0 to 1) by
hub.settings; the linker falls back to reading them once per process, so every path that
links (sync, live ``workerBy`` lookups, tests) applies the same thresholds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_UPPER = 0.95
DEFAULT_LOWER = 0.5


class PolicyError(ValueError):
    """A threshold is malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    upper: float = DEFAULT_UPPER
    lower: float = DEFAULT_LOWER

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> MatchPolicy:
        upper = _probability(environ, "HUB_MATCH_UPPER", DEFAULT_UPPER)
        lower = _probability(environ, "HUB_MATCH_LOWER", DEFAULT_LOWER)
        if lower > upper:
            raise PolicyError("HUB_MATCH_LOWER must not exceed HUB_MATCH_UPPER")
        return cls(upper, lower)


def _probability(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise PolicyError(f"{name} must be a probability between 0 and 1, got {raw!r}") from None
    if not 0.0 < value < 1.0:
        raise PolicyError(f"{name} must be strictly between 0 and 1, got {raw!r}")
    return value


@lru_cache(maxsize=1)
def process_policy() -> MatchPolicy:
    """The thresholds of this process's environment, read once."""
    return MatchPolicy.from_environ(os.environ)
