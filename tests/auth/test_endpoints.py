"""Revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414) and the JWKS."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from auth.errors import InvalidToken
from auth.server import HubAuthorizationServer
from tests.auth._support import (
    CONSOLE,
    REDIRECT,
    client_token,
    code_for,
    pkce,
    redeem,
    segments,
)

pytestmark = pytest.mark.anyio


def basic(demo: Any, client_id: str) -> tuple[str, str]:
    return client_id, demo["clients"][client_id]["client_secret"]


async def test_a_client_revokes_its_access_token(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    # given
    token = (await client_token(http, demo, "p2mi-system")).json()["access_token"]
    # when
    answer = await http.post(
        "/oauth/revoke",
        data={"token": token, "token_type_hint": "access_token"},
        auth=basic(demo, "p2mi-system"),
    )
    # then
    assert answer.status_code == 200
    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(token)
    assert caught.value.reason.value == "revoked"


async def test_the_frontend_revokes_its_refresh_token_and_the_family_dies(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    verifier, challenge = pkce()
    body = (await redeem(http, await code_for(http, demo, challenge), verifier)).json()
    answer = await http.post(
        "/oauth/revoke", data={"token": body["refresh_token"], "client_id": CONSOLE}
    )
    assert answer.status_code == 200
    with pytest.raises(InvalidToken):
        server.verifier.verify_sync(body["access_token"])
    again = await http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": CONSOLE,
        },
    )
    assert again.json()["error"] == "invalid_grant"


async def test_revoking_an_unknown_token_answers_200(http: httpx.AsyncClient, demo: Any) -> None:
    answer = await http.post(
        "/oauth/revoke", data={"token": "nonsense"}, auth=basic(demo, "p2mi-system")
    )
    assert answer.status_code == 200


async def test_a_client_cannot_revoke_another_clients_token(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    token = (await client_token(http, demo, "p2mi-system")).json()["access_token"]
    answer = await http.post(
        "/oauth/revoke", data={"token": token}, auth=basic(demo, "bpjs-system")
    )
    assert answer.status_code == 400
    server.verifier.verify_sync(token)  # still valid


async def test_revocation_needs_client_authentication(http: httpx.AsyncClient, demo: Any) -> None:
    answer = await http.post("/oauth/revoke", data={"token": "x"})
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"


async def test_introspection_describes_an_own_token(http: httpx.AsyncClient, demo: Any) -> None:
    token = (await client_token(http, demo, "bpjs-system", purpose="CLAIM_PROCESSING")).json()[
        "access_token"
    ]
    answer = await http.post(
        "/oauth/introspect", data={"token": token}, auth=basic(demo, "bpjs-system")
    )
    assert answer.status_code == 200
    body = answer.json()
    claims = segments(token)[1]
    assert body["active"] is True
    assert body["client_id"] == "bpjs-system"
    assert body["scope"] == claims["scope"]
    assert body["exp"] == claims["exp"] and body["jti"] == claims["jti"]
    assert body["purpose"] == "CLAIM_PROCESSING"
    assert body["token_type"] == "Bearer"


async def test_introspection_of_revoked_foreign_or_bogus_tokens_is_inactive(
    http: httpx.AsyncClient, demo: Any
) -> None:
    own = (await client_token(http, demo, "bpjs-system")).json()["access_token"]
    foreign = (await client_token(http, demo, "p2mi-system")).json()["access_token"]
    await http.post("/oauth/revoke", data={"token": own}, auth=basic(demo, "bpjs-system"))
    for token in (own, foreign, "bogus"):
        answer = await http.post(
            "/oauth/introspect", data={"token": token}, auth=basic(demo, "bpjs-system")
        )
        assert answer.json() == {"active": False}


async def test_introspection_of_a_refresh_token(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    # given a confidential code client (public clients may not introspect)
    from auth.clients import add_client

    _, secret = add_client(
        server.engine,
        client_id="portal",
        name="Portal",
        agency="P2MI",
        scopes=["case:read"],
        grant_types=["authorization_code", "refresh_token"],
        redirect_uris=[REDIRECT],
    )
    assert secret is not None
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge, client_id="portal", scope="case:read")
    unauthenticated = await redeem(http, code, verifier, client_id="portal")
    assert unauthenticated.json()["error"] == "invalid_client"
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge, client_id="portal", scope="case:read")
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    answer = await http.post("/oauth/token", data=data, auth=("portal", secret))
    refresh = answer.json()["refresh_token"]
    # when
    info = await http.post("/oauth/introspect", data={"token": refresh}, auth=("portal", secret))
    # then
    assert info.json()["active"] is True
    assert info.json()["token_type"] == "refresh_token"
    assert info.json()["sub"] == "petugas.kbri"
    assert info.json()["scope"] == "case:read"


async def test_public_clients_cannot_introspect(http: httpx.AsyncClient, demo: Any) -> None:
    answer = await http.post("/oauth/introspect", data={"token": "x", "client_id": CONSOLE})
    assert answer.json()["error"] == "invalid_client"


async def test_metadata_is_valid_rfc8414(http: httpx.AsyncClient) -> None:
    answer = await http.get("/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    meta = answer.json()
    AuthorizationServerMetadata(meta).validate()
    assert meta["issuer"] == "http://127.0.0.1:8000"
    assert meta["token_endpoint"] == "http://127.0.0.1:8000/oauth/token"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert "emergency" in meta["scopes_supported"]
    assert meta["authorization_endpoint"].endswith("/oauth/authorize")


async def test_jwks_publishes_public_keys_only(
    http: httpx.AsyncClient, server: HubAuthorizationServer
) -> None:
    answer = await http.get("/oauth/jwks")
    keys = answer.json()["keys"]
    assert [k["kid"] for k in keys] == [server.keys.signing_key().kid]
    assert all("d" not in k for k in keys)
    assert keys[0]["alg"] == "ES256" and keys[0]["use"] == "sig"
