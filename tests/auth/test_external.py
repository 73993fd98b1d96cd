"""An external identity provider: JWKS cached, refetched on an unknown kid at most once per N s."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jws
from joserfc.jwk import ECKey, OctKey, RSAKey

from auth.errors import AuthUnavailable, InvalidToken
from auth.external import ExternalVerifier, parse_jwks
from auth.settings import AuthSettings
from auth.verify import build_verifier, principal_from_claims
from tests.auth._support import FakeClock, b64, resign_hmac

pytestmark = pytest.mark.anyio
IDP = "https://sso.kemnaker.example/realms/pmi"
JWKS_URL = IDP + "/protocol/openid-connect/certs"


class IdentityProvider:
    """A fake Keycloak: its keys, a JWKS endpoint that counts calls, and a switch to fail."""

    def __init__(self) -> None:
        self.keys: dict[str, ECKey | RSAKey] = {}
        self.calls = 0
        self.down = False
        self.add("k1")

    def add(self, kid: str, key: ECKey | RSAKey | None = None) -> None:
        self.keys[kid] = key or ECKey.generate_key("P-256", private=True)

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == JWKS_URL
        self.calls += 1
        if self.down:
            return httpx.Response(503)
        keys = [
            {**k.as_dict(private=False), "kid": kid, "use": "sig"} for kid, k in self.keys.items()
        ]
        return httpx.Response(200, json={"keys": keys})

    def token(self, kid: str = "k1", *, alg: str = "ES256", **claims: Any) -> str:
        now = int(claims.pop("now"))
        body = {
            "iss": IDP,
            "aud": ["pmihub", "account"],
            "sub": "3f1c-officer",
            "azp": "ministry-portal",
            "scope": "openid profile worker.identity:read case:read",
            "iat": now,
            "exp": now + 300,
            "jti": "jti-" + kid,
            **claims,
        }
        header = {"alg": alg, "typ": "at+jwt", "kid": kid}
        return jws.serialize_compact(
            header, json.dumps(body).encode(), self.keys[kid], algorithms=[alg]
        )


@pytest.fixture
def idp() -> IdentityProvider:
    return IdentityProvider()


@pytest.fixture
def external_settings() -> AuthSettings:
    return AuthSettings.from_environ(
        {
            "HUB_ENV": "production",
            "HUB_AUTH_KEY_SECRET": "k" * 32,
            "HUB_AUTH_ISSUER": IDP,
            "HUB_AUTH_JWKS_URL": JWKS_URL,
            "HUB_AUTH_JWKS_MIN_REFETCH": "30",
        }
    )


@pytest.fixture
async def verifier(idp: IdentityProvider, external_settings: AuthSettings, clock: FakeClock) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(idp.handler)) as http:
        yield ExternalVerifier(external_settings, http, monotonic=clock, wall=clock)


async def test_a_provider_token_becomes_a_principal(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    claims = await verifier.verify(idp.token(now=clock()))
    principal = principal_from_claims(claims, "CASE_HANDLING")
    assert principal.client_id == "ministry-portal"  # from azp
    assert principal.scopes == {"worker.identity:read", "case:read"}  # only hub scopes
    assert principal.issuer == IDP
    assert idp.calls == 1


async def test_keys_are_cached(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    for _ in range(5):
        await verifier.verify(idp.token(now=clock()))
    assert idp.calls == 1


async def test_a_new_kid_triggers_one_refetch(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    # given a cached JWKS, then the provider rotates
    await verifier.verify(idp.token(now=clock()))
    clock.advance(31)
    idp.add("k2")
    # when
    claims = await verifier.verify(idp.token("k2", now=clock()))
    # then
    assert claims["jti"] == "jti-k2"
    assert idp.calls == 2


async def test_unknown_kids_refetch_at_most_once_per_interval(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    await verifier.verify(idp.token(now=clock()))
    forged = ECKey.generate_key("P-256", private=True)
    idp_forger = IdentityProvider()
    idp_forger.add("nope", forged)
    clock.advance(31)
    for _ in range(10):
        with pytest.raises(InvalidToken) as caught:
            await verifier.verify(idp_forger.token("nope", now=clock()))
        assert caught.value.reason.value == "unknown_key"
    assert idp.calls == 2
    clock.advance(31)
    with pytest.raises(InvalidToken):
        await verifier.verify(idp_forger.token("nope", now=clock()))
    assert idp.calls == 3


async def test_the_jwks_is_refreshed_after_its_max_age(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    await verifier.verify(idp.token(now=clock()))
    clock.advance(3601)
    await verifier.verify(idp.token(now=clock()))
    assert idp.calls == 2


async def test_cached_keys_keep_working_while_the_provider_is_down(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    await verifier.verify(idp.token(now=clock()))
    idp.down = True
    clock.advance(3601)
    assert (await verifier.verify(idp.token(now=clock())))["sub"] == "3f1c-officer"


async def test_with_no_keys_and_the_provider_down_auth_is_unavailable(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    idp.down = True
    with pytest.raises(AuthUnavailable) as caught:
        await verifier.verify(idp.token(now=clock()))
    assert caught.value.status_code == 503


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"iss": "https://other.example"}, "wrong_issuer"),
        ({"aud": "account"}, "wrong_audience"),
        ({"exp": 1}, "expired"),
        ({"azp": None}, "missing_claim"),
    ],
)
async def test_provider_tokens_are_checked_like_ours(
    claims: dict[str, Any],
    reason: str,
    idp: IdentityProvider,
    verifier: ExternalVerifier,
    clock: FakeClock,
) -> None:
    token = idp.token(now=clock(), **claims)
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    assert caught.value.reason.value == reason


async def test_hmac_with_the_providers_public_key_is_refused(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    await verifier.verify(idp.token(now=clock()))
    pem = idp.keys["k1"].as_pem(private=False)
    claims = {"iss": IDP, "aud": "pmihub", "sub": "x", "azp": "x", "jti": "j"}
    claims.update(iat=int(clock()), exp=int(clock()) + 60)
    token = resign_hmac({"alg": "HS256", "typ": "at+jwt", "kid": "k1"}, claims, pem)
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    assert caught.value.reason.value == "unsupported_algorithm"


async def test_an_rsa_key_cannot_verify_an_es256_header(
    idp: IdentityProvider, verifier: ExternalVerifier, clock: FakeClock
) -> None:
    idp.add("rsa", RSAKey.generate_key(2048, private=True))
    token = idp.token("rsa", alg="RS256", now=clock())
    assert (await verifier.verify(token))["jti"] == "jti-rsa"
    _, body, sig = token.split(".")
    es_head = b64(json.dumps({"alg": "ES256", "typ": "at+jwt", "kid": "rsa"}).encode())
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(f"{es_head}.{body}.{sig}")
    assert caught.value.reason.value == "unsupported_algorithm"


def test_symmetric_weak_and_private_jwks_entries_are_ignored() -> None:
    weak_numbers = rsa.generate_private_key(65537, 1024).public_key().public_numbers()  # noqa: S505
    weak = {"kty": "RSA", "n": b64(weak_numbers.n.to_bytes(128, "big")), "e": "AQAB"}
    good = ECKey.generate_key("P-256", private=True)
    document = {
        "keys": [
            {**OctKey.generate_key(256).as_dict(), "kid": "oct"},
            {**weak, "kid": "weak"},
            {**good.as_dict(private=True), "kid": "ec"},
            {**good.as_dict(private=False), "kid": "enc", "use": "enc"},
            {"kty": "EC", "kid": "broken"},
            "not a key",
        ]
    }
    keys = parse_jwks(document)
    assert list(keys) == ["ec"]
    assert not keys["ec"].is_private
    with pytest.raises(ValueError):
        parse_jwks({"no": "keys"})


async def test_build_verifier_picks_the_provider_when_configured(
    external_settings: AuthSettings, engine: Any
) -> None:
    async with httpx.AsyncClient() as http:
        assert isinstance(build_verifier(external_settings, engine, http), ExternalVerifier)
    with pytest.raises(ValueError):
        build_verifier(external_settings, engine, None)
