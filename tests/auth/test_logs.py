"""No token, secret or password reaches the logs, even at DEBUG (authlib logs issued tokens)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tests.auth._support import CONSOLE, client_token, code_for, pkce, redeem

pytestmark = pytest.mark.anyio


async def test_full_flows_at_debug_log_no_secret(
    http: httpx.AsyncClient, demo: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # given everything logged, at every level
    caplog.set_level(logging.DEBUG)
    # when both flows run, a refresh token is reused and tokens are revoked
    cc = (await client_token(http, demo, "embassy-system")).json()
    bad = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("embassy-system", "x" * 30)
    )
    verifier, challenge = pkce()
    code = await code_for(http, demo, challenge)
    tokens = (await redeem(http, code, verifier)).json()
    verifier2, challenge2 = pkce()
    code2 = await code_for(http, demo, challenge2)
    await redeem(http, code2, verifier2)
    await redeem(http, code2, verifier2)  # code reuse: logged as a warning
    data = {"grant_type": "refresh_token", "client_id": CONSOLE}
    rotated = (
        await http.post("/oauth/token", data={**data, "refresh_token": tokens["refresh_token"]})
    ).json()
    await http.post("/oauth/token", data={**data, "refresh_token": tokens["refresh_token"]})
    await http.post("/oauth/revoke", data={"token": rotated["access_token"], "client_id": CONSOLE})
    # then
    assert bad.status_code == 401
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records) + caplog.text
    assert "reused" in logged or "presented twice" in logged  # something was logged
    secrets = [
        cc["access_token"],
        tokens["access_token"],
        tokens["refresh_token"],
        rotated["access_token"],
        rotated["refresh_token"],
        code,
        code2,
        verifier,
        demo["users"]["embassy-officer"]["password"],
        *(c["client_secret"] for c in demo["clients"].values() if "client_secret" in c),
    ]
    for secret in secrets:
        assert secret not in logged
    for part in (cc["access_token"].split(".")[2], tokens["refresh_token"][:16]):
        assert part not in logged
