"""Officers' second factor at the login page: enrolment by QR code, wrong and replayed codes,
remembered devices, disabled users."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from auth.models import UserRow
from auth.server import HubAuthorizationServer
from auth.totp import code_at, open_secret, provisioning_uri, qr_svg
from auth.users import add_user, disable_user, reset_password
from tests.auth._support import (
    FakeClock,
    authorize_params,
    hidden_fields,
    pkce,
    redeem,
    redirect_query,
    send_code,
    sign_in,
)

pytestmark = pytest.mark.anyio
NEW = "petugas.kul.budi"
PASSWORD = "sebuah kata sandi panjang"


@pytest.fixture
def newcomer(engine: Engine, demo: dict[str, Any]) -> str:
    add_user(engine, username=NEW, password=PASSWORD, role="officer", mission="KUL")
    return NEW


async def test_first_sign_in_enrols_by_qr_code_then_asks_for_a_code(
    http: httpx.AsyncClient,
    engine: Engine,
    server: HubAuthorizationServer,
    clock: FakeClock,
    newcomer: str,
) -> None:
    # given the officer's password is right
    verifier, challenge = pkce()
    page = await sign_in(http, authorize_params(challenge), newcomer, PASSWORD)
    # then the enrolment shows a QR code (drawn by the hub) and the same key as text
    assert page.status_code == 200
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page.text)
    assert secret is not None
    key = secret.group(1).replace(" ", "")
    assert qr_svg(provisioning_uri(key, newcomer)) in page.text
    assert "<script" not in page.text and "https://" not in page.text.split("<svg")[1]
    # and the key is sealed at rest, not stored as it is
    with Session(engine) as session:
        row = session.get(UserRow, newcomer)
        assert row is not None and row.totp_sealed is None and row.totp_pending_sealed
        assert key not in row.totp_pending_sealed
        assert open_secret(server.settings.key_secret, newcomer, row.totp_pending_sealed) == key
    # when a wrong code is given, the page asks again (the same key, still pending)
    wrong = await send_code(http, page, "000000" if code_at(key, clock()) != "000000" else "1")
    assert wrong.status_code == 401 and "Kode salah" in wrong.text and key[:4] in wrong.text
    # when the right code is given, the officer is signed in, with their mission
    answer = await send_code(http, wrong, code_at(key, clock()))
    token = (await redeem(http, redirect_query(answer)["code"], verifier)).json()
    claims = server.verifier.verify_sync(token["access_token"])
    assert claims["mission"] == "KUL" and claims["sub"] == newcomer
    # and the next sign-in asks for a code, with no enrolment
    clock.advance(30)
    again = await sign_in(http, authorize_params(pkce()[1]), newcomer, PASSWORD)
    assert 'id="code"' in again.text and "totp-secret" not in again.text
    assert (await send_code(http, again, code_at(key, clock()))).status_code == 302


async def test_a_used_code_is_refused(
    http: httpx.AsyncClient, demo: dict[str, Any], clock: FakeClock
) -> None:
    officer = demo["users"]["embassy-officer"]
    code = code_at(officer["totp_secret"], clock())
    first = await sign_in(
        http, authorize_params(pkce()[1]), officer["username"], officer["password"]
    )
    assert (await send_code(http, first, code)).status_code == 302
    # the same code (and the one before it) on a new sign-in within its 30 seconds
    second = await sign_in(
        http, authorize_params(pkce()[1]), officer["username"], officer["password"]
    )
    replay = await send_code(http, second, code)
    assert replay.status_code == 401 and "sudah dipakai" in replay.text
    older = code_at(officer["totp_secret"], clock() - 30)
    assert (await send_code(http, replay, older)).status_code == 401
    # the next step's code is accepted (one step of drift)
    assert (
        await send_code(http, replay, code_at(officer["totp_secret"], clock() + 30))
    ).status_code == 302


async def test_a_pending_step_cannot_be_taken_to_another_browser_or_kept(
    server: HubAuthorizationServer, http: httpx.AsyncClient, demo: dict[str, Any], clock: FakeClock
) -> None:
    officer = demo["users"]["embassy-officer"]
    page = await sign_in(
        http, authorize_params(pkce()[1]), officer["username"], officer["password"]
    )
    form = {**hidden_fields(page.text), "code": code_at(officer["totp_secret"], clock())}
    transport = httpx.ASGITransport(app=http._transport.app)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=str(http.base_url)) as other:
        fresh = await other.get("/oauth/authorize", params=authorize_params(pkce()[1]))
        stolen = {**form, "csrf_token": hidden_fields(fresh.text)["csrf_token"]}
        answer = await other.post("/oauth/authorize", data={**stolen, "action": "approve"})
    assert answer.status_code == 401 and "Waktu masuk habis" in answer.text
    clock.advance(301)  # the pending step lasts five minutes
    late = await send_code(http, page, code_at(officer["totp_secret"], clock()))
    assert late.status_code == 401 and "location" not in late.headers


async def test_a_remembered_device_skips_the_code_until_the_password_changes(
    http: httpx.AsyncClient, engine: Engine, demo: dict[str, Any], clock: FakeClock
) -> None:
    officer = demo["users"]["embassy-officer"]
    totp = (officer["totp_secret"], clock)
    params = authorize_params(pkce()[1])
    first = await sign_in(http, params, officer["username"], officer["password"], totp=totp)
    assert first.status_code == 302
    assert "httponly" in first.headers["set-cookie"].lower()
    # the same browser: the password is enough
    again = await sign_in(http, params, officer["username"], officer["password"])
    assert again.status_code == 302
    # not after a password reset (or a disabled user, or the mark's 12 hours)
    reset_password(engine, officer["username"], "kata sandi baru yang panjang")
    third = await sign_in(http, params, officer["username"], "kata sandi baru yang panjang")
    assert third.status_code == 200 and 'id="code"' in third.text
    clock.advance(12 * 3600 + 1)
    assert (await send_code(http, third, code_at(totp[0], clock()))).status_code == 401


async def test_a_disabled_user_cannot_sign_in_and_their_tokens_stop(
    http: httpx.AsyncClient,
    engine: Engine,
    server: HubAuthorizationServer,
    demo: dict[str, Any],
    clock: FakeClock,
) -> None:
    officer = demo["users"]["embassy-officer"]
    verifier, challenge = pkce()
    totp = (officer["totp_secret"], clock)
    answer = await sign_in(http, authorize_params(challenge), officer["username"],
                           officer["password"], totp=totp)  # fmt: skip
    tokens = (await redeem(http, redirect_query(answer)["code"], verifier)).json()
    server.verifier.verify_sync(tokens["access_token"])
    # when the operator disables the officer
    assert disable_user(engine, officer["username"])
    # then the access token, the refresh token and the password (even on a remembered
    # device) are refused
    from auth.errors import InvalidToken

    with pytest.raises(InvalidToken):
        server.verifier.verify_sync(tokens["access_token"])
    refreshed = await http.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
              "client_id": "console-frontend"},
    )  # fmt: skip
    assert refreshed.status_code == 400
    refused = await sign_in(http, authorize_params(challenge), officer["username"],
                            officer["password"])  # fmt: skip
    assert refused.status_code == 401 and "location" not in refused.headers


async def test_odd_input_on_either_step_is_a_page_not_a_crash(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    officer = demo["users"]["embassy-officer"]
    page = await sign_in(
        http, authorize_params(pkce()[1]), officer["username"], officer["password"]
    )
    form = hidden_fields(page.text)
    odd = {
        "csrf_token": "é" * 64,
        "pending": form["pending"][:-1] + "é",
        "code": "١٢٣٤٥٦",
        "step": "nonsense",
    }
    for field, value in odd.items():
        answer = await http.post(
            "/oauth/authorize", data={**form, field: value, "action": "approve"}
        )
        assert answer.status_code in (400, 401), (field, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html")
        assert "location" not in answer.headers
