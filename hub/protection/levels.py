"""The level follows from the findings by this table: the first row that applies decides.

Every HIGH finding means a protection the law requires is missing (not enrolled, cover expired
or not bought for this phase, non-procedural, revoked licence, moratorium destination, contract
over while abroad, passport expired), so one is enough for UNPROTECTED. An incomplete verdict is
UNKNOWN unless the findings already show worse: it is never PROTECTED and never AT_RISK, which
would suggest the rest was checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schema.enums import ProtectionLevel, ProtectionPhase, Severity


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the level depends on."""

    severities: frozenset[Severity]
    complete: bool
    phase: ProtectionPhase


@dataclass(frozen=True, slots=True)
class LevelRow:
    level: ProtectionLevel
    when: str
    applies: Callable[[Outcome], bool]


LEVEL_TABLE = (
    LevelRow(
        ProtectionLevel.EMERGENCY,
        "a CRITICAL finding",
        lambda o: Severity.CRITICAL in o.severities,
    ),
    LevelRow(
        ProtectionLevel.UNPROTECTED,
        "a HIGH finding",
        lambda o: Severity.HIGH in o.severities,
    ),
    LevelRow(
        ProtectionLevel.UNKNOWN,
        "the verdict is incomplete: a source it needed could not be read",
        lambda o: not o.complete,
    ),
    LevelRow(
        ProtectionLevel.UNKNOWN,
        "the phase is unknown: no placement and no stay abroad on record, or no records at all",
        lambda o: o.phase is ProtectionPhase.UNKNOWN,
    ),
    LevelRow(
        ProtectionLevel.AT_RISK,
        "a MEDIUM or LOW finding",
        lambda o: bool(o.severities & {Severity.MEDIUM, Severity.LOW}),
    ),
    LevelRow(
        ProtectionLevel.PROTECTED,
        "otherwise: complete, phase known, no finding above INFO",
        lambda o: True,
    ),
)


def level_of(outcome: Outcome) -> ProtectionLevel:
    for row in LEVEL_TABLE:
        if row.applies(outcome):
            return row.level
    raise AssertionError("the last row of LEVEL_TABLE applies to every outcome")
