"""Auth settings from an environ mapping."""

from __future__ import annotations

import pytest

from auth.settings import DEV_KEY_SECRET, AuthSettings, AuthSettingsError


def test_defaults_in_dev_mode() -> None:
    settings = AuthSettings.from_environ({"HUB_ENV": "dev", "HUB_AUTH_KEY_SECRET": "s" * 32})
    assert settings.issuer == settings.local_issuer == "http://127.0.0.1:8000"
    assert settings.audience == "pmihub"
    assert settings.demo is True
    assert settings.external is False
    assert settings.token_types == {"at+jwt"}
    assert settings.key_secret == "s" * 32
    assert settings.console_redirect_uri == "http://127.0.0.1:8000/console/callback"
    assert "s" * 32 not in repr(settings)


def test_the_development_key_secret_is_the_test_suites_only() -> None:
    # the demo (HUB_ENV=dev) generates its own: a published secret would seal nothing
    with pytest.raises(AuthSettingsError, match="HUB_AUTH_KEY_SECRET is required"):
        AuthSettings.from_environ({"HUB_ENV": "dev"})
    settings = AuthSettings.from_environ({"HUB_ENV": "test"})
    assert settings.key_secret == DEV_KEY_SECRET
    assert DEV_KEY_SECRET not in repr(settings)


def test_production_needs_a_key_secret_and_is_not_demo() -> None:
    with pytest.raises(AuthSettingsError, match="HUB_AUTH_KEY_SECRET"):
        AuthSettings.from_environ({})
    settings = AuthSettings.from_environ(
        {"HUB_AUTH_KEY_SECRET": "k" * 32, "HUB_PUBLIC_URL": "https://hub.example.go.id/"}
    )
    assert settings.demo is False
    assert settings.issuer == "https://hub.example.go.id"


def test_an_external_issuer() -> None:
    external = {
        "HUB_AUTH_ISSUER": "https://sso.example/realms/pmi",
        "HUB_AUTH_JWKS_URL": "https://sso.example/realms/pmi/certs",
    }
    # the hub's own /oauth server stays mounted and signs tokens: never under a public secret
    with pytest.raises(AuthSettingsError, match="HUB_AUTH_KEY_SECRET is required"):
        AuthSettings.from_environ(external)
    settings = AuthSettings.from_environ(
        {
            "HUB_AUTH_KEY_SECRET": "k" * 32,
            "HUB_AUTH_ISSUER": "https://sso.example/realms/pmi",
            "HUB_AUTH_JWKS_URL": "https://sso.example/realms/pmi/certs",
            "HUB_AUTH_AUDIENCE": "pmihub-api",
            "HUB_AUTH_TOKEN_TYPES": "at+jwt, application/at+jwt",
        }
    )
    assert settings.external and settings.issuer == "https://sso.example/realms/pmi"
    assert settings.audience == "pmihub-api"
    assert settings.token_types == {"at+jwt", "application/at+jwt"}


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({"HUB_AUTH_ISSUER": "https://sso.example"}, "HUB_AUTH_JWKS_URL"),
        ({"HUB_AUTH_JWKS_URL": "https://sso.example/certs"}, "HUB_AUTH_ISSUER"),
        ({"HUB_PUBLIC_URL": "hub.example"}, "HUB_PUBLIC_URL"),
        ({"HUB_AUTH_ACCESS_TTL": "ten"}, "HUB_AUTH_ACCESS_TTL"),
        ({"HUB_AUTH_ACCESS_TTL": "0"}, "HUB_AUTH_ACCESS_TTL"),
        ({"HUB_AUTH_CODE_TTL": "3600"}, "HUB_AUTH_CODE_TTL"),
        ({"HUB_AUTH_DEMO": "maybe"}, "HUB_AUTH_DEMO"),
        ({"HUB_AUTH_KEY_SECRET": "short"}, "HUB_AUTH_KEY_SECRET"),
        ({"HUB_AUTH_TOKEN_TYPES": " , "}, "HUB_AUTH_TOKEN_TYPES"),
        ({"HUB_BREAK_GLASS_MINUTES": "-5"}, "HUB_BREAK_GLASS_MINUTES"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], name: str) -> None:
    with pytest.raises(AuthSettingsError, match=name):
        AuthSettings.from_environ({"HUB_ENV": "test", **environ})


def test_tunables() -> None:
    settings = AuthSettings.from_environ(
        {
            "HUB_ENV": "test",
            "HUB_AUTH_ACCESS_TTL": "300",
            "HUB_BREAK_GLASS_MINUTES": "15",
            "HUB_AUTH_DEMO": "false",
            "HUB_AUTH_LEEWAY": "0",
        }
    )
    assert (settings.access_ttl, settings.break_glass_minutes) == (300, 15)
    assert (settings.demo, settings.leeway) == (False, 0)
