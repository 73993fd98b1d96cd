"""``HUB_OIDC_*``: sign-in through an external OpenID Connect provider, checked at start-up."""

from __future__ import annotations

import pytest

from auth.oidc.accounts import role_of
from auth.oidc.mapping import NotMapped, groups_of, map_groups
from auth.oidc.settings import GroupRule, OidcSettingsError
from auth.roles import ROLES
from auth.scopes import Scope
from auth.settings import AuthSettings, AuthSettingsError

OFFICER_SCOPES = ROLES["officer"].scopes
BASE = {
    "HUB_ENV": "test",
    "HUB_PUBLIC_URL": "https://hub.example.go.id",
    "HUB_OIDC_ISSUER": "https://sso.example.go.id/realms/pmi",
    "HUB_OIDC_CLIENT_ID": "pmihub-console",
    "HUB_OIDC_GROUP_MAP": "/missions/HKG/officers=officer@HKG; /pusat/audit=audit:read case:read",
}


def test_a_keycloak_configuration() -> None:
    settings = AuthSettings.from_environ(
        {**BASE, "HUB_OIDC_CLIENT_SECRET": "s" * 32, "HUB_OIDC_NAME": "Keycloak Kemlu"}
    )
    oidc = settings.oidc
    assert oidc is not None
    assert oidc.discovery_url == (
        "https://sso.example.go.id/realms/pmi/.well-known/openid-configuration"
    )
    assert oidc.redirect_uri == "https://hub.example.go.id/oauth/oidc/callback"
    assert oidc.rules == (
        GroupRule("/missions/HKG/officers", OFFICER_SCOPES, "HKG"),
        GroupRule("/pusat/audit", frozenset({"audit:read", "case:read"}), None),
    )
    assert oidc.algorithms == ("RS256", "PS256", "ES256")
    assert oidc.scopes == "openid profile" and oidc.groups_claim == "groups"
    assert "s" * 32 not in repr(settings)


