"""``python -m hub.protection.docs``: write docs/protection-rules.md from the rule definitions.

``--check`` writes nothing and exits 1 when the file is out of date.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from hub.protection import law as law_module
from hub.protection import levels, situation
from hub.protection.config import RulesConfig
from hub.protection.engine import DEFAULT_ENGINE, Engine
from hub.protection.law import WINDOW_LAWS, Law
from hub.protection.levels import LEVEL_TABLE
from hub.protection.rule import PlainConfig, Rule
from hub.protection.rules import NOTICES, social_security
from hub.protection.situation import Stage
from hub.protection.text import Text
from hub.protection.verdict import SEVERITY_RANK
from schema.enums import Severity

LISTED = ("moratorium", "closed_destinations")  # tabled under "Dated lists and periods"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "protection-rules.md"
STAGE_WORDS = {
    Stage.PRE_PLACEMENT: "pre-placement",
    Stage.PLACEMENT: "placement",
    Stage.POST_PLACEMENT: "post-placement (within the post-return window)",
    Stage.HOME: "home (post-placement, window over)",
    Stage.UNKNOWN: "unknown",
}

SOURCES = """\
Each rule declares the agencies it reads (*needs*). The hub reports every agency's state:
OK, STALE, NOT_FOUND, UNAVAILABLE or DENIED. NOT_FOUND means the agency answered that it
holds no record of the worker: that is information (not enrolled, not placed), and the rules
use it. UNAVAILABLE and DENIED mean the hub could not read the agency (an agency absent from
the states counts the same, as *not consulted*): a rule that needs it does not conclude and
emits nothing, and the engine adds one SOURCE_UNAVAILABLE finding per such agency, naming the
agency and nothing else. The verdict is then incomplete (`complete: false`) and, by the level
table, UNKNOWN unless the findings it could make already show UNPROTECTED or EMERGENCY; never
PROTECTED. The stage itself needs SISKOP2MI, and the missions when SISKOP2MI shows no
pre-placement or placement. Case rules are the one exception to "emits nothing": a case found
at one agency is a fact even when the other could not be read, so they run on what answered.

