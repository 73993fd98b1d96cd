"""Tokens mean what the registry says: a well-signed token is still refused when its client is
unknown or disabled, its scopes exceed the registration, its lifetime is too long, or its user
is unknown or disabled. External tokens: lifetime, and a scope mapping."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from auth.clients import add_client, disable_client
from auth.errors import InvalidToken, TokenReason
from auth.external import ExternalVerifier
from auth.models import UserRow
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings, AuthSettingsError
from auth.standing import Registry
from tests.auth._support import WORKER_ID, FakeClock, good_claims, sign_with_server_key
from tests.auth.test_external import IDP, JWKS_URL, IdentityProvider

YEAR = 365 * 24 * 3600
OFFICER = "petugas.kbri"


def forged(server: HubAuthorizationServer, clock: FakeClock, **claims: Any) -> str:
    """A token signed with the hub's own key (as a leaked key would sign one)."""
    return sign_with_server_key(server, good_claims(server, clock, **claims))


def reason(server: HubAuthorizationServer, token: str) -> TokenReason:
    with pytest.raises(InvalidToken) as refused:
        server.verifier.verify_sync(token)
    return refused.value.reason


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"client_id": "ghost-client", "sub": "ghost-client"}, TokenReason.UNKNOWN_CLIENT),
        ({"scope": "worker.identity:read identity:admin"}, TokenReason.SCOPE_NOT_REGISTERED),
        ({"scope": "audit:read"}, TokenReason.SCOPE_NOT_REGISTERED),
        ({"sub": "someone-else"}, TokenReason.UNKNOWN_SUBJECT),
        ({"sub": "W-NOBODY", "client_id": "console-frontend", "scope": "self"}, None),
        (
            {"sub": OFFICER, "client_id": "console-frontend", "scope": "self"},
            TokenReason.UNKNOWN_SUBJECT,  # an officer's name is no worker's
        ),
        (
            {"sub": WORKER_ID, "client_id": "console-frontend", "scope": "self case:read"},
            TokenReason.SCOPE_NOT_REGISTERED,
        ),
    ],
)
def test_forged_but_well_signed_tokens_are_refused(
    claims: dict[str, Any],
    expected: TokenReason | None,
    server: HubAuthorizationServer,
    clock: FakeClock,
    demo: dict[str, Any],
) -> None:
    assert reason(server, forged(server, clock, **claims)) == (
        expected or TokenReason.UNKNOWN_SUBJECT
    )


def test_a_year_long_token_is_refused(
    server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, Any]
) -> None:
    now = int(clock())
    token = forged(server, clock, iat=now, nbf=now, exp=now + YEAR)
    assert reason(server, token) is TokenReason.LIFETIME_TOO_LONG
    limit = now + server.settings.max_lifetime
    assert server.verifier.verify_sync(forged(server, clock, exp=limit))["exp"] == limit


def test_tokens_the_hub_issues_pass(
    server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, Any]
) -> None:
    officer = forged(
        server,
        clock,
        sub=OFFICER,
        client_id="console-frontend",
        scope="case:read emergency",
        mission="HKG",
    )
    worker = forged(server, clock, sub=WORKER_ID, client_id="console-frontend", scope="self")
    machine = forged(server, clock)
    for token in (officer, worker, machine):
        server.verifier.verify_sync(token)


def test_an_officer_token_must_carry_the_officers_mission(
    server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, Any]
) -> None:
    for mission in (None, "KUL"):  # none, or another mission than the registered one
        token = forged(
            server,
            clock,
            sub=OFFICER,
            client_id="console-frontend",
            scope="case:read",
            mission=mission,
        )
        assert reason(server, token) is TokenReason.INVALID_CLAIM


def test_disabling_a_client_refuses_its_tokens_at_once(
    engine: Engine, server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, Any]
) -> None:
    # given a token verified once (the client's registration is now cached)
    token = forged(server, clock)
    server.verifier.verify_sync(token)
    # when the client is disabled in this process
    disable_client(engine, "kemnaker-system")
    # then the cache does not keep it alive
    assert reason(server, token) is TokenReason.CLIENT_DISABLED


