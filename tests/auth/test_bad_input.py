"""Hostile input at every endpoint gets a typed answer, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from auth.routes import create_auth_app
from auth.server import HubAuthorizationServer
from hub.storage import make_engine
from tests.auth._support import authorize_params, pkce

pytestmark = pytest.mark.anyio


@pytest.fixture
def engine() -> Iterator[Engine]:
    """SQLite only: parsing and validation do not depend on the database."""
    eng = make_engine("sqlite://", poolclass=StaticPool)
    SQLModel.metadata.create_all(eng)
    yield eng
    eng.dispose()


ODD = ['a"b\\c', "é\u202e", "x" * 5000, "\x00", "<script>alert(1)</script>", "%00", " "]
FIELDS = ["client_id", "redirect_uri", "scope", "state", "response_type", "purpose"]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("field", FIELDS)
async def test_odd_authorization_parameters(
    field: str, value: str, http: httpx.AsyncClient, demo: Any
) -> None:
    _, challenge = pkce()
    answer = await http.get(
        "/oauth/authorize", params=authorize_params(challenge, **{field: value})
    )
    assert answer.status_code in (200, 302, 400), answer.text
    assert "<script>" not in answer.text
    if answer.status_code == 302:
        assert answer.headers["location"].startswith("http://127.0.0.1:8000/console/callback?")


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    "field", ["grant_type", "client_id", "code", "redirect_uri", "code_verifier", "scope"]
)
async def test_odd_token_parameters(
    field: str, value: str, http: httpx.AsyncClient, demo: Any
) -> None:
    data = {
        "grant_type": "authorization_code",
        "client_id": "console-frontend",
        "code": "abc",
        "redirect_uri": "http://127.0.0.1:8000/console/callback",
        "code_verifier": "v" * 50,
        field: value,
    }
    answer = await http.post("/oauth/token", data=data)
    assert answer.status_code in (400, 401), answer.text
    assert answer.json()["error"]


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke", "/oauth/introspect"])
@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"\xff\xfe\x00", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"token=a&token=b", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"&" * 5000, {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"token=x", {"Content-Type": "text/plain"}),
        (
            b"token=x",
            {"Authorization": "Basic !!!", "Content-Type": "application/x-www-form-urlencoded"},
        ),
        (
            b"token=x",
            {
                "Authorization": "Basic w6k6w6k=",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ),
    ],
)
async def test_odd_bodies(
    path: str, content: bytes, headers: dict[str, str], http: httpx.AsyncClient, demo: Any
) -> None:
    answer = await http.post(path, content=content, headers=headers)
    assert answer.status_code in (400, 401), answer.text
    assert answer.json()["error"]


async def test_plain_http_off_loopback_is_insecure_transport(
    server: HubAuthorizationServer, demo: Any
) -> None:
    transport = httpx.ASGITransport(app=create_auth_app(server))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.example") as client:
        answer = await client.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "insecure_transport"
