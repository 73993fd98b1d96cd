"""Sign-in through an external OpenID Connect provider (a ministry Keycloak): ``HUB_OIDC_*``.

The hub is a relying party of the provider: the console's sign-in page offers "Sign in with
<provider>", the hub runs the authorization code flow with PKCE there, verifies the ID token,
maps the provider's groups (or roles) to hub scopes and a mission, and then issues the console
its own token, as its own login does. Unset ``HUB_OIDC_ISSUER``: no such button.

- ``HUB_OIDC_ISSUER``: the provider's issuer, exactly as its discovery document gives it
  (``https://sso.example.go.id/realms/pmi``); https, or http on a loopback address
- ``HUB_OIDC_CLIENT_ID``: the hub's client at the provider (required with the issuer)
- ``HUB_OIDC_CLIENT_SECRET``: that client's secret (at least 16 characters); unset, the hub is
  a public client and PKCE alone protects the code
- ``HUB_OIDC_GROUP_MAP``: provider group (or role) to hub access, ``;``-separated entries
  ``GROUP=ACCESS[@MISSION]``; ACCESS is a staff role of ``auth.roles`` (``officer``, which
  needs a mission, ``auditor``, ``identity-reviewer``) or space-separated hub scopes (never
  ``self``); MISSION a mission code (``HKG``). Required
- ``HUB_OIDC_GROUPS_CLAIM``: the ID token claim holding the groups, a dotted path for nested
  claims (``groups``; Keycloak realm roles: ``realm_access.roles``)
- ``HUB_OIDC_NAME``: the provider's name on the button (``SSO``)
- ``HUB_OIDC_SCOPES``: the scopes asked of the provider (``openid profile``; must hold openid)
- ``HUB_OIDC_AUDIENCES``: audiences besides the client id an ID token may carry,
  comma-separated (none: an ID token for anyone else is refused)
- ``HUB_OIDC_ALGORITHMS``: the ID token signature algorithms accepted (``RS256,PS256,ES256``;
  asymmetric only)
- ``HUB_OIDC_REDIRECT_URI``: the callback registered at the provider
  (``<HUB_PUBLIC_URL>/oauth/oidc/callback``)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from auth.roles import ROLES
from auth.scopes import ALL_SCOPES, Scope
from auth.settings import AuthSettingsError
from schema.missions import MISSIONS

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)
STAFF_ROLES = tuple(name for name, role in ROLES.items() if not role.worker)
CALLBACK_PATH = "/oauth/oidc/callback"
MISSION_CODES = frozenset(m.code for m in MISSIONS)
_NAME = re.compile(r"[\w .()-]{1,60}")


class OidcSettingsError(AuthSettingsError):
    """A ``HUB_OIDC_*`` setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class GroupRule:
    """What one provider group gives: hub scopes (a role's, or listed) and perhaps a mission."""

    group: str
    scopes: frozenset[str]
    mission: str | None = None