def test_unset_means_no_provider_and_a_stray_setting_is_named() -> None:
    assert AuthSettings.from_environ({"HUB_ENV": "test"}).oidc is None
    with pytest.raises(AuthSettingsError, match=r"^HUB_OIDC_CLIENT_ID is set but HUB_OIDC_ISSUER"):
        AuthSettings.from_environ({"HUB_ENV": "test", "HUB_OIDC_CLIENT_ID": "x"})


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"HUB_OIDC_ISSUER": "http://sso.example.go.id/realms/pmi"}, "HUB_OIDC_ISSUER"),
        ({"HUB_OIDC_ISSUER": "sso.example.go.id"}, "HUB_OIDC_ISSUER"),
        ({"HUB_OIDC_CLIENT_ID": ""}, "HUB_OIDC_CLIENT_ID"),
        ({"HUB_OIDC_CLIENT_SECRET": "short"}, "HUB_OIDC_CLIENT_SECRET"),
        ({"HUB_OIDC_GROUP_MAP": ""}, "HUB_OIDC_GROUP_MAP"),
        ({"HUB_OIDC_GROUP_MAP": "/g=officer"}, "HUB_OIDC_GROUP_MAP.*needs @MISSION"),
        ({"HUB_OIDC_GROUP_MAP": "/g=officer@XXX"}, "HUB_OIDC_GROUP_MAP.*not a mission"),
        ({"HUB_OIDC_GROUP_MAP": "/g=self"}, "HUB_OIDC_GROUP_MAP.*'self'"),
        ({"HUB_OIDC_GROUP_MAP": "/g=worker"}, "HUB_OIDC_GROUP_MAP.*workers never map"),
        ({"HUB_OIDC_GROUP_MAP": "/g=auditor@HKG"}, "HUB_OIDC_GROUP_MAP.*belongs to no mission"),
        ({"HUB_OIDC_GROUP_MAP": "/g=root@HKG"}, "HUB_OIDC_GROUP_MAP.*'root'"),
        ({"HUB_OIDC_GROUP_MAP": "/g"}, "HUB_OIDC_GROUP_MAP"),
        ({"HUB_OIDC_ALGORITHMS": "HS256"}, "HUB_OIDC_ALGORITHMS: HS256"),
        ({"HUB_OIDC_ALGORITHMS": "none"}, "HUB_OIDC_ALGORITHMS"),
        ({"HUB_OIDC_SCOPES": "profile"}, "HUB_OIDC_SCOPES"),
        ({"HUB_OIDC_NAME": "<script>"}, "HUB_OIDC_NAME"),
        ({"HUB_OIDC_GROUPS_CLAIM": "realm_access..roles"}, "HUB_OIDC_GROUPS_CLAIM"),
        ({"HUB_OIDC_REDIRECT_URI": "https://hub.example.go.id/cb"}, "HUB_OIDC_REDIRECT_URI"),
        (
            {"HUB_AUTH_ISSUER": "https://x.example", "HUB_AUTH_JWKS_URL": "https://x.example/k"},
            "HUB_OIDC_ISSUER and HUB_AUTH_ISSUER",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(change: dict[str, str], name: str) -> None:
    with pytest.raises(AuthSettingsError, match=name) as caught:
        AuthSettings.from_environ({**BASE, **change})
    assert isinstance(caught.value, AuthSettingsError)
    assert "\n" not in str(caught.value)


def test_http_is_allowed_on_loopback_only() -> None:
    settings = AuthSettings.from_environ({**BASE, "HUB_OIDC_ISSUER": "http://127.0.0.1:9000/"})
    assert settings.oidc is not None and settings.oidc.issuer == "http://127.0.0.1:9000/"
    with pytest.raises(OidcSettingsError):
        AuthSettings.from_environ({**BASE, "HUB_OIDC_ISSUER": "http://10.0.0.5:9000"})


def test_groups_map_to_scopes_and_one_mission() -> None:
    oidc = AuthSettings.from_environ(
        {
            **BASE,
            "HUB_OIDC_GROUPS_CLAIM": "realm_access.roles",
            "HUB_OIDC_GROUP_MAP": "hkg=officer@HKG;kul=officer@KUL;audit=audit:read",
        }
    ).oidc
    assert oidc is not None
    both = map_groups(oidc, {"realm_access": {"roles": ["hkg", "audit", "other"]}})
    assert both.mission == "HKG" and Scope.AUDIT_READ in both.scopes
    assert both.scopes >= OFFICER_SCOPES
    for claims, reason in [
        ({"realm_access": {"roles": ["other"]}}, "unmappedGroups"),
        ({"realm_access": {"roles": "hkg kul"}}, "unmappedGroups"),  # one odd string
        ({"realm_access": ["hkg"]}, "unmappedGroups"),
        ({}, "unmappedGroups"),
        ({"realm_access": {"roles": ["hkg", "kul"]}}, "twoMissions"),
    ]:
        with pytest.raises(NotMapped) as caught:
            map_groups(oidc, claims)
        assert caught.value.reason == reason
    assert groups_of({"groups": ["a", 1, None, "b"]}, "groups") == ["a", "b"]


def test_roles_map_as_the_hubs_own_roles() -> None:
    oidc = AuthSettings.from_environ(
        {**BASE, "HUB_OIDC_GROUP_MAP": "/audit=auditor; /ids=identity-reviewer; /x=case:read"}
    ).oidc
    assert oidc is not None
    assert [rule.scopes for rule in oidc.rules] == [
        ROLES["auditor"].scopes,
        ROLES["identity-reviewer"].scopes,
        frozenset({"case:read"}),
    ]
    assert role_of(OFFICER_SCOPES, "HKG").agency == "EMBASSY"
    assert role_of(ROLES["auditor"].scopes, None).name == "auditor"
    assert role_of(ROLES["identity-reviewer"].scopes, None).name == "identity-reviewer"
    assert role_of(frozenset({"case:read"}), None).agency == "PMIHUB"
