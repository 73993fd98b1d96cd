"""Evaluate the rules over one worker's facts and explain the verdict."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from hub.protection import labels
from hub.protection.config import DEFAULT_CONFIG, RulesConfig
from hub.protection.facts import WorkerFacts
from hub.protection.levels import LEVEL_TABLE, Outcome, level_of
from hub.protection.rule import Check, Context, Rule
from hub.protection.rules import NOTICES, RULES, SOURCE_STALE, SOURCE_UNAVAILABLE
from hub.protection.rules.sources import REASONS
from hub.protection.situation import Stage, situate
from hub.protection.text import Text
from hub.protection.verdict import Finding, Verdict, ordered
from schema import clock
from schema.enums import SourceState

# Bump by hand when the meaning of a code changes incompatibly; the digest after it changes by
# itself whenever a rule's definition, the level table or the configuration changes.
RULES_MAJOR = "2"  # 2: the law of 2023-2025 (issue #17): severities graded, codes added

_Plan = tuple[tuple[tuple[Rule, Check], ...], frozenset[str]]


def rules_version(config: RulesConfig, rules: Iterable[Rule] = RULES) -> str:
    described = (
        [r.describe() for r in (*rules, *NOTICES)],
        [(row.level.value, row.when) for row in LEVEL_TABLE],
        repr(config),
    )
    digest = hashlib.sha256(repr(described).encode()).hexdigest()
    return f"{RULES_MAJOR}.{digest[:10]}"


class Engine:
    """The rules with one configuration; ``evaluate`` is pure given ``today``."""

    def __init__(self, config: RulesConfig = DEFAULT_CONFIG, rules: Iterable[Rule] = RULES):
        self.config = config
        self.rules = tuple(rules)
        self.version = rules_version(config, self.rules)
        self._plans: dict[tuple[Stage, frozenset[str], frozenset[str]], _Plan] = {}
        self._laws: dict[date, frozenset[str]] = {}

    def evaluate(
        self,
        facts: WorkerFacts,
        *,
        today: date | None = None,
        evaluated_at: datetime | None = None,
    ) -> Verdict:
        """The verdict on ``today`` (default: the hub clock, ``HUB_TODAY`` when pinned)."""
        if evaluated_at is None:
            evaluated_at = clock.now()
        if today is None:
            today = clock.today()
        readable = facts.readable()
        situation = situate(facts, today, self.config, readable)
        ctx = Context(facts, today, self.config, situation)
        runnable, missing = self._plan(situation.stage, readable, self._in_force(today))
        missing = missing | situation.missing
        findings: list[Finding] = []
        for r, check in runnable:
            findings += (r.finding(hit.params, hit.evidence, hit.severity) for hit in check(ctx))
        for agency in missing:
            reason = REASONS.get(facts.sources.get(agency), REASONS[None])
            findings.append(SOURCE_UNAVAILABLE.finding(_about(agency, reason)))
        for agency, state in facts.sources.items():
            if state == SourceState.STALE:
                findings.append(SOURCE_STALE.finding(_about(agency)))
        phase = situation.stage.phase
        complete = not missing
        level = level_of(Outcome(frozenset(f.severity for f in findings), complete, phase))
        return Verdict(level, phase, complete, ordered(findings), evaluated_at, self.version)

    def _in_force(self, today: date) -> frozenset[str]:
        """The codes of the rules whose law is in force on ``today``."""
        codes = self._laws.get(today)
        if codes is None:
            if len(self._laws) > 64:
                self._laws.clear()
            codes = self._laws[today] = frozenset(
                r.code for r in self.rules if r.law.in_force(today)
            )
        return codes

    def _plan(self, stage: Stage, readable: frozenset[str], in_force: frozenset[str]) -> _Plan:
        """The rules to run in ``stage`` under the law in force and the agencies missing for
        the others; the set of readable agencies takes few values, so plans are cached."""
        plan = self._plans.get((stage, readable, in_force))
        if plan is None:
            runnable: list[tuple[Rule, Check]] = []
            missing: set[str] = set()
            for r in self.rules:
                if stage not in r.stages or r.check is None or r.code not in in_force:
                    continue
                lacking = r.needs - readable
                missing |= lacking
                if r.partial or not lacking:
                    runnable.append((r, r.check))
            plan = self._plans[(stage, readable, in_force)] = (tuple(runnable), frozenset(missing))
        return plan


def _about(agency: str, reason: Text | None = None) -> dict[str, object]:
    return {"agency": labels.agency(agency), "reason": reason}


DEFAULT_ENGINE = Engine()
RULES_VERSION = DEFAULT_ENGINE.version


def evaluate(
    facts: WorkerFacts, *, today: date | None = None, evaluated_at: datetime | None = None
) -> Verdict:
    """The verdict of the default rules and configuration."""
    return DEFAULT_ENGINE.evaluate(facts, today=today, evaluated_at=evaluated_at)
