"""Authorization code with PKCE S256 for frontends, through the demo login page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from auth.server import HubAuthorizationServer
from tests.auth._support import (
    ISSUER,
    REDIRECT,
    WORKER_ID,
    FakeClock,
    authorize_params,
    code_for,
    hidden_fields,
    pkce,
    redeem,
    redirect_query,
    segments,
    sign_in,
)

pytestmark = pytest.mark.anyio


async def test_an_officer_signs_in_and_the_frontend_redeems_the_code(
    http: httpx.AsyncClient, demo: dict[str, Any], server: HubAuthorizationServer
) -> None:
    # given
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge, purpose="EMERGENCY", scope="")
    # when
    answer = await redeem(http, code, verifier)
    # then
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["refresh_token"]
    claims = server.verifier.verify_sync(body["access_token"])
    assert claims["sub"] == "petugas.kbri"
    assert claims["client_id"] == "console-frontend"
    assert claims["agency"] == "EMBASSY"
    assert claims["purpose"] == "EMERGENCY"
    officer = set(demo["users"]["embassy-officer"]["scopes"])
    assert set(claims["scope"].split()) == officer  # no scope asked: the client's ∩ the user's


async def test_a_worker_gets_a_self_token_for_their_own_record(
    http: httpx.AsyncClient, demo: dict[str, Any], server: HubAuthorizationServer
) -> None:
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge, worker=True, scope="self worker.identity:read")
    answer = await redeem(http, code, verifier)
    assert answer.status_code == 200, answer.text
    claims = segments(answer.json()["access_token"])[1]
    assert claims["sub"] == WORKER_ID
    assert claims["scope"] == "self"
    assert claims["purpose"] == "SELF_SERVICE"
    assert "agency" not in claims


async def test_the_login_page_is_bilingual_accessible_and_protected(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    page = await http.get("/oauth/authorize", params=authorize_params(challenge))
    assert page.status_code == 200
    html = page.text
    assert '<html lang="id">' in html
    assert "Kata sandi" in html and "Password" in html
    assert '<label for="username">' in html and 'autocomplete="current-password"' in html
    assert "PMI Hub Console" in html and "Identitas pekerja (nama, NIK)" in html
    assert "<code>worker.identity:read" not in html  # plain words, not scope codes
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/oauth" in cookie
    assert hidden_fields(html)["csrf_token"]


async def test_a_post_without_the_csrf_cookie_is_refused(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    page = await http.get("/oauth/authorize", params=authorize_params(challenge))
    form = hidden_fields(page.text)
    form.update(username="petugas.kbri", password=demo["users"]["embassy-officer"]["password"])
    http.cookies.clear()
    answer = await http.post("/oauth/authorize", data=form)
    assert answer.status_code == 400
    assert "Sesi masuk tidak sah" in answer.text
    assert "location" not in answer.headers


async def test_a_forged_csrf_token_is_refused(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    page = await http.get("/oauth/authorize", params=authorize_params(challenge))
    form = hidden_fields(page.text)
    form.update(csrf_token="0" * 64, username="petugas.kbri", password="whatever-it-is")
    answer = await http.post("/oauth/authorize", data=form)
    assert answer.status_code == 400


async def test_a_wrong_password_shows_the_form_again(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    answer = await sign_in(http, authorize_params(challenge), "petugas.kbri", "wrong-password-123")
    assert answer.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in answer.text
    assert "Wrong user name or password" in answer.text
    assert "location" not in answer.headers


async def test_repeated_failures_are_throttled(http: httpx.AsyncClient, demo: Any) -> None:
    _, challenge = pkce()
    params = authorize_params(challenge)
    for _ in range(5):
        await sign_in(http, params, "petugas.kbri", "wrong-password-123")
    good = demo["users"]["embassy-officer"]["password"]
    answer = await sign_in(http, params, "petugas.kbri", good)
    assert answer.status_code == 429


async def test_cancel_sends_access_denied_to_the_client(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    answer = await sign_in(http, authorize_params(challenge), "", "", action="deny")
    query = redirect_query(answer)
    assert query["error"] == "access_denied"
    assert query["state"] == "st-123"
    assert "code" not in query


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"code_challenge": "", "code_challenge_method": ""}, "invalid_request"),
        ({"code_challenge_method": ""}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "short"}, "invalid_request"),
        ({"scope": "worker.identity:read identity:admin"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"purpose": "GOSSIP"}, "invalid_request"),
    ],
)
async def test_bad_authorization_requests_go_back_to_the_client_with_an_error(
    params: dict[str, str], error: str, http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    # given a PKCE request missing its challenge, or with plain, or asking too much
    _, challenge = pkce()
    # when
    answer = await http.get("/oauth/authorize", params=authorize_params(challenge, **params))
    # then
    query = redirect_query(answer)
    assert query["error"] == error
    assert " / " in query["error_description"]
    assert query["state"] == "st-123"


@pytest.mark.parametrize(
    "params",
    [
        {"redirect_uri": "https://evil.example/cb"},
        {"redirect_uri": REDIRECT + "/extra"},
        {"client_id": "no-such-client"},
        {"client_id": ""},
    ],
)
async def test_an_unregistered_redirect_uri_or_client_never_redirects(
    params: dict[str, str], http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    _, challenge = pkce()
    answer = await http.get("/oauth/authorize", params=authorize_params(challenge, **params))
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "Permintaan masuk tidak sah" in answer.text


async def test_a_missing_code_verifier_is_refused(http: httpx.AsyncClient, demo: Any) -> None:
    _, challenge = pkce()
    code = await code_for(http, demo, challenge)
    answer = await redeem(http, code, None)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert "access_token" not in answer.json()


async def test_a_wrong_code_verifier_is_refused(http: httpx.AsyncClient, demo: Any) -> None:
    _, challenge = pkce()
    code = await code_for(http, demo, challenge)
    other_verifier, _ = pkce()
    answer = await redeem(http, code, other_verifier)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


async def test_the_challenge_itself_is_not_a_verifier(http: httpx.AsyncClient, demo: Any) -> None:
    # given: what a 'plain' server would accept
    _, challenge = pkce()
    code = await code_for(http, demo, challenge)
    # when
    answer = await redeem(http, code, challenge)
    # then
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


async def test_a_redirect_uri_mismatch_at_the_token_endpoint_is_refused(
    http: httpx.AsyncClient, demo: Any
) -> None:
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge)
    answer = await redeem(http, code, verifier, redirect_uri="http://127.0.0.1:9999/cb")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


async def test_code_reuse_is_refused_and_revokes_what_the_code_gave(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer
) -> None:
    # given a code redeemed once
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge)
    first = (await redeem(http, code, verifier)).json()
    server.verifier.verify_sync(first["access_token"])
    # when it is presented again
    again = await redeem(http, code, verifier)
    # then
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    from auth.errors import InvalidToken

    with pytest.raises(InvalidToken) as caught:
        server.verifier.verify_sync(first["access_token"])
    assert caught.value.reason.value == "revoked"
    refresh = await http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": "console-frontend",
        },
    )
    assert refresh.json()["error"] == "invalid_grant"


async def test_an_expired_code_is_refused(
    http: httpx.AsyncClient, demo: Any, server: HubAuthorizationServer, clock: FakeClock
) -> None:
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge)
    clock.advance(server.settings.code_ttl + 1)
    answer = await redeem(http, code, verifier)
    assert answer.json()["error"] == "invalid_grant"


async def test_a_code_is_bound_to_its_client(http: httpx.AsyncClient, demo: Any) -> None:
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge)
    secret = demo["clients"]["embassy-system"]["client_secret"]
    answer = await http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        auth=("embassy-system", secret),
    )
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] in ("invalid_grant", "unauthorized_client")


async def test_the_login_page_works_outside_demo_mode_but_not_with_an_external_issuer(
    engine: Any, clock: Any, demo: Any
) -> None:
    from auth.routes import create_auth_app
    from auth.settings import AuthSettings

    production = AuthSettings(public_url=ISSUER, demo=False, console_redirect_uri=REDIRECT)
    external = AuthSettings(
        public_url=ISSUER,
        external_issuer="https://idp.example",
        external_jwks_url="https://idp.example/jwks",
        console_redirect_uri=REDIRECT,
    )
    answers = []
    for settings in (production, external):
        app = create_auth_app(HubAuthorizationServer(engine, settings, clock=clock))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=ISSUER
        ) as client:
            _, challenge = pkce()
            answers.append(await client.get("/oauth/authorize", params=authorize_params(challenge)))
            meta = (await client.get("/.well-known/oauth-authorization-server")).json()
            assert ("authorization_code" in meta["grant_types_supported"]) is (
                settings is production
            )
    assert answers[0].status_code == 200
    assert "Mode demo" not in answers[0].text
    assert answers[0].text.index('id="password"') < answers[0].text.index("meminta akses")
    assert answers[1].status_code == 404
    assert "penyedia identitas eksternal" in answers[1].text
