"""Provider groups (or roles) to hub scopes and a mission, by ``HUB_OIDC_GROUP_MAP``.

Every mapped group the ID token names adds its scopes; the missions they name must agree (an
officer acts for one mission). No mapped group, or two missions: the sign-in is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auth.oidc.settings import OidcSettings

MAX_GROUPS = 500


@dataclass(frozen=True, slots=True)
class Mapped:
    scopes: frozenset[str]
    mission: str | None


class NotMapped(Exception):
    """The person holds no mapped group, or groups of different missions."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unmappedGroups" | "twoMissions"


def groups_of(claims: Mapping[str, Any], path: str) -> list[str]:
    """The strings at the claim ``path`` (dotted for nested objects); anything else is none."""
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    return [g for g in value[:MAX_GROUPS] if isinstance(g, str)]


def map_groups(settings: OidcSettings, claims: Mapping[str, Any]) -> Mapped:
    held = set(groups_of(claims, settings.groups_claim))
    rules = [rule for rule in settings.rules if rule.group in held]
    if not rules:
        raise NotMapped("unmappedGroups")
    missions = {rule.mission for rule in rules if rule.mission}
    if len(missions) > 1:
        raise NotMapped("twoMissions")
    scopes = frozenset().union(*(rule.scopes for rule in rules))
    return Mapped(scopes=scopes, mission=next(iter(missions), None))


__all__ = ["Mapped", "NotMapped", "groups_of", "map_groups"]
