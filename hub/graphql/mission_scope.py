"""The mission an officer's token is bound to, if any (the ``mission`` claim)."""

from __future__ import annotations

from auth.principal import Principal
from schema.missions import mission_info


def own_mission(principal: Principal) -> str | None:
    """The mission code the token names, when it names a known one: its officer sees that
    mission's alerts and cohorts only. A claim naming no known mission binds to none of
    them (``"-"``), so it widens nothing."""
    raw = principal.claims.get("mission")
    if not isinstance(raw, str) or not raw.strip():
        return None
    code = raw.strip().upper()
    return code if mission_info(code) is not None else "-"


__all__ = ["own_mission"]
