"""The BPJS sandbox over ASGITransport, a fixed clock, and helpers to read its answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from connectors.bpjs import BpjsConnector, BpjsCredentials
from connectors.bpjs.crypto import decrypt_text
from connectors.bpjs.sandbox import DEV_CREDENTIALS, create_app
from connectors.kit.auth.hmac import ConsumerSignatureAuth
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

NOW = 1_795_500_000.0  # 2026-11-24, UTC
BASE_URL = "http://bpjs.test"


class Clock:
    """A settable clock in Unix seconds."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(small_scenario: Scenario, clock: Clock) -> Callable[..., Starlette]:
    def make(**config: Any) -> Starlette:
        settings = SandboxConfig(credentials=dict(DEV_CREDENTIALS), **config)
        return create_app(SandboxData(small_scenario), settings, clock=clock)

    return make


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app(max_batch=10, max_page_size=50)


@pytest.fixture
def sign(clock: Clock) -> Callable[..., ConsumerSignatureAuth]:
    """Auth with the development credentials, any of them overridden."""

    def make(**overrides: str) -> ConsumerSignatureAuth:
        creds = {**DEV_CREDENTIALS, **overrides}
        return ConsumerSignatureAuth(
            creds["cons_id"], creds["secret"], creds["user_key"], clock=clock
        )

    return make


@pytest.fixture
async def raw(
    app: Starlette, sign: Callable[..., ConsumerSignatureAuth]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client signing with the development credentials, talking to the sandbox in-process."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, auth=sign()
    ) as client:
        yield client


@pytest.fixture
def make_connector(app: Starlette, clock: Clock) -> Callable[..., BpjsConnector]:
    """A connector on the sandbox app; ``clock`` and any credential may be overridden."""

    def make(clock: Callable[[], float] = clock, **creds: str) -> BpjsConnector:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)
        credentials = BpjsCredentials.from_mapping({**DEV_CREDENTIALS, **creds})
        return BpjsConnector(http, credentials, clock=clock)

    return make


@pytest.fixture
async def connector(
    make_connector: Callable[..., BpjsConnector],
) -> AsyncIterator[BpjsConnector]:
    conn = make_connector()
    yield conn
    await conn.aclose()


def _payload(response: httpx.Response) -> Any:
    """The decrypted ``response`` of a successful answer."""
    body = response.json()
    assert body["metaData"] == {"code": "200", "message": "OK"}
    stamp = response.request.headers["X-timestamp"]
    creds = DEV_CREDENTIALS
    return orjson.loads(decrypt_text(body["response"], creds["cons_id"], creds["secret"], stamp))


def _refusal(response: httpx.Response) -> tuple[int, str]:
    """(HTTP status, BPJS code) of an error answer, checking its shape."""
    body = response.json()
    assert set(body) == {"metaData", "response"}
    assert body["response"] is None
    assert isinstance(body["metaData"]["code"], str)
    assert " / " in body["metaData"]["message"]  # Indonesian / English
    return response.status_code, body["metaData"]["code"]


@pytest.fixture
def payload() -> Callable[[httpx.Response], Any]:
    return _payload


@pytest.fixture
def refusal() -> Callable[[httpx.Response], tuple[int, str]]:
    return _refusal
