"""RFC 9068 access tokens: what the issuer puts in, and every way verification refuses."""

from __future__ import annotations

import pytest

from auth.errors import InvalidToken, TokenReason
from auth.server import HubAuthorizationServer
from tests.auth._support import (
    FakeClock,
    good_claims,
    refused_tokens,
    segments,
    sign_with_server_key,
)


@pytest.fixture(autouse=True)
def registered(demo: dict[str, object]) -> None:
    """The demo clients and users: the verifier checks tokens against the registry."""


REFUSALS = [
    "expired",
    "not yet valid",
    "issued in the future",
    "wrong issuer",
    "wrong audience",
    "alg none",
    "HS256 with the public key (PEM)",
    "HS256 with the public key (JWK)",
    "tampered payload",
    "signed by another key",
    "signature stripped",
    "unknown kid",
    "no kid",
    "typ missing",
    "typ JWT",
    "no client_id",
    "no jti",
    "no exp",
    "exp not a number",
    "revoked",
    "not a JWT",
    "garbage header",
]


def test_issued_token_has_the_rfc9068_header_and_claims(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given
    issued = server.tokens.issue(
        client_id="bpjs-system",
        subject="bpjs-system",
        scopes={"social_security:read", "worker.identity:read"},
        agency="BPJS_KETENAGAKERJAAN",
        purpose="CLAIM_PROCESSING",
    )
    # when
    header, claims, _ = segments(issued.value)
    verified = server.verifier.verify_sync(issued.value)
    # then
    assert header == {"alg": "ES256", "typ": "at+jwt", "kid": server.keys.signing_key().kid}
    assert verified == claims
    assert claims["iss"] == "http://127.0.0.1:8000"
    assert claims["aud"] == "pmihub"
    assert claims["client_id"] == claims["sub"] == "bpjs-system"
    assert claims["scope"] == "social_security:read worker.identity:read"
    assert claims["exp"] - claims["iat"] == server.settings.access_ttl
    assert claims["iat"] == int(clock())
    assert claims["purpose"] == "CLAIM_PROCESSING"
    assert claims["agency"] == "BPJS_KETENAGAKERJAAN"
    assert claims["jti"] == issued.jti
    assert issued.value not in repr(issued)


def test_token_stays_valid_within_the_leeway_and_expires_after(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given
    token = sign_with_server_key(server, good_claims(server, clock))
    # when the clock passes exp by less than the leeway, then by more
    clock.advance(600 + server.settings.leeway - 1)
    server.verifier.verify_sync(token)
    clock.advance(2)
    # then
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(token)
    assert caught.value.reason is TokenReason.EXPIRED


@pytest.mark.parametrize("name", REFUSALS)
def test_verification_refuses(name: str, server: HubAuthorizationServer, clock: FakeClock) -> None:
    # given
    token, reason = refused_tokens(server, clock)[name]
    # when
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(token)
    # then
    assert caught.value.reason.value == reason
    assert caught.value.code == "INVALID_TOKEN"
    assert caught.value.status_code == 401
    assert token not in caught.value.message


def test_a_token_of_a_disabled_client_is_refused(
    server: HubAuthorizationServer, clock: FakeClock, demo: dict[str, object]
) -> None:
    # given
    from auth.clients import disable_client

    token = server.issue_client_token("bpjs-system").value
    server.verifier.verify_sync(token)
    # when
    disable_client(server.engine, "bpjs-system")
    # then
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(token)
    assert caught.value.reason is TokenReason.CLIENT_DISABLED


def test_audience_may_be_a_list_containing_the_hub(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    token = sign_with_server_key(server, good_claims(server, clock, aud=["other", "pmihub"]))
    assert server.verifier.verify_sync(token)["aud"] == ["other", "pmihub"]


def test_an_oversized_token_is_malformed(server: HubAuthorizationServer) -> None:
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync("a" * 9000 + ".b.c")
    assert caught.value.reason is TokenReason.MALFORMED


def test_header_parameters_that_point_at_keys_are_refused(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    token = sign_with_server_key(
        server, good_claims(server, clock), jku="https://evil.example/jwks"
    )
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(token)
    assert caught.value.reason is TokenReason.INVALID_CLAIM
