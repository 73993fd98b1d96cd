"""The access policy and the scope table as Markdown, generated from the declarations.

``python -m hub.graphql.policy_docs`` rewrites the marked parts of docs/auth.md (the policy
table and the scope table) and README.md (the scope table only); tests/hub/graphql/
test_policy_docs.py fails when either is not what this module writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from auth.demo import (
    AGENCY_CLIENTS,
    CONSOLE_CLIENT,
    CONSOLE_SCOPES,
    OFFICER,
    OFFICER_SCOPES,
    WORKER,
)
from auth.purpose import Purpose
from auth.scopes import SCOPES, Scope
from hub.graphql.policy import ALL_PURPOSES, DATA_PURPOSES, POLICY, Gate, Rule, unlocks

ROOT = Path(__file__).resolve().parents[2]
AUTH_DOC = ROOT / "docs" / "auth.md"
README = ROOT / "README.md"

# What a scope opens beyond fields: purposes of use.
_EXTRA = {
    Scope.EMERGENCY: ["purpose EMERGENCY"],
    Scope.SELF: ["purpose SELF_SERVICE", "the fields marked self, on the worker's own record"],
}


def holders() -> dict[str, frozenset[str]]:
    """Each demo client or user and the scopes it holds (auth/demo.py)."""
    out: dict[str, frozenset[str]] = {c: scopes for c, (_, _, scopes) in AGENCY_CLIENTS.items()}
    out[CONSOLE_CLIENT] = CONSOLE_SCOPES
    out[OFFICER] = OFFICER_SCOPES
    out[WORKER] = frozenset({Scope.SELF})
    return out


def scope_table() -> str:
    who = holders()
    lines = [
        "| scope | unlocks | Bahasa Indonesia / English | " + " | ".join(who) + " |",
        "| --- | --- | --- | " + " | ".join(":-:" for _ in who) + " |",
    ]
    for scope, info in SCOPES.items():
        opens = ", ".join([*unlocks(scope), *_EXTRA.get(scope, [])])
        marks = " | ".join("✓" if scope in held else " " for held in who.values())
        lines.append(f"| `{scope}` | {opens} | {info.text_id} / {info.text_en} | {marks} |")
    return "\n".join(lines)


def _purposes(rule: Rule) -> str:
    if rule.purposes is None:
        return "none needed"
    if rule.purposes == ALL_PURPOSES:
        return "any"
    if rule.purposes == DATA_PURPOSES:
        return f"any but {Purpose.SELF_SERVICE.value}"
    return ", ".join(sorted(p.value for p in rule.purposes))


def policy_table() -> str:
    lines = [
        "| field | gate | scopes | purposes | audit category | self | note |",
        "| --- | --- | --- | --- | --- | :-: | --- |",
    ]
    within: dict[str, list[str]] = {}
    for coordinate, rule in POLICY.items():
        if rule.gate in (Gate.WITHIN, Gate.PUBLIC):
            key = f"{rule.gate.value}: {rule.within or rule.note}"
            within.setdefault(key, []).append(coordinate)
            continue
        scopes = " + ".join(f"`{s}`" for s in rule.scopes) or "—"
        if rule.dev_open:
            scopes += " (" + ", ".join(f"`{s}`" for s in rule.dev_open) + " not in dev)"
        lines.append(
            f"| `{coordinate}` | {rule.gate.value} | {scopes} | {_purposes(rule)} | "
            f"{rule.category or '—'} | {'✓' if rule.self_reads else ''} | {rule.note} |"
        )
    lines += ["", "Every other field is decided by the field that returns it:", ""]
    for key, coordinates in within.items():
        lines.append(f"- {key}: " + ", ".join(f"`{c}`" for c in coordinates))
    return "\n".join(lines)


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start (generated) -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no {start} … {end} markers")
    return pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)


def render_auth_doc(text: str) -> str:
    return _replace(_replace(text, "policy", policy_table()), "scopes", scope_table())


def render_readme(text: str) -> str:
    return _replace(text, "scopes", scope_table())


def main() -> None:
    AUTH_DOC.write_text(render_auth_doc(AUTH_DOC.read_text()))
    README.write_text(render_readme(README.read_text()))
    sys.stdout.write(f"wrote {AUTH_DOC} and {README}\n")


if __name__ == "__main__":
    main()
