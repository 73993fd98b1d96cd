"""``ProtectionStatus`` and ``Finding``: the engine's verdict as the API shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import strawberry

from hub.graphql.plain import pure
from hub.protection import Finding as EngineFinding
from hub.protection import Verdict
from hub.protection.verdict import Party
from schema.graphql import types as t

ActionParty = strawberry.enum(Party, name="ActionParty")


@strawberry.type
class Finding:
    code: str
    severity: t.Severity  # type: ignore[valid-type]
    evidence: list[t.Provenance]
    finding: strawberry.Private[EngineFinding]

    @strawberry.field
    @pure
    def message(self, lang: t.Lang = t.Lang.ID) -> str:
        return self.finding.message_in(lang.value)

    @strawberry.field
    @pure
    def action(self, lang: t.Lang = t.Lang.ID) -> str | None:
        return self.finding.action_in(lang.value)

    @strawberry.field(
        description="What the given party must do (OFFICER, P3MI, BPJS or, in plain words, "
        "WORKER); the worker's own page shows the WORKER's only."
    )
    @pure
    def actions_for(
        self,
        party: ActionParty,  # type: ignore[valid-type]
        lang: t.Lang = t.Lang.ID,
    ) -> list[str]:
        return list(self.finding.actions_for(Party(party.value), lang.value))


@strawberry.type
class ProtectionStatus:
    level: t.ProtectionLevel  # type: ignore[valid-type]
    phase: t.ProtectionPhase  # type: ignore[valid-type]
    complete: bool
    findings: list[Finding]
    evaluated_at: dt.datetime
    rules_version: str

    @classmethod
    def of(
        cls, verdict: Verdict, findings: Iterable[EngineFinding] | None = None
    ) -> ProtectionStatus:
        """``findings``: the verdict's findings as the token may see them (hub.graphql.redact)."""
        AGENCIES = {a.value for a in t.AgencyEnum}
        return cls(
            level=verdict.level,
            phase=verdict.phase,
            complete=verdict.complete,
            findings=[
                Finding(
                    code=f.code,
                    severity=f.severity,
                    # a hub case opened by a client of no agency has no Agency to name
                    evidence=[t.Provenance.of(p) for p in f.evidence if p.agency in AGENCIES],
                    finding=f,
                )
                for f in (verdict.findings if findings is None else findings)
            ],
            evaluated_at=verdict.evaluated_at,
            rules_version=verdict.rules_version,
        )
