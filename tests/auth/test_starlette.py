"""``authenticate`` at the HTTP edge: typed 401s with RFC 6750 challenges, no data read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from auth.errors import AuthError
from auth.server import HubAuthorizationServer
from auth.starlette import authenticate, error_response
from tests.auth._support import (
    WORKER_ID,
    FakeClock,
    good_claims,
    refused_tokens,
    sign_with_server_key,
)
from tests.auth.test_tokens import REFUSALS

EMBASSY = "embassy-system"


class Protected:
    """A resource that counts how often its data was read."""

    def __init__(self, server: HubAuthorizationServer) -> None:
        self.server = server
        self.reads = 0

    async def read(self, request: Request) -> Response:
        try:
            principal = await authenticate(request, self.server.verifier)
            purpose = principal.require_purpose()
        except AuthError as exc:
            return error_response(exc)
        self.reads += 1
        body = {"data": {"client": principal.client_id, "purpose": purpose.value}}
        return JSONResponse(body)


@pytest.fixture
def resource(server: HubAuthorizationServer, demo: dict[str, Any]) -> Protected:
    return Protected(server)  # the demo clients registered: the verifier checks the registry


@pytest.fixture
async def api(resource: Protected) -> Any:
    app = Starlette(routes=[Route("/graphql", resource.read, methods=["POST"])])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


def bearer(token: str, purpose: str | None = "CASE_HANDLING") -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if purpose is not None:
        headers["X-Purpose"] = purpose
    return headers


@pytest.mark.anyio
async def test_a_good_token_with_a_purpose_reads(
    api: httpx.AsyncClient, server: HubAuthorizationServer, clock: FakeClock, resource: Protected
) -> None:
    token = sign_with_server_key(server, good_claims(server, clock))
    answer = await api.post("/graphql", headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json() == {"data": {"client": "kemnaker-system", "purpose": "CASE_HANDLING"}}
    assert resource.reads == 1


@pytest.mark.anyio
@pytest.mark.parametrize("name", REFUSALS)
async def test_every_bad_token_gets_a_typed_401_and_no_data(
    name: str,
    api: httpx.AsyncClient,
    server: HubAuthorizationServer,
    clock: FakeClock,
    resource: Protected,
) -> None:
    # given
    token, reason = refused_tokens(server, clock)[name]
    # when
    answer = await api.post("/graphql", headers=bearer(token))
    # then
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="pmihub"')
    assert 'error="invalid_token"' in challenge
    body = answer.json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_TOKEN"
    assert error["extensions"]["reason"] == reason
    assert error["extensions"]["messageId"] and error["extensions"]["messageEn"]
    assert " / " in error["message"]
    assert "data" not in body
    assert resource.reads == 0
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "UNAUTHENTICATED"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, "UNAUTHENTICATED"),
        ({"Authorization": "Bearer"}, 401, "INVALID_TOKEN"),
        ({"Authorization": "Bearer a b"}, 401, "INVALID_TOKEN"),
    ],
)
async def test_missing_or_unusable_authorization(
    headers: dict[str, str], status: int, code: str, api: httpx.AsyncClient, resource: Protected
) -> None:
    answer = await api.post("/graphql", headers=headers)
    assert answer.status_code == status
    assert answer.json()["errors"][0]["extensions"]["code"] == code
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert resource.reads == 0


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("claims", "header", "status", "code"),
    [
        ({}, None, 400, "PURPOSE_REQUIRED"),
        ({}, "  ", 400, "PURPOSE_REQUIRED"),
        ({}, "CURIOSITY", 400, "PURPOSE_INVALID"),
        ({}, "EMERGENCY", 403, "PURPOSE_NOT_ALLOWED"),
        ({}, "SELF_SERVICE", 403, "PURPOSE_NOT_ALLOWED"),
        ({"purpose": "CASE_HANDLING"}, "CLAIM_PROCESSING", 400, "PURPOSE_MISMATCH"),
        ({"purpose": "WHATEVER"}, None, 400, "PURPOSE_INVALID"),
        (
            {"scope": "self", "sub": WORKER_ID, "client_id": "console-frontend"},
            "CASE_HANDLING",
            403,
            "PURPOSE_NOT_ALLOWED",
        ),
    ],
)
async def test_purpose_refusals_come_before_any_data(
    claims: dict[str, str],
    header: str | None,
    status: int,
    code: str,
    api: httpx.AsyncClient,
    server: HubAuthorizationServer,
    clock: FakeClock,
    resource: Protected,
) -> None:
    token = sign_with_server_key(server, good_claims(server, clock, **claims))
    answer = await api.post("/graphql", headers=bearer(token, header))
    assert answer.status_code == status
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == code
    assert " / " in error["message"]
    assert resource.reads == 0


@pytest.mark.parametrize(
    ("claims", "header", "purpose"),
    [
        ({"purpose": "CASE_HANDLING"}, None, "CASE_HANDLING"),
        ({"purpose": "CASE_HANDLING"}, "case_handling", "CASE_HANDLING"),
        ({}, "placement_verification", "PLACEMENT_VERIFICATION"),
        (
            {"scope": "emergency worker.identity:read", "sub": EMBASSY, "client_id": EMBASSY},
            "EMERGENCY",
            "EMERGENCY",
        ),
        ({"scope": "self", "sub": WORKER_ID, "client_id": "console-frontend"}, None, None),
        (
            {"scope": "self", "sub": WORKER_ID, "client_id": "console-frontend"},
            "SELF_SERVICE",
            "SELF_SERVICE",
        ),
    ],
)
def test_purpose_from_claim_or_header(
    claims: dict[str, str],
    header: str | None,
    purpose: str | None,
    server: HubAuthorizationServer,
    clock: FakeClock,
    demo: dict[str, Any],
) -> None:
    from auth.verify import principal_from_claims

    verified = server.verifier.verify_sync(
        sign_with_server_key(server, good_claims(server, clock, **claims))
    )
    principal = principal_from_claims(verified, header)
    assert (principal.purpose.value if principal.purpose else None) == purpose


@pytest.mark.anyio
async def test_two_purpose_headers_are_refused(
    api: httpx.AsyncClient, server: HubAuthorizationServer, clock: FakeClock
) -> None:
    token = sign_with_server_key(server, good_claims(server, clock))
    headers = [("Authorization", f"Bearer {token}"), ("X-Purpose", "EMERGENCY")]
    headers.append(("X-Purpose", "CASE_HANDLING"))
    answer = await api.post("/graphql", headers=headers)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "PURPOSE_INVALID"
