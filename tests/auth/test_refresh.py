"""Refresh tokens: rotation on every use, reuse detection that revokes the whole family."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from auth.errors import InvalidToken
from auth.server import HubAuthorizationServer
from tests.auth._support import CONSOLE, FakeClock, code_for, pkce, redeem, segments

pytestmark = pytest.mark.anyio


async def tokens(http: httpx.AsyncClient, demo: Any, **extra: str) -> dict[str, Any]:
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge, **extra)
    answer = await redeem(http, code, verifier)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def refresh(http: httpx.AsyncClient, token: str, **extra: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": token, "client_id": CONSOLE}
    return await http.post("/oauth/token", data={**data, **extra})


async def test_refresh_rotates_the_refresh_token(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    # given
    first = await tokens(http, demo, purpose="CASE_HANDLING")
    # when
    answer = await refresh(http, first["refresh_token"])
    # then
    assert answer.status_code == 200, answer.text
    second = answer.json()
    assert second["refresh_token"] != first["refresh_token"]
    claims = server.verifier.verify_sync(second["access_token"])
    assert claims["sub"] == "petugas.kbri"
    assert claims["purpose"] == "CASE_HANDLING"
    assert claims["jti"] != segments(first["access_token"])[1]["jti"]
    third = await refresh(http, second["refresh_token"])
    assert third.status_code == 200


async def test_refresh_token_reuse_revokes_the_family(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    # given a rotated family: r1 -> r2 (with access a2)
    first = await tokens(http, demo)
    second = (await refresh(http, first["refresh_token"])).json()
    # when r1 is presented again (a stolen copy)
    reuse = await refresh(http, first["refresh_token"])
    # then the reuse is refused and everything the family gave is revoked
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    assert "access_token" not in reuse.json()
    for access in (first["access_token"], second["access_token"]):
        with pytest.raises(InvalidToken) as caught:
            server.verifier.verify_sync(access)
        assert caught.value.reason.value == "revoked"
    legit = await refresh(http, second["refresh_token"])
    assert legit.json()["error"] == "invalid_grant"


async def test_refresh_may_narrow_but_never_widen_the_scope(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    first = await tokens(http, demo, scope="worker.identity:read placement:read")
    wider = await refresh(http, first["refresh_token"], scope="worker.identity:read emergency")
    assert wider.json()["error"] == "invalid_scope"
    first = await tokens(http, demo, scope="worker.identity:read placement:read")
    narrow = await refresh(http, first["refresh_token"], scope="placement:read")
    assert narrow.status_code == 200, narrow.text
    assert segments(narrow.json()["access_token"])[1]["scope"] == "placement:read"
    # the rotated refresh token keeps the family's scope (RFC 6749 §6)
    back = await refresh(http, narrow.json()["refresh_token"])
    assert back.json()["scope"] == "placement:read worker.identity:read"


async def test_the_family_ends_when_its_first_token_would_have(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer, clock: FakeClock
) -> None:
    first = await tokens(http, demo)
    clock.advance(server.settings.refresh_ttl - 10)
    second = await refresh(http, first["refresh_token"])
    assert second.status_code == 200
    clock.advance(20)
    third = await refresh(http, second.json()["refresh_token"])
    assert third.json()["error"] == "invalid_grant"


async def test_a_refresh_token_is_bound_to_its_client(http: httpx.AsyncClient, demo: Any) -> None:
    first = await tokens(http, demo)
    secret = demo["clients"]["embassy-system"]["client_secret"]
    answer = await http.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        auth=("embassy-system", secret),
    )
    assert answer.status_code in (400, 401)
    assert "access_token" not in answer.json()
    still = await refresh(http, first["refresh_token"])  # the owner's copy was not consumed
    assert still.status_code == 200


async def test_an_unknown_refresh_token_is_invalid_grant(
    http: httpx.AsyncClient, demo: Any
) -> None:
    answer = await refresh(http, "made-up-refresh-token")
    assert answer.json()["error"] == "invalid_grant"
