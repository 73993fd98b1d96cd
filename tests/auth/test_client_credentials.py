"""The token endpoint for agency systems: client credentials (RFC 6749 §4.4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from auth.clients import disable_client
from auth.server import HubAuthorizationServer
from tests.auth._support import client_token, segments

pytestmark = pytest.mark.anyio


async def test_an_agency_system_gets_a_token_with_its_registered_scopes(
    http: httpx.AsyncClient, demo: dict[str, Any], server: HubAuthorizationServer
) -> None:
    # when
    answer = await client_token(http, demo, "bpjs-system")
    # then
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == server.settings.access_ttl
    assert "refresh_token" not in body
    assert set(body["scope"].split()) == set(demo["clients"]["bpjs-system"]["scopes"])
    assert answer.headers["cache-control"] == "no-store"
    claims = server.verifier.verify_sync(body["access_token"])
    assert claims["sub"] == claims["client_id"] == "bpjs-system"
    assert claims["agency"] == "BPJS_KETENAGAKERJAAN"
    assert "purpose" not in claims


async def test_a_narrower_scope_and_a_purpose_are_honoured(
    http: httpx.AsyncClient, demo: dict[str, Any], server: HubAuthorizationServer
) -> None:
    answer = await client_token(
        http, demo, "bpjs-system", scope="social_security:read", purpose="CLAIM_PROCESSING"
    )
    assert answer.status_code == 200, answer.text
    _, claims, _ = segments(answer.json()["access_token"])
    assert claims["scope"] == "social_security:read"
    assert claims["purpose"] == "CLAIM_PROCESSING"


async def test_client_secret_post_works_too(http: httpx.AsyncClient, demo: dict[str, Any]) -> None:
    secret = demo["clients"]["p2mi-system"]["client_secret"]
    answer = await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "p2mi-system",
            "client_secret": secret,
        },
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "scope",
    ["emergency", "social_security:read emergency", "self", "audit:read", "no.such:scope"],
)
async def test_scope_escalation_is_refused_with_invalid_scope(
    scope: str, http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    # given bpjs-system holds neither emergency, self nor audit:read
    # when
    answer = await client_token(http, demo, "bpjs-system", scope=scope)
    # then
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "invalid_scope"
    assert " / " in body["error_description"]
    assert "access_token" not in body


@pytest.mark.parametrize(
    ("purpose", "client"),
    [("SNOOPING", "bpjs-system"), ("EMERGENCY", "bpjs-system"), ("SELF_SERVICE", "p2mi-system")],
)
async def test_an_unknown_or_unallowed_purpose_is_refused(
    purpose: str, client: str, http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    answer = await client_token(http, demo, client, purpose=purpose)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


async def test_the_embassy_may_bind_emergency(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    answer = await client_token(http, demo, "embassy-system", purpose="EMERGENCY")
    assert answer.status_code == 200, answer.text
    assert segments(answer.json()["access_token"])[1]["purpose"] == "EMERGENCY"


async def test_a_wrong_secret_is_invalid_client(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    answer = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("bpjs-system", "not-the-secret-at-all-123456"),
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert "access_token" not in answer.json()


async def test_an_unknown_client_is_invalid_client(http: httpx.AsyncClient, demo: Any) -> None:
    answer = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("nobody", "x" * 30)
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


async def test_a_disabled_client_gets_no_token(
    http: httpx.AsyncClient, demo: dict[str, Any], server: HubAuthorizationServer
) -> None:
    disable_client(server.engine, "kemnaker-system")
    answer = await client_token(http, demo, "kemnaker-system")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


async def test_the_public_frontend_cannot_use_client_credentials(
    http: httpx.AsyncClient, demo: dict[str, Any]
) -> None:
    answer = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": "console-frontend"}
    )
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("content", "content_type", "error"),
    [
        ("grant_type=password&username=a&password=b", None, "unsupported_grant_type"),
        ("", None, "unsupported_grant_type"),
        ("grant_type=client_credentials&scope=a&scope=b", None, "invalid_request"),
        ('{"grant_type": "client_credentials"}', "application/json", "invalid_request"),
        (b"grant_type=\xff\xfe", None, "invalid_request"),
        ("x=" + "a" * 70_000, None, "invalid_request"),
    ],
)
async def test_bad_token_requests_get_typed_errors(
    content: str | bytes,
    content_type: str | None,
    error: str,
    http: httpx.AsyncClient,
    demo: dict[str, Any],
) -> None:
    secret = demo["clients"]["bpjs-system"]["client_secret"]
    headers = {"Content-Type": content_type or "application/x-www-form-urlencoded"}
    answer = await http.post(
        "/oauth/token", content=content, headers=headers, auth=("bpjs-system", secret)
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert " / " in answer.json()["error_description"]


async def test_the_token_endpoint_takes_only_post(http: httpx.AsyncClient) -> None:
    answer = await http.get("/oauth/token")
    assert answer.status_code == 405