STALE data (an agency that did not answer live, served from the hub's cache) is used as it
is; the verdict says so with one SOURCE_STALE (INFO) finding per stale agency, and the
records keep `stale: true` in their provenance, which every finding's evidence shows.
STALE does not make a verdict incomplete or lower its level.
"""

DATES = """\
Days are counted from the evaluation date (the hub clock, `HUB_TODAY` when pinned), which is
day 0. Coverage is in force when start <= today <= end: cover ending today is still in force
and reported as ending soon ("today"); cover ending in {soon} days is reported, in {later}
days is not. Cover that ended yesterday is expired. A contract ending today is still running; one
that ended yesterday makes CONTRACT_ENDED_NOT_REPORTED, and CONTRACT_EXPIRED_STILL_ABROAD once
the grace month is over. A passport expiring today is still
valid (PASSPORT_EXPIRES_SOON); one that expired yesterday is PASSPORT_EXPIRED.
"""


def _doc(obj: object) -> str:
    return inspect.cleandoc(obj.__doc__ or "")


def _quote(text: Text, label: str) -> list[str]:
    return [f"- {label} (ID): {text.id}", f"- {label} (EN): {text.en}"]


def _rule(r: Rule, config: RulesConfig) -> list[str]:
    stages = ", ".join(STAGE_WORDS[s] for s in Stage if s in r.stages)
    needs = ", ".join(sorted(r.needs)) or "none (written by the engine)"
    if r.partial:
        needs += "; runs on the agencies that answered"
    lines = [
        f"### {r.code}",
        "",
        f"- Severity: {r.severity.value}",
        f"- Stages: {stages}",
        f"- Needs: {needs}",
        f"- Legal basis: {r.basis}",
        f"- In force: {r.law.dates()}; sources: {', '.join(r.law.sources) or 'none'}",
        *([f"- Weak source: {r.law.weak}"] if r.law.weak else []),
        f"- Condition: {r.condition_for(config)}",
        *_quote(r.message, "Message"),
    ]
    lines += _quote(r.action, "Action (officer)") if r.action else ["- Action (officer): none"]
    for addressed in r.actions:
        lines += _quote(addressed.text, f"Action ({addressed.party.value.lower()})")
    return [*lines, ""]


def _law(law: Law) -> str:
    weak = f" Weak: {law.weak}" if law.weak else ""
    return f"{law.citation}; {law.dates()}; {', '.join(law.sources)}.{weak}"


def _law_tables(config: RulesConfig) -> list[str]:
    """The configured lists and periods set by law, each entry with its basis and dates."""
    lines = [
        "## Dated lists and periods",
        "",
        _doc(law_module),
        "",
        "Moratorium (household employers), by country:",
        "",
        "| country | basis | exception |",
        "| --- | --- | --- |",
    ]
    for m in config.moratorium:
        exception = f"{m.exception}: {_law(m.exception_law)}" if m.exception_law else "-"
        if m.exception_law:
            exception += f" Approved companies: {', '.join(m.approved) or 'none listed'}."
        lines.append(f"| {m.country} | {_law(m.law)} | {exception} |")
    lines += ["", "Destinations closed to placement:", "", "| country | basis |", "| --- | --- |"]
    lines += [f"| {c} | {_law(law)} |" for c, law in config.closed_destinations]
    lines += ["", "Programme periods:", "", "| setting | value | basis |", "| --- | --- | --- |"]
    for name in ("jkk_claim_years", "independent_pre_departure_months", "card_transition_months"):
        lines += [f"| `{name}` | {d.value} | {_law(d.law)} |" for d in getattr(config, name)]
    for name, law in WINDOW_LAWS.items():
        lines.append(f"| `{name}` | {getattr(config, name)} | {_law(law)} |")
    return [*lines, ""]


def render_markdown(engine: Engine = DEFAULT_ENGINE) -> str:
    config, rules = engine.config, (*engine.rules, *NOTICES)
    by_severity = {
        s: ", ".join(r.code for r in rules if r.severity is s) or "none"
        for s in sorted(Severity, key=SEVERITY_RANK.__getitem__)
    }
    lines = [
        "# Protection rules",
        "",
        "Generated by `python -m hub.protection.docs` from the rule definitions in "
        "`hub/protection/`; do not edit by hand. A test fails when this file is out of date.",
        "",
        f"Rules version: `{engine.version}`: the major number, bumped by hand when a code's "
        "meaning changes incompatibly, then a digest of every rule definition, the level table "
        "and the configuration, which changes by itself with any of them.",
        "",
        "## Stage and phase",
        "",
        _doc(situation),
        "",
        "## Sources and completeness",
        "",
        SOURCES,
        "## Dates and boundaries",
        "",
        DATES.format(soon=config.coverage_ends_soon_days, later=config.coverage_ends_soon_days + 1),
        "## BPJS Ketenagakerjaan cover",
        "",
        _doc(social_security),
        "",
        "`{renewal}` in the actions of the BPJS rules reads, by phase:",
        "",
        *(
            f"- {STAGE_WORDS[stage]}: {social_security.renewal(stage, config).en} / "
            f"{social_security.renewal(stage, config).id}"
            for stage in (Stage.PRE_PLACEMENT, Stage.PLACEMENT, Stage.POST_PLACEMENT)
        ),
        "",
        "## Levels",
        "",
        _doc(levels),
        "",
        "| # | level | when |",
        "| --- | --- | --- |",
        *(f"| {i} | {row.level.value} | {row.when} |" for i, row in enumerate(LEVEL_TABLE, 1)),
        "",
        "Codes by severity:",
        "",
        *(f"- {s.value}: {codes}" for s, codes in by_severity.items()),
        "",
        "## Configuration",
        "",
        _doc(RulesConfig),
        "",
        "| setting | value |",
        "| --- | --- |",
        *(
            f"| `{f.name}` | {getattr(PlainConfig(config), f.name)} |"
            for f in fields(config)
            if f.name not in LISTED
        ),
        "",
        *_law_tables(config),
        "## Rules",
        "",
        "| code | severity | stages | needs |",
        "| --- | --- | --- | --- |",
        *(
            f"| {r.code} | {r.severity.value} | "
            f"{', '.join(s.value for s in Stage if s in r.stages)} | "
            f"{', '.join(sorted(r.needs)) or '-'} |"
            for r in rules
        ),
        "",
    ]
    for r in rules:
        lines += _rule(r, config)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.protection.docs", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    text = render_markdown()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is out of date: run python -m hub.protection.docs")
            return 1
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
