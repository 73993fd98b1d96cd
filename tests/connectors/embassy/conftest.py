"""The Peduli WNI sandbox over the small scenario, reached in-process through ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from starlette.applications import Starlette

from connectors.embassy import EmbassyConnector, connect
from connectors.embassy.dialect import CONTENT_TYPE, NS, NS_SOAP, PATH, soap_action
from connectors.embassy.sandbox import create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.scenario import Scenario

BASE_URL = "https://peduliwni.test"
Soap = Callable[..., Awaitable[httpx.Response]]


def envelope(body: str) -> str:
    return (
        f'<soap:Envelope xmlns:soap="{NS_SOAP}" xmlns:pw="{NS}">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    )


def operation(name: str, **fields: str | list[str]) -> str:
    """``<pw:name><pw:Field>value</pw:Field>...</pw:name>`` (values are test constants)."""
    inner = ""
    for field, values in fields.items():
        for value in [values] if isinstance(values, str) else values:
            inner += f"<pw:{field}>{value}</pw:{field}>"
    return envelope(f"<pw:{name}>{inner}</pw:{name}>")


@pytest.fixture
def embassy_data(small_scenario: Scenario) -> SandboxData:
    return SandboxData(small_scenario)


@pytest.fixture
def embassy_config() -> SandboxConfig:
    return SandboxConfig(max_batch=3, max_page_size=2)


@pytest.fixture
def embassy_app(embassy_data: SandboxData, embassy_config: SandboxConfig) -> Starlette:
    return create_app(embassy_data, embassy_config)


@pytest.fixture
async def api(embassy_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A plain client: the sandbox as any caller sees it."""
    transport = httpx.ASGITransport(app=embassy_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def soap(api: httpx.AsyncClient) -> Soap:
    """Call an operation: ``await soap("Ping")`` or ``await soap("FindByNik", Nik=[...])``."""

    async def call(name: str, **fields: str | list[str]) -> httpx.Response:
        headers = {"SOAPAction": soap_action(name), "Content-Type": CONTENT_TYPE}
        return await api.post(PATH, content=operation(name, **fields), headers=headers)

    return call


@pytest.fixture
async def connector(embassy_app: Starlette) -> AsyncIterator[EmbassyConnector]:
    conn = connect(BASE_URL, {}, batch_size=3, transport=httpx.ASGITransport(app=embassy_app))
    yield conn
    await conn.aclose()
