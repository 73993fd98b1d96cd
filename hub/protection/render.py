"""A verdict as plain text for a person at a terminal (``pmihub status``)."""

from __future__ import annotations

import textwrap

from hub.protection import labels
from hub.protection.text import Text, check_lang
from hub.protection.verdict import Finding, Verdict
from schema.records import Provenance

HEADINGS = {
    "title": Text("Status pelindungan", "Protection status"),
    "level": Text("Tingkat", "Level"),
    "phase": Text("Tahap", "Phase"),
    "complete": Text("Kelengkapan", "Completeness"),
    "evaluated": Text("Dievaluasi", "Evaluated"),
    "rules": Text("aturan", "rules"),
    "findings": Text("Temuan", "Findings"),
    "none": Text("Tidak ada temuan.", "No findings."),
    "action": Text("Tindakan", "Action"),
    "evidence": Text("Bukti", "Evidence"),
    "cached": Text("dari cache", "from cache"),
}
COMPLETE = Text("lengkap", "complete")
INCOMPLETE = Text(
    "TIDAK LENGKAP: ada sumber yang tidak dapat dibaca", "INCOMPLETE: a source could not be read"
)
WIDTH = 88
INDENT = " " * 7


def render_verdict(verdict: Verdict, lang: str = "ID") -> str:
    """Level, phase, completeness and each finding with its severity, message, action and
    evidence (agency, system, record id); UnsupportedLanguage for anything but ID or EN."""
    lang = check_lang(lang)

    def h(key: str) -> str:
        return _heading(key, lang)

    phase = labels.PHASES[verdict.phase].in_(lang)
    completeness = (COMPLETE if verdict.complete else INCOMPLETE).in_(lang)
    lines = [
        h("title"),
        f"  {h('level'):<13}{_named(labels.LEVELS[verdict.level].in_(lang), verdict.level)}",
        f"  {h('phase'):<13}{_named(phase[:1].upper() + phase[1:], verdict.phase)}",
        f"  {h('complete'):<13}{completeness}",
        f"  {h('evaluated'):<13}{verdict.evaluated_at.isoformat(timespec='seconds')}, "
        f"{h('rules')} {verdict.rules_version}",
        "",
    ]
    if not verdict.findings:
        lines.append(h("none"))
    else:
        lines.append(f"{h('findings')} ({len(verdict.findings)}):")
        for number, finding in enumerate(verdict.findings, start=1):
            lines += _finding(number, finding, lang)
    return "\n".join(lines) + "\n"


def _named(label: str, code: str) -> str:
    """A label with its code beside it, unless they read the same."""
    return label if label == code else f"{label} ({code})"


def _heading(key: str, lang: str) -> str:
    return HEADINGS[key].in_(lang)


def _finding(number: int, finding: Finding, lang: str) -> list[str]:
    severity = labels.SEVERITIES[finding.severity].in_(lang)
    lines = [f"{number:>3}. [{severity}] {finding.code}"]
    lines.append(_wrap(finding.message_in(lang)))
    action = finding.action_in(lang)
    if action:
        lines.append(_wrap(f"{_heading('action', lang)}: {action}"))
    if finding.evidence:
        lines.append(f"{INDENT}{_heading('evidence', lang)}:")
        lines += [f"{INDENT}  - {_source(p, lang)}" for p in finding.evidence]
    return lines


def _wrap(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT)


def _source(p: Provenance, lang: str) -> str:
    cached = f" ({_heading('cached', lang)})" if p.stale else ""
    return f"{p.agency} · {p.system} · {p.record_id}{cached}"
