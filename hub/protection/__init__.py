"""The protection engine: an explainable verdict on one worker's protection status.

``evaluate(WorkerFacts) -> Verdict``; ``render_verdict`` for the terminal; ``profile`` for the
bench; ``python -m hub.protection.docs`` writes docs/protection-rules.md.
"""

from __future__ import annotations

from hub.protection.config import DEFAULT_CONFIG, RulesConfig
from hub.protection.engine import DEFAULT_ENGINE, RULES_VERSION, Engine, evaluate, rules_version
from hub.protection.facts import WorkerFacts
from hub.protection.profile import Profile, profile
from hub.protection.render import render_verdict
from hub.protection.text import Text, UnsupportedLanguage
from hub.protection.verdict import Action, Finding, Party, Verdict

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_ENGINE",
    "RULES_VERSION",
    "Action",
    "Engine",
    "Finding",
    "Party",
    "Profile",
    "RulesConfig",
    "Text",
    "UnsupportedLanguage",
    "Verdict",
    "WorkerFacts",
    "evaluate",
    "profile",
    "render_verdict",
    "rules_version",
]