def test_a_disabled_user_is_refused(
    engine: Engine, server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, Any]
) -> None:
    with Session(engine) as session:
        row = session.get(UserRow, OFFICER)
        assert row is not None
        row.disabled = True
        session.add(row)
        session.commit()
    token = forged(server, clock, sub=OFFICER, client_id="console-frontend", scope="case:read")
    assert reason(server, token) is TokenReason.UNKNOWN_SUBJECT


def test_registry_reads_are_cached_briefly(engine: Engine, demo: dict[str, Any]) -> None:
    clock = FakeClock()
    registry = Registry(engine, ttl=5, clock=clock)
    for _ in range(10):
        assert registry.client("kemnaker-system") is not None
    assert registry.reads == 1
    clock.advance(5)
    registry.client("kemnaker-system")
    assert registry.reads == 2
    # a re-registration in this process is seen at once
    add_client(
        engine,
        client_id="kemnaker-system",
        name="K",
        agency="KEMNAKER",
        scopes=["placement:read"],
        grant_types=["client_credentials"],
        replace=True,
    )
    client = registry.client("kemnaker-system")
    assert client is not None and client.scopes == {"placement:read"}


def test_the_registry_stays_bounded(engine: Engine, demo: dict[str, Any]) -> None:
    registry = Registry(engine, max_entries=3)
    for n in range(10):
        registry.client(f"ghost-{n}")
    assert len(registry._cache) == 3


def test_the_maximum_lifetime_is_at_least_the_access_ttl() -> None:
    base = {"HUB_ENV": "test"}
    assert AuthSettings.from_environ(base).max_lifetime == 3600
    assert AuthSettings.from_environ({**base, "HUB_AUTH_ACCESS_TTL": "7200"}).max_lifetime == 7200
    with pytest.raises(AuthSettingsError, match="HUB_AUTH_MAX_LIFETIME"):
        AuthSettings.from_environ({**base, "HUB_AUTH_MAX_LIFETIME": "60"})
    with pytest.raises(AuthSettingsError, match="HUB_AUTH_SCOPE_MAP"):
        AuthSettings.from_environ({**base, "HUB_AUTH_SCOPE_MAP": "pmi-admin=root"})


# -- an external identity provider ----------------------------------------------------------


def external(**env: str) -> AuthSettings:
    return AuthSettings.from_environ(
        {
            "HUB_ENV": "production",
            "HUB_AUTH_KEY_SECRET": "k" * 32,
            "HUB_AUTH_ISSUER": IDP,
            "HUB_AUTH_JWKS_URL": JWKS_URL,
            **env,
        }
    )


@pytest.mark.anyio
async def test_external_scopes_follow_the_mapping(clock: FakeClock) -> None:
    idp = IdentityProvider()
    settings = external(HUB_AUTH_SCOPE_MAP="pmi-cases=case:read,pmi-identity=worker.identity:read")
    async with httpx.AsyncClient(transport=httpx.MockTransport(idp.handler)) as http:
        verifier = ExternalVerifier(settings, http, monotonic=clock, wall=clock)
        mapped = await verifier.verify(
            idp.token(now=clock(), scope="openid pmi-cases emergency audit:read")
        )
        unmapped = await verifier.verify(idp.token(now=clock(), scope="openid pmi-identity"))
    # hub names the provider sends are not taken as such once a mapping is set
    assert mapped["scope"] == "case:read"
    assert unmapped["scope"] == "worker.identity:read"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"exp_in": YEAR}, TokenReason.LIFETIME_TOO_LONG),
        ({"aud": "another-api"}, TokenReason.WRONG_AUDIENCE),
        ({"iss": "https://evil.example/realms/pmi"}, TokenReason.WRONG_ISSUER),
    ],
)
async def test_external_tokens_are_checked_for_lifetime_audience_and_issuer(
    claims: dict[str, Any], expected: TokenReason, clock: FakeClock
) -> None:
    idp = IdentityProvider()
    now = int(clock())
    if "exp_in" in claims:
        claims = {"exp": now + claims.pop("exp_in")}
    async with httpx.AsyncClient(transport=httpx.MockTransport(idp.handler)) as http:
        verifier = ExternalVerifier(external(), http, monotonic=clock, wall=clock)
        with pytest.raises(InvalidToken) as refused:
            await verifier.verify(idp.token(now=now, **claims))
    assert refused.value.reason is expected
