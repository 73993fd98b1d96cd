"""The engine's answer: a level, the phase, and the findings that explain it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hub.protection.text import Text
from schema.enums import ProtectionLevel, ProtectionPhase, Severity
from schema.records import Provenance

SEVERITY_RANK = {
    Severity.CRITICAL: 0,
    Severity.HIGH: 1,
    Severity.MEDIUM: 2,
    Severity.LOW: 3,
    Severity.INFO: 4,
}


class Party(StrEnum):
    """Who must act on a finding: the worker's own page shows the WORKER's actions only."""

    OFFICER = "OFFICER"  # the hub's officers: P2MI/BP3MI, the mission, Kemnaker
    P3MI = "P3MI"  # the placement company
    BPJS = "BPJS"  # BPJS Ketenagakerjaan
    WORKER = "WORKER"  # the worker, in plain words


@dataclass(frozen=True, slots=True)
class Action:
    party: Party
    text: Text


@dataclass(frozen=True, slots=True)
class Finding:
    """One fact that bears on the worker's protection, with what to do and where it came from.

    ``message`` and ``action`` carry no personal data (no NIK, no names); ``evidence`` is the
    provenance of the records the rule read (empty for SOURCE_UNAVAILABLE and SOURCE_STALE),
    each naming its agency, so that a caller's scope can redact what it may not see.
    ``action`` is addressed to the officer; ``actions`` to the placement company, BPJS or the
    worker (the worker's own page shows only the worker's, in plain words).
    """

    code: str
    severity: Severity
    message: Text
    action: Text | None
    evidence: tuple[Provenance, ...] = ()
    actions: tuple[Action, ...] = ()  # ``action`` is the officer's; these add the others'

    def message_in(self, lang: str = "ID") -> str:
        return self.message.in_(lang)

    def action_in(self, lang: str = "ID") -> str | None:
        return self.action.in_(lang) if self.action is not None else None

    def actions_for(self, party: Party, lang: str = "ID") -> tuple[str, ...]:
        """What ``party`` must do, in ``lang``; ``action`` counts as the officer's."""
        found = [a.text.in_(lang) for a in self.actions if a.party is party]
        if party is Party.OFFICER and self.action is not None:
            found.insert(0, self.action.in_(lang))
        return tuple(found)

    def sort_key(self) -> tuple[int, str, str]:
        return SEVERITY_RANK[self.severity], self.code, self.message.en


@dataclass(frozen=True, slots=True)
class Verdict:
    """``complete`` is false when a source the verdict needed could not be read; such a verdict
    is never PROTECTED. ``findings`` are ordered by severity (gravest first), then code."""

    level: ProtectionLevel
    phase: ProtectionPhase
    complete: bool
    findings: tuple[Finding, ...]
    evaluated_at: datetime
    rules_version: str

    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=Finding.sort_key))
