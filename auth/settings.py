"""Auth settings, read once from an environ mapping and passed down.

- ``HUB_PUBLIC_URL``: the hub's own address, issuer of its tokens, base of ``/oauth``
  (``http://127.0.0.1:8000``)
- ``HUB_AUTH_AUDIENCE``: the ``aud`` every access token must carry (``pmihub``)
- ``HUB_AUTH_ISSUER``: an external identity provider's issuer; when set it replaces the hub's own
- ``HUB_AUTH_JWKS_URL``: that provider's JWKS address (required with ``HUB_AUTH_ISSUER``)
- ``HUB_AUTH_TOKEN_TYPES``: accepted JWT ``typ`` headers, comma-separated (``at+jwt``)
- ``HUB_AUTH_ACCESS_TTL``: access token lifetime in seconds (900)
- ``HUB_AUTH_REFRESH_TTL``: refresh token family lifetime in seconds (28800)
- ``HUB_AUTH_CODE_TTL``: authorization code lifetime in seconds, at most 600 (300)
- ``HUB_AUTH_MAX_LIFETIME``: the longest ``exp - iat`` a verified token may have, in seconds
  (3600; at least ``HUB_AUTH_ACCESS_TTL``)
- ``HUB_AUTH_SCOPE_MAP``: external provider scope names to hub scopes,
  ``idp-name=hub:scope,...``; when set, only mapped scopes count (unset: hub names pass through)
- ``HUB_AUTH_LEEWAY``: clock skew allowed on exp/nbf/iat in seconds (30)
- ``HUB_AUTH_JWKS_MIN_REFETCH``: at most one JWKS refetch per this many seconds (30)
- ``HUB_AUTH_JWKS_MAX_AGE``: a cached JWKS is refetched after this many seconds (3600)
- ``HUB_AUTH_KEY_SECRET``: encrypts signing keys and webhook secrets at rest; required outside
  HUB_ENV=test (with an external issuer too: the hub's own /oauth server still signs tokens)
- ``HUB_BREAK_GLASS_MINUTES``: how long a break-glass grant lasts (60)
- ``HUB_AUTH_DEVICE_HOURS``: after a good TOTP code an officer may tick "remember this device";
  the browser then skips the code (never the password) for this many hours (12; 0: never)
- ``HUB_AUTH_DEMO``: demo mode, a banner on the login page (true when ``HUB_ENV=dev``)
- ``HUB_AUTH_CONSOLE_REDIRECT``: the demo console's redirect URI
  (``<public url>/console/callback``)
- ``HUB_OIDC_*``: sign-in through an external OpenID Connect provider (auth/oidc/settings.py)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from auth.scopes import ALL_SCOPES

if TYPE_CHECKING:
    from auth.oidc.settings import OidcSettings

DEV_KEY_SECRET = "pmihub-development-only-signing-key-secret"  # noqa: S105 (dev/test only)
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


class AuthSettingsError(ValueError):
    """An auth setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class AuthSettings:
    public_url: str = "http://127.0.0.1:8000"
    audience: str = "pmihub"
    external_issuer: str | None = None
    external_jwks_url: str | None = None
    token_types: frozenset[str] = frozenset({"at+jwt"})
    access_ttl: int = 900
    refresh_ttl: int = 28_800
    code_ttl: int = 300
    leeway: int = 30
    max_lifetime: int = 3600
    scope_map: tuple[tuple[str, str], ...] = ()
    jwks_min_refetch: int = 30
    jwks_max_age: int = 3600
    key_secret: str = field(default=DEV_KEY_SECRET, repr=False)
    break_glass_minutes: int = 60
    break_glass_per_hour: int = 5
    device_hours: int = 12
    demo: bool = False
    console_redirect_uri: str = "http://127.0.0.1:8000/console/callback"
    oidc: OidcSettings | None = None

    @property
    def issuer(self) -> str:
        """The issuer the hub verifies: the external provider's, else the hub's own."""
        return self.external_issuer or self.public_url

    @property
    def local_issuer(self) -> str:
        return self.public_url

    @property
    def external(self) -> bool:
        return self.external_issuer is not None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> AuthSettings:
        env = environ
        mode = env.get("HUB_ENV", "production")
        public_url = _url(env, "HUB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
        issuer = env.get("HUB_AUTH_ISSUER") or None
        jwks_url = env.get("HUB_AUTH_JWKS_URL") or None
        if issuer is not None:
            _url(env, "HUB_AUTH_ISSUER", issuer)
            if jwks_url is None:
                raise AuthSettingsError("HUB_AUTH_JWKS_URL is required with HUB_AUTH_ISSUER")
            _url(env, "HUB_AUTH_JWKS_URL", jwks_url)
        elif jwks_url is not None:
            raise AuthSettingsError("HUB_AUTH_JWKS_URL is set but HUB_AUTH_ISSUER is not")
        secret = key_secret(env)
        from auth.oidc.settings import OidcSettings  # here: it imports this module's error

        oidc = OidcSettings.from_environ(env, public_url)
        if oidc is not None and issuer is not None:
            raise AuthSettingsError(
                "HUB_OIDC_ISSUER and HUB_AUTH_ISSUER exclude each other: with HUB_OIDC_* the "
                "console signs in at the provider and uses the hub's own tokens"
            )
        types = frozenset(
            t.strip().lower() for t in env.get("HUB_AUTH_TOKEN_TYPES", "at+jwt").split(",")
        ) - {""}
        if not types:
            raise AuthSettingsError("HUB_AUTH_TOKEN_TYPES must name at least one type")
        code_ttl = _int(env, "HUB_AUTH_CODE_TTL", 300)
        if code_ttl > 600:
            raise AuthSettingsError("HUB_AUTH_CODE_TTL must be at most 600 (RFC 6749 §4.1.2)")
        access_ttl = _int(env, "HUB_AUTH_ACCESS_TTL", 900)
        max_lifetime = _int(env, "HUB_AUTH_MAX_LIFETIME", max(3600, access_ttl))
        if max_lifetime < access_ttl:
            raise AuthSettingsError("HUB_AUTH_MAX_LIFETIME must be at least HUB_AUTH_ACCESS_TTL")
        return cls(
            public_url=public_url,
            audience=env.get("HUB_AUTH_AUDIENCE") or "pmihub",
            external_issuer=issuer,
            external_jwks_url=jwks_url,
            token_types=types,
            access_ttl=access_ttl,
            refresh_ttl=_int(env, "HUB_AUTH_REFRESH_TTL", 28_800),
            code_ttl=code_ttl,
            leeway=_int(env, "HUB_AUTH_LEEWAY", 30, minimum=0),
            max_lifetime=max_lifetime,
            scope_map=_scope_map(env.get("HUB_AUTH_SCOPE_MAP", "")),
            jwks_min_refetch=_int(env, "HUB_AUTH_JWKS_MIN_REFETCH", 30, minimum=0),
            jwks_max_age=_int(env, "HUB_AUTH_JWKS_MAX_AGE", 3600),
            key_secret=secret,
            break_glass_minutes=_int(env, "HUB_BREAK_GLASS_MINUTES", 60),
            break_glass_per_hour=_int(env, "HUB_BREAK_GLASS_PER_HOUR", 5),
            device_hours=_int(env, "HUB_AUTH_DEVICE_HOURS", 12, minimum=0),
            demo=_bool(env, "HUB_AUTH_DEMO", default=mode == "dev"),
            console_redirect_uri=_url(
                env, "HUB_AUTH_CONSOLE_REDIRECT", f"{public_url}/console/callback"
            ),
            oidc=oidc,
        )


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AuthSettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise AuthSettingsError(f"{name} must be at least {minimum}")
    return value


def _scope_map(raw: str) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        outside, _, hub = (side.strip() for side in item.partition("="))
        if not outside or hub not in ALL_SCOPES:
            raise AuthSettingsError(
                f"HUB_AUTH_SCOPE_MAP: {item!r} must be provider-scope=hub-scope (a hub scope)"
            )
        pairs.append((outside, hub))
    return tuple(pairs)


def _bool(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise AuthSettingsError(f"{name} must be true or false, got {raw!r}")


def key_secret(env: Mapping[str, str]) -> str:
    """``HUB_AUTH_KEY_SECRET``, at least 16 characters: it seals the token signing keys and
    the webhook secrets, and keys the login page's CSRF tokens. The development secret only
    under ``HUB_ENV=test``: an external issuer does not make it optional, since the hub's own
    authorization server stays mounted and signs tokens."""
    secret = env.get("HUB_AUTH_KEY_SECRET")
    if not secret:
        if env.get("HUB_ENV", "production") != "test":
            raise AuthSettingsError(
                "HUB_AUTH_KEY_SECRET is required outside HUB_ENV=test: it encrypts the "
                "token signing keys and webhook secrets stored in the database"
            )
        return DEV_KEY_SECRET
    if len(secret) < 16:
        raise AuthSettingsError("HUB_AUTH_KEY_SECRET must be at least 16 characters")
    return secret


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuthSettingsError(f"{name} must be an absolute http(s) URL, got {value!r}")
    return value
