"""A rule: one small named unit with a stable code, its law, its words and what it reads.

Write a rule as a function of the ``Context`` that yields one ``Hit`` per finding, and wrap
it with ``@rule(...)``::

    @rule(
        code="ORIENTATION_MISSING",
        severity=Severity.MEDIUM,
        law=Law("UU 18/2017: pre-departure orientation (OPP) before departure", ("[S58]",)),
        condition="The current placement is READY or abroad and OPP is not recorded.",
        message=Text("OPP ke {country} belum tercatat.", "OPP for {country} not recorded."),
        action=Text("Jadwalkan OPP.", "Schedule OPP."),
        needs=(P2MI,),
        stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
    )
    def orientation_missing(ctx: Context) -> Iterator[Hit]:
        ...

The engine runs a rule only on days its ``law`` is in force, only in its ``stages`` and only
when every agency in ``needs`` could be read; otherwise it reports the agency as
SOURCE_UNAVAILABLE instead. A rule marked ``partial`` (open cases) still runs on what
answered, because what it finds is a fact whatever else is missing, while the missing agency
still makes the verdict incomplete. A ``Hit`` may carry its own severity when the rule's
condition grades it (a grace month, a risk marker, before or after departure).
``condition`` may name configuration as ``{c.field}``; the generated documentation fills it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hub.protection.config import RulesConfig
from hub.protection.facts import WorkerFacts
from hub.protection.law import Dated, Law, MoratoriumEntry
from hub.protection.situation import Situation, Stage
from hub.protection.text import Text
from hub.protection.verdict import Action, Finding
from schema.enums import Severity
from schema.records import PlacementRecord, Provenance

ALL_STAGES = tuple(Stage)


@dataclass(frozen=True, slots=True)
class Hit:
    params: Mapping[str, object]
    evidence: tuple[Provenance, ...] = ()
    severity: Severity | None = None  # None: the rule's own


@dataclass(slots=True)
class Context:
    facts: WorkerFacts
    today: date
    config: RulesConfig
    situation: Situation
    memo: dict[str, Any] = field(default_factory=dict)  # work shared by sibling rules

    @property
    def placement(self) -> PlacementRecord | None:
        return self.situation.placement

    @property
    def placement_evidence(self) -> tuple[Provenance, ...]:
        placement = self.situation.placement
        return (placement.provenance,) if placement is not None else ()


Check = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    law: Law
    condition: str
    message: Text
    action: Text | None
    needs: frozenset[str]
    stages: frozenset[Stage]
    check: Check | None  # None: emitted by the engine itself (SOURCE_UNAVAILABLE, SOURCE_STALE)
    partial: bool = False
    actions: tuple[Action, ...] = ()  # addressed to the P3MI, BPJS or the worker

    @property
    def basis(self) -> str:
        return self.law.citation

    def finding(
        self,
        params: Mapping[str, object],
        evidence: tuple[Provenance, ...] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """The finding; ``severity`` when the rule's own condition sets a different one (a
        grace month, a risk marker), documented in its condition."""
        action = self.action.format(params) if self.action is not None else None
        actions = tuple(Action(a.party, a.text.format(params)) for a in self.actions)
        message = self.message.format(params)
        return Finding(self.code, severity or self.severity, message, action, evidence, actions)

    def condition_for(self, config: RulesConfig) -> str:
        return self.condition.format(c=PlainConfig(config))

    def describe(self) -> tuple[object, ...]:
        """Everything that defines the rule's meaning, for ``rules_version``."""
        return (
            self.code,
            self.severity.value,
            self.law,
            self.condition,
            self.message,
            self.action,
            sorted(self.needs),
            sorted(s.value for s in self.stages),
            self.partial,
            self.actions,
        )


class PlainConfig:
    """Configuration as plain words: tuples as lists, enums by value, dates in ISO form."""

    def __init__(self, config: RulesConfig) -> None:
        self._config = config

    def __getattr__(self, name: str) -> str:
        value = getattr(self._config, name)
        if isinstance(value, tuple):
            return ", ".join(_plain(v) for v in value)
        return str(value)


def _plain(value: object) -> str:
    """A list entry in words: a dated value with its dates, a country with its law's dates."""
    if isinstance(value, Dated):
        return f"{value.value} ({value.law.dates()})"
    if isinstance(value, MoratoriumEntry):
        spsk = f", except {value.exception}" if value.exception else ""
        return f"{value.country}{spsk}"  # the approved companies are tabled in the docs
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], Law):
        return str(value[0])
    return str(value)


def rule(
    *,
    code: str,
    severity: Severity,
    law: Law,
    condition: str,
    message: Text,
    action: Text | None,
    needs: Iterable[str] = (),
    stages: Iterable[Stage] = ALL_STAGES,
    partial: bool = False,
    actions: Iterable[Action] = (),
) -> Callable[[Check], Rule]:
    def wrap(check: Check) -> Rule:
        return Rule(
            code=code,
            severity=severity,
            law=law,
            condition=condition,
            message=message,
            action=action,
            needs=frozenset(needs),
            stages=frozenset(stages),
            check=check,
            partial=partial,
            actions=tuple(actions),
        )

    return wrap
