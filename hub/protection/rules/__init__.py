"""Every rule the engine runs, in documentation order, and the engine's own notices."""

from __future__ import annotations

from hub.protection.rules import (
    benefits,
    card,
    case_benefits,
    cases,
    consular,
    contract,
    licence,
    procedure,
    return_home,
    seafarer,
    social_security,
)
from hub.protection.rules.sources import NOTICES, SOURCE_STALE, SOURCE_UNAVAILABLE

RULES = (
    *procedure.RULES,
    *licence.RULES,
    *contract.RULES,
    *social_security.RULES,
    *consular.RULES,
    *card.RULES,
    *seafarer.RULES,
    *cases.RULES,
    *case_benefits.RULES,
    *benefits.RULES,
    *return_home.RULES,
)

__all__ = ["NOTICES", "RULES", "SOURCE_STALE", "SOURCE_UNAVAILABLE"]
