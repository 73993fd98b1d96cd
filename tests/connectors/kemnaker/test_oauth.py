"""connectors.kit.auth.oauth: client credentials for httpx, against a fake token server.

(The module lives in the shared kit; its tests live here with the agency that uses it.)
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from connectors.kit.auth.oauth import AccessToken, ClientCredentialsAuth, token_refused
from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyUnavailable,
    BadResponse,
)

TOKEN_URL = "https://agency.test/oauth/token"


class FakeAgency:
    """A token endpoint and one API route; ``token_answer`` overrides the token response."""

    def __init__(self, expires_in: int | None = 300) -> None:
        self.expires_in = expires_in
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.valid: set[str] = set()
        self.token_answer: Callable[[], httpx.Response] | None = None

    def revoke_all(self) -> None:
        self.valid.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.token_requests.append(request)
            if self.token_answer is not None:
                return self.token_answer()
            token = f"token-{len(self.token_requests)}"
            self.valid.add(token)
            body: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            return httpx.Response(200, json=body)
        self.api_requests.append(request)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.valid:
            challenge = 'Bearer realm="agency", error="invalid_token"'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        return httpx.Response(200, json={"ok": True, "token": token})


def make_client(
    agency: FakeAgency, clock: Callable[[], float] | None = None, **options: Any
) -> tuple[httpx.AsyncClient, ClientCredentialsAuth]:
    kwargs: dict[str, Any] = {"agency": "TEST", **options}
    if clock is not None:
        kwargs["clock"] = clock
    auth = ClientCredentialsAuth(TOKEN_URL, "hub", "s3cret", **kwargs)
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(agency), base_url="https://agency.test", auth=auth
    )
    return client, auth


@pytest.mark.anyio
async def test_many_calls_cost_one_token_fetch() -> None:
    # given
    agency = FakeAgency()
    client, auth = make_client(agency)
    # when
    async with client:
        answers = [await client.get("/api/ping") for _ in range(10)]
    # then
    assert [a.status_code for a in answers] == [200] * 10
    assert len(agency.token_requests) == 1
    assert auth.token_requests == 1
    assert {a.json()["token"] for a in answers} == {"token-1"}


@pytest.mark.anyio
async def test_concurrent_calls_share_one_token_fetch() -> None:
    # given an agency that lets other tasks run while it answers
    agency = FakeAgency()

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        return agency(request)

    auth = ClientCredentialsAuth(TOKEN_URL, "hub", "s3cret", agency="TEST")
    client = httpx.AsyncClient(transport=httpx.MockTransport(slow), auth=auth)
    # when
    async with client:
        answers = await asyncio.gather(
            *(client.get("https://agency.test/api/ping") for _ in range(25))
        )
    # then
    assert all(a.status_code == 200 for a in answers)
    assert len(agency.token_requests) == 1


@pytest.mark.anyio
async def test_token_is_replaced_shortly_before_it_expires() -> None:
    # given a 300 s token and a 30 s leeway
    agency, now = FakeAgency(expires_in=300), [0.0]
    client, auth = make_client(agency, clock=lambda: now[0], leeway=30)
    async with client:
        await client.get("/api/ping")
        # when: still well inside its life
        now[0] = 269.0
        await client.get("/api/ping")
        fetched_early = len(agency.token_requests)
        # when: inside the leeway
        now[0] = 271.0
        answer = await client.get("/api/ping")
    # then
    assert fetched_early == 1
    assert len(agency.token_requests) == 2
    assert answer.json()["token"] == "token-2"
    assert auth.token is not None and auth.token.refresh_at == 271.0 + 270.0


@pytest.mark.anyio
async def test_short_lived_token_is_used_for_half_its_life() -> None:
    # given a 10 s token: a 30 s leeway would make it useless, so half its life is kept
    agency, now = FakeAgency(expires_in=10), [0.0]
    client, _ = make_client(agency, clock=lambda: now[0], leeway=30)
    async with client:
        await client.get("/api/ping")
        now[0] = 4.9
        await client.get("/api/ping")
        before = len(agency.token_requests)
        now[0] = 5.0
        await client.get("/api/ping")
    # then
    assert (before, len(agency.token_requests)) == (1, 2)


@pytest.mark.anyio
async def test_token_without_lifetime_is_kept_until_refused() -> None:
    # given
    agency, now = FakeAgency(expires_in=None), [0.0]
    client, auth = make_client(agency, clock=lambda: now[0])
    async with client:
        await client.get("/api/ping")
        now[0] = 1e7
        await client.get("/api/ping")
    # then
    assert len(agency.token_requests) == 1
    assert auth.token is not None and auth.token.refresh_at is None


@pytest.mark.anyio
async def test_revoked_token_is_replaced_and_the_call_retried_once() -> None:
    # given a cached token that the agency revokes early
    agency = FakeAgency()
    client, _ = make_client(agency)
    async with client:
        await client.get("/api/ping")
        agency.revoke_all()
        # when
        answer = await client.get("/api/ping", params={"q": "x"})
    # then: transparent to the caller
    assert answer.status_code == 200
    assert answer.json()["token"] == "token-2"
    assert len(agency.token_requests) == 2
    assert [r.url.params.get("q") for r in agency.api_requests[1:]] == ["x", "x"]


@pytest.mark.anyio
async def test_concurrent_refusals_share_one_replacement_token() -> None:
    # given a cached token revoked while many calls are under way
    agency = FakeAgency()

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        return agency(request)

    auth = ClientCredentialsAuth(TOKEN_URL, "hub", "s3cret", agency="TEST")
    async with httpx.AsyncClient(transport=httpx.MockTransport(slow), auth=auth) as client:
        await client.get("https://agency.test/api/ping")
        agency.revoke_all()
        # when
        answers = await asyncio.gather(
            *(client.get("https://agency.test/api/ping") for _ in range(10))
        )
    # then
    assert all(a.status_code == 200 for a in answers)
    assert len(agency.token_requests) == 2


@pytest.mark.anyio
async def test_retry_happens_only_once() -> None:
    # given an agency that refuses every token
    agency = FakeAgency()
    agency.valid = _NeverValid()
    client, _ = make_client(agency)
    # when
    async with client:
        answer = await client.get("/api/ping")
    # then: one retry, then the 401 is the caller's
    assert answer.status_code == 401
    assert len(agency.api_requests) == 2
    assert len(agency.token_requests) == 2


class _NeverValid(set[str]):
    def add(self, _: str) -> None:
        return None


@pytest.mark.anyio
async def test_401_without_invalid_token_is_not_retried() -> None:
    # given
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "token_type": "bearer"})
        return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="x"'})

    auth = ClientCredentialsAuth(TOKEN_URL, "hub", "s3cret", agency="TEST")
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
        # when
        answer = await client.get("https://agency.test/api/ping")
    # then
    assert answer.status_code == 401
    assert auth.token_requests == 1


@pytest.mark.anyio
async def test_client_secret_basic_request_shape() -> None:
    # given
    agency = FakeAgency()
    client, _ = make_client(agency, scope="a.read b.read")
    # when
    async with client:
        await client.get("/api/ping")
    # then
    sent = agency.token_requests[0]
    assert sent.method == "POST"
    assert sent.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(b"hub:s3cret").decode()
    form = parse_qs(sent.content.decode())
    assert form == {"grant_type": ["client_credentials"], "scope": ["a.read b.read"]}
    assert agency.api_requests[0].headers["authorization"] == "Bearer token-1"


@pytest.mark.anyio
async def test_client_secret_post_request_shape() -> None:
    # given
    agency = FakeAgency()
    client, _ = make_client(agency, auth_method="client_secret_post")
    # when
    async with client:
        await client.get("/api/ping")
    # then
    sent = agency.token_requests[0]
    assert "authorization" not in sent.headers
    form = parse_qs(sent.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["hub"],
        "client_secret": ["s3cret"],
    }


def _answer(status: int, body: Any = None, **headers: str) -> Callable[[], httpx.Response]:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda: httpx.Response(status, content=content, headers=headers)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("answer", "error", "fragment"),
    [
        (_answer(401, {"error": "invalid_client"}), AgencyRejected, "invalid_client"),
        (_answer(400, {"error": "invalid_scope"}), AgencyRejected, "invalid_scope"),
        (_answer(400, {"error": "invalid_grant"}), AgencyRejected, "invalid_grant"),
        (_answer(401, b"<html>no</html>"), AgencyRejected, "HTTP 401"),
        (_answer(503, {"kode": "SERVICE_DOWN"}), AgencyUnavailable, "HTTP 503"),
        (_answer(429, {}, **{"Retry-After": "7"}), AgencyRateLimited, "429"),
        (_answer(200, b'{"access_tok'), BadResponse, "not JSON"),
        (_answer(200, ["x"]), BadResponse, "JSON object"),
        (_answer(200, {"token_type": "Bearer"}), BadResponse, "access_token"),
        (_answer(200, {"access_token": "t", "token_type": "mac"}), BadResponse, "Bearer"),
        (
            _answer(200, {"access_token": "t", "token_type": "Bearer", "expires_in": -1}),
            BadResponse,
            "expires_in",
        ),
        (_answer(404, {}), BadResponse, "HTTP 404"),
    ],
)
async def test_token_endpoint_failures_are_typed(
    answer: Callable[[], httpx.Response], error: type[Exception], fragment: str
) -> None:
    # given
    agency = FakeAgency()
    agency.token_answer = answer
    client, _ = make_client(agency)
    # when
    async with client:
        with pytest.raises(error) as raised:
            await client.get("/api/ping")
    # then
    assert fragment in str(raised.value)
    assert agency.api_requests == []  # never called the API without a token
    if isinstance(raised.value, AgencyRateLimited):
        assert raised.value.retry_after == 7.0


def test_sync_client_works_too() -> None:
    # given
    agency = FakeAgency()
    auth = ClientCredentialsAuth(TOKEN_URL, "hub", "s3cret", agency="TEST")
    with httpx.Client(transport=httpx.MockTransport(agency), auth=auth) as client:
        # when
        first = client.get("https://agency.test/api/ping")
        agency.revoke_all()
        second = client.get("https://agency.test/api/ping")
    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(agency.token_requests) == 2


@pytest.mark.parametrize(
    ("args", "options"),
    [
        (("/oauth/token", "id", "secret"), {}),
        ((TOKEN_URL, "", "secret"), {}),
        ((TOKEN_URL, "id", ""), {}),
        ((TOKEN_URL, "id", "secret"), {"auth_method": "private_key_jwt"}),
    ],
)
def test_bad_configuration_fails_at_construction(
    args: tuple[str, str, str], options: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        ClientCredentialsAuth(*args, agency="TEST", **options)


def test_token_value_stays_out_of_reprs() -> None:
    assert "sekret-token" not in repr(AccessToken("sekret-token", 10.0))


@pytest.mark.parametrize(
    ("status", "challenge", "refused"),
    [
        (401, 'Bearer realm="k", error="invalid_token"', True),
        (401, "bearer error=invalid_token", True),
        (401, 'Bearer realm="k"', False),
        (403, 'Bearer error="insufficient_scope"', False),
        (401, 'Basic realm="k", error="invalid_token"', False),
    ],
)
def test_token_refused_reads_the_bearer_challenge(
    status: int, challenge: str, refused: bool
) -> None:
    response = httpx.Response(status, headers={"WWW-Authenticate": challenge})
    assert token_refused(response) is refused