@dataclass(frozen=True, slots=True)
class OidcSettings:
    issuer: str
    client_id: str
    rules: tuple[GroupRule, ...]
    redirect_uri: str
    client_secret: str | None = field(default=None, repr=False)
    name: str = "SSO"
    scopes: str = "openid profile"
    groups_claim: str = "groups"
    audiences: frozenset[str] = frozenset()
    algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @classmethod
    def from_environ(cls, env: Mapping[str, str], public_url: str) -> OidcSettings | None:
        issuer = env.get("HUB_OIDC_ISSUER") or None
        if issuer is None:
            stray = sorted(k for k in env if k.startswith("HUB_OIDC_") and env[k])
            if stray:
                raise OidcSettingsError(f"{stray[0]} is set but HUB_OIDC_ISSUER is not")
            return None
        provider_url("HUB_OIDC_ISSUER", issuer)
        client_id = env.get("HUB_OIDC_CLIENT_ID") or ""
        if not client_id or len(client_id) > 200:
            raise OidcSettingsError("HUB_OIDC_CLIENT_ID is required with HUB_OIDC_ISSUER")
        secret = env.get("HUB_OIDC_CLIENT_SECRET") or None
        if secret is not None and len(secret) < 16:
            raise OidcSettingsError("HUB_OIDC_CLIENT_SECRET must be at least 16 characters")
        name = (env.get("HUB_OIDC_NAME") or "SSO").strip()
        if not _NAME.fullmatch(name):
            raise OidcSettingsError(
                "HUB_OIDC_NAME must be 1-60 letters, digits, spaces, '.', '(', ')' or '-'"
            )
        scopes = " ".join((env.get("HUB_OIDC_SCOPES") or "openid profile").split())
        if "openid" not in scopes.split():
            raise OidcSettingsError("HUB_OIDC_SCOPES must include openid")
        claim = (env.get("HUB_OIDC_GROUPS_CLAIM") or "groups").strip()
        if not claim or any(not part for part in claim.split(".")):
            raise OidcSettingsError("HUB_OIDC_GROUPS_CLAIM must be a claim name or dotted path")
        redirect = env.get("HUB_OIDC_REDIRECT_URI") or public_url.rstrip("/") + CALLBACK_PATH
        provider_url("HUB_OIDC_REDIRECT_URI", redirect)
        if not urlsplit(redirect).path.endswith(CALLBACK_PATH):
            raise OidcSettingsError(f"HUB_OIDC_REDIRECT_URI must end with {CALLBACK_PATH}")
        return cls(
            issuer=issuer,
            client_id=client_id,
            client_secret=secret,
            rules=group_rules(env.get("HUB_OIDC_GROUP_MAP", "")),
            redirect_uri=redirect,
            name=name,
            scopes=scopes,
            groups_claim=claim,
            audiences=frozenset(_items(env.get("HUB_OIDC_AUDIENCES", ""))),
            algorithms=_algorithms(env.get("HUB_OIDC_ALGORITHMS") or "RS256,PS256,ES256"),
        )


def provider_url(name: str, value: str) -> str:
    """An absolute https URL, or http on a loopback address (tests, a provider beside the hub)."""
    parts = urlsplit(value)
    local = parts.scheme == "http" and parts.hostname in LOOPBACK
    if not parts.hostname or not (parts.scheme == "https" or local):
        raise OidcSettingsError(f"{name} must be an https URL (http only on loopback)")
    if parts.query or parts.fragment:
        raise OidcSettingsError(f"{name} must have no query or fragment")
    return value


def group_rules(raw: str) -> tuple[GroupRule, ...]:
    rules: list[GroupRule] = []
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        group, sep, access = (side.strip() for side in entry.partition("="))
        if not sep or not group or not access:
            raise OidcSettingsError(f"HUB_OIDC_GROUP_MAP: {entry!r} is not GROUP=ACCESS[@MISSION]")
        what, _, mission = (side.strip() for side in access.partition("@"))
        if mission and mission not in MISSION_CODES:
            raise OidcSettingsError(
                f"HUB_OIDC_GROUP_MAP: {entry!r}: {mission!r} is not a mission code "
                f"({', '.join(sorted(MISSION_CODES))})"
            )
        role = ROLES.get(what)
        if role is not None:
            if role.worker:
                raise OidcSettingsError(f"HUB_OIDC_GROUP_MAP: {entry!r}: workers never map")
            if role.mission != bool(mission):
                need = "needs @MISSION" if role.mission else "belongs to no mission"
                raise OidcSettingsError(f"HUB_OIDC_GROUP_MAP: {entry!r}: {what} {need}")
            scopes = role.scopes
        else:
            scopes = frozenset(what.split())
            wrong = sorted(scopes - ALL_SCOPES) or sorted(scopes & {Scope.SELF})
            if wrong:
                raise OidcSettingsError(
                    f"HUB_OIDC_GROUP_MAP: {entry!r}: {wrong[0]!r} is neither a staff role "
                    f"({', '.join(STAFF_ROLES)}) nor a hub scope other than self"
                )
        rules.append(GroupRule(group, scopes, mission or None))
    if not rules:
        raise OidcSettingsError(
            "HUB_OIDC_GROUP_MAP is required with HUB_OIDC_ISSUER (GROUP=officer@MISSION;...)"
        )
    return tuple(rules)


def _algorithms(raw: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(_items(raw)))
    wrong = [a for a in chosen if a not in ALGORITHMS]
    if wrong or not chosen:
        raise OidcSettingsError(
            f"HUB_OIDC_ALGORITHMS: {', '.join(wrong) or '(none)'} not accepted; choose from "
            + ", ".join(sorted(ALGORITHMS))
        )
    return chosen


def _items(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


__all__ = ["CALLBACK_PATH", "GroupRule", "OidcSettings", "OidcSettingsError", "provider_url"]
