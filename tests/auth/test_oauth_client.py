"""A real OAuth client library — authlib's ``AsyncOAuth2Client`` — completes both flows and
then calls a protected resource with what it got."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from auth.errors import AuthError
from auth.routes import oauth_routes
from auth.server import HubAuthorizationServer
from auth.starlette import authenticate, error_response
from auth.totp import code_at
from tests.auth._support import CONSOLE, ISSUER, REDIRECT, hidden_fields

pytestmark = pytest.mark.anyio
TOKEN_URL = ISSUER + "/oauth/token"


def client_class() -> Any:
    # authlib 1.9 prefers httpx2 and warns once, at import, when it falls back to httpx
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AuthlibDeprecationWarning)
        from authlib.integrations.httpx_client import AsyncOAuth2Client
    return AsyncOAuth2Client


@pytest.fixture
def hub_app(server: HubAuthorizationServer) -> Starlette:
    """The authorization server and one protected resource, as the hub mounts them."""

    async def me(request: Request) -> Response:
        try:
            principal = await authenticate(request, server.verifier)
        except AuthError as exc:
            return error_response(exc)
        return JSONResponse(
            {
                "clientId": principal.client_id,
                "subject": principal.subject,
                "scopes": sorted(principal.scopes),
                "purpose": principal.purpose,
            }
        )

    return Starlette(routes=[*oauth_routes(server), Route("/me", me)])


@pytest.fixture
async def transport(hub_app: Starlette) -> AsyncIterator[httpx.ASGITransport]:
    yield httpx.ASGITransport(app=hub_app)


async def test_client_credentials_with_authlibs_client(
    transport: httpx.ASGITransport, demo: dict[str, Any]
) -> None:
    creds = demo["clients"]["kemnaker-system"]
    async with client_class()(
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        scope="worker.identity:read placement:read",
        transport=transport,
        base_url=ISSUER,
    ) as client:
        # when
        token = await client.fetch_token(TOKEN_URL, grant_type="client_credentials")
        me = await client.get("/me", headers={"X-Purpose": "PLACEMENT_VERIFICATION"})
    # then
    assert token["token_type"] == "Bearer"
    assert me.status_code == 200, me.text
    assert me.json() == {
        "clientId": "kemnaker-system",
        "subject": "kemnaker-system",
        "scopes": ["placement:read", "worker.identity:read"],
        "purpose": "PLACEMENT_VERIFICATION",
    }


async def test_authorization_code_with_pkce_through_the_login_form(
    transport: httpx.ASGITransport, demo: dict[str, Any]
) -> None:
    officer = demo["users"]["embassy-officer"]
    async with client_class()(
        client_id=CONSOLE,
        token_endpoint_auth_method="none",
        redirect_uri=REDIRECT,
        scope="worker.identity:read consular:read emergency",
        code_challenge_method="S256",
        transport=transport,
        base_url=ISSUER,
    ) as client:
        # given the frontend sends the officer to the login page
        verifier = generate_token(64)
        url, state = client.create_authorization_url(
            ISSUER + "/oauth/authorize", code_verifier=verifier, purpose="EMERGENCY"
        )
        assert "code_challenge_method=S256" in url
        page = await client.request("GET", url, withhold_token=True)
        assert page.status_code == 200
        # when the officer posts the form
        form = hidden_fields(page.text)
        form.update(username=officer["username"], password=officer["password"], action="approve")
        step = await client.request("POST", "/oauth/authorize", data=form, withhold_token=True)
        # and gives the code of their authenticator app
        form = hidden_fields(step.text)
        form.update(code=code_at(officer["totp_secret"], demo["clock"]()), action="approve")
        answer = await client.request("POST", "/oauth/authorize", data=form, withhold_token=True)
        assert answer.status_code == 302, answer.text
        # and the frontend redeems the code with its verifier
        token = await client.fetch_token(
            TOKEN_URL,
            authorization_response=answer.headers["location"],
            code_verifier=verifier,
            state=state,
        )
        me = await client.get("/me")
        refreshed = await client.refresh_token(TOKEN_URL)
        again = await client.get("/me")
    # then
    assert (
        token["refresh_token"] and token["scope"] == "consular:read emergency worker.identity:read"
    )
    assert me.status_code == 200, me.text
    assert me.json()["subject"] == "petugas.kbri"
    assert me.json()["purpose"] == "EMERGENCY"
    assert refreshed["refresh_token"] != token["refresh_token"]
    assert again.status_code == 200
