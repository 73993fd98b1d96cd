"""The Kemnaker sandbox's OAuth 2.0 token endpoint and bearer checks, spoken by hand."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors.kemnaker.sandbox import DEV_CREDENTIALS, SCOPES, create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

ID, SECRET = "pmihub-test", "test-only-secret-kemnaker"
FORM = {"grant_type": "client_credentials"}
JOB_SEEKERS = "/api/v1/pencari-kerja"


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


@pytest.mark.anyio
async def test_client_secret_basic_gets_a_bearer_token(raw: httpx.AsyncClient) -> None:
    # when
    answer = await raw.post("/oauth/token", data=FORM, headers=basic(ID, SECRET))
    # then
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert set(body["scope"].split()) == SCOPES
    assert answer.headers["cache-control"] == "no-store"
    api = await raw.get(JOB_SEEKERS, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert api.status_code == 200


@pytest.mark.anyio
async def test_client_secret_post_gets_a_bearer_token(raw: httpx.AsyncClient) -> None:
    answer = await raw.post("/oauth/token", data={**FORM, "client_id": ID, "client_secret": SECRET})
    assert answer.status_code == 200
    assert answer.json()["access_token"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("form", "headers", "status", "error"),
    [
        (FORM, basic(ID, "wrong"), 401, "invalid_client"),
        (FORM, basic("stranger", SECRET), 401, "invalid_client"),
        ({**FORM, "client_id": ID, "client_secret": "wrong"}, {}, 401, "invalid_client"),
        (FORM, {}, 401, "invalid_client"),
        (FORM, {"Authorization": "Basic !!!not-base64"}, 401, "invalid_client"),
        (FORM, {"Authorization": "Bearer abc"}, 401, "invalid_client"),
        ({**FORM, "client_secret": SECRET}, basic(ID, SECRET), 400, "invalid_request"),
        ({}, basic(ID, SECRET), 400, "invalid_request"),
        (
            {"grant_type": "refresh_token", "refresh_token": "x"},
            basic(ID, SECRET),
            400,
            "invalid_grant",
        ),
        ({"grant_type": "urn:example:magic"}, basic(ID, SECRET), 400, "unsupported_grant_type"),
        ({**FORM, "scope": "pencari_kerja.tulis"}, basic(ID, SECRET), 400, "invalid_scope"),
        ({**FORM, "scope": ""}, basic(ID, SECRET), 400, "invalid_scope"),
    ],
)
async def test_token_endpoint_refusals_follow_rfc_6749(
    raw: httpx.AsyncClient, form: dict[str, str], headers: dict[str, str], status: int, error: str
) -> None:
    # when
    answer = await raw.post("/oauth/token", data=form, headers=headers)
    # then
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.json()["error_description"]
    assert answer.headers["cache-control"] == "no-store"
    if status == 401:
        assert answer.headers["www-authenticate"].startswith("Basic ")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"grant_type": "client_credentials"}', "application/json"),
        (
            b"grant_type=client_credentials&grant_type=client_credentials",
            "application/x-www-form-urlencoded",
        ),
        (b"grant_type=\xff\xfe", "application/x-www-form-urlencoded"),
    ],
)
async def test_malformed_token_requests_are_invalid_request(
    raw: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    headers = {**basic(ID, SECRET), "Content-Type": content_type}
    answer = await raw.post("/oauth/token", content=content, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


@pytest.mark.anyio
async def test_token_endpoint_only_takes_post(raw: httpx.AsyncClient) -> None:
    answer = await raw.get("/oauth/token")
    assert answer.status_code == 405
    assert answer.json()["kode"] == "METHOD_NOT_ALLOWED"
    assert answer.json()["pesan"] and answer.json()["message"]


@pytest.mark.anyio
async def test_api_without_a_token_is_401_with_a_bearer_challenge(raw: httpx.AsyncClient) -> None:
    # when
    answer = await raw.get(JOB_SEEKERS)
    # then: RFC 6750 §3.1, no error code for a request without credentials
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="kemnaker"'
    assert answer.json()["kode"] == "INVALID_TOKEN"
    assert answer.json()["pesan"].startswith("Token akses")


@pytest.mark.anyio
async def test_unknown_token_is_invalid_token(raw: httpx.AsyncClient) -> None:
    answer = await raw.get(JOB_SEEKERS, headers={"Authorization": "Bearer made-up"})
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


@pytest.mark.anyio
async def test_expired_token_is_invalid_token(
    raw: httpx.AsyncClient, sandbox: Any, clock: Any
) -> None:
    # given
    bearer = {"Authorization": f"Bearer {await sandbox.token()}"}
    clock.advance(299)
    still = await raw.get(JOB_SEEKERS, headers=bearer)
    # when
    clock.advance(2)
    answer = await raw.get(JOB_SEEKERS, headers=bearer)
    # then
    assert still.status_code == 200
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


@pytest.mark.anyio
async def test_revoked_token_is_invalid_token(raw: httpx.AsyncClient, sandbox: Any) -> None:
    # given
    value = await sandbox.token()
    # when: RFC 7009
    revoked = await raw.post("/oauth/revoke", data={"token": value}, headers=basic(ID, SECRET))
    unknown = await raw.post("/oauth/revoke", data={"token": "nope"}, headers=basic(ID, SECRET))
    answer = await raw.get(JOB_SEEKERS, headers={"Authorization": f"Bearer {value}"})
    # then
    assert (revoked.status_code, unknown.status_code) == (200, 200)
    assert answer.status_code == 401


@pytest.mark.anyio
async def test_revocation_needs_client_authentication(raw: httpx.AsyncClient, sandbox: Any) -> None:
    value = await sandbox.token()
    refused = await raw.post("/oauth/revoke", data={"token": value})
    missing = await raw.post("/oauth/revoke", data={}, headers=basic(ID, SECRET))
    still = await raw.get(JOB_SEEKERS, headers={"Authorization": f"Bearer {value}"})
    assert refused.status_code == 401
    assert missing.json()["error"] == "invalid_request"
    assert still.status_code == 200


@pytest.mark.anyio
async def test_token_without_the_routes_scope_is_403(raw: httpx.AsyncClient, sandbox: Any) -> None:
    # given a token for job seekers only
    bearer = {"Authorization": f"Bearer {await sandbox.token(scope='pencari_kerja.baca')}"}
    # when
    allowed = await raw.get(JOB_SEEKERS, headers=bearer)
    refused = await raw.get("/api/v1/p3mi", headers=bearer)
    # then
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.json()["kode"] == "INSUFFICIENT_SCOPE"
    assert 'error="insufficient_scope"' in refused.headers["www-authenticate"]


@pytest.mark.anyio
async def test_token_lifetime_comes_from_the_credentials(
    make_app: Callable[..., Starlette],
) -> None:
    app = make_app(credentials={"client_id": ID, "client_secret": SECRET, "token_ttl": "5"})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k") as c:
        answer = await c.post("/oauth/token", data=FORM, headers=basic(ID, SECRET))
    assert answer.json()["expires_in"] == 5


@pytest.mark.parametrize(
    "credentials",
    [
        {"client_id": ID},
        {"client_secret": SECRET},
        {"client_id": ID, "client_secret": SECRET, "token_ttl": "soon"},
        {"client_id": ID, "client_secret": SECRET, "token_ttl": "0"},
        {"client_id": ID, "client_secret": SECRET, "scope": "admin"},
    ],
)
def test_bad_sandbox_credentials_fail_at_start(
    small_scenario: Scenario, credentials: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        create_app(SandboxData(small_scenario), SandboxConfig(credentials=credentials))


@pytest.mark.anyio
async def test_no_credentials_means_the_development_defaults(small_scenario: Scenario) -> None:
    app = create_app(SandboxData(small_scenario), SandboxConfig())
    dev = basic(DEV_CREDENTIALS["client_id"], DEV_CREDENTIALS["client_secret"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k") as c:
        answer = await c.post("/oauth/token", data=FORM, headers=dev)
    assert answer.status_code == 200
