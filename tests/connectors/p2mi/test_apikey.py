"""connectors.kit.auth.apikey.ApiKeyAuth on a client, through httpx.MockTransport."""

from __future__ import annotations

import httpx
import pytest

from connectors.kit.auth.apikey import ApiKeyAuth

pytestmark = pytest.mark.anyio


def echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=dict(request.headers))


async def test_the_key_goes_in_the_configured_header_replacing_any_other() -> None:
    # given
    auth = ApiKeyAuth("s3cret", header="X-Siskop2mi-Key")
    async with httpx.AsyncClient(transport=httpx.MockTransport(echo), auth=auth) as client:
        # when
        sent = (await client.get("http://agency.test/", headers={"X-Siskop2mi-Key": "old"})).json()
    # then
    assert sent["x-siskop2mi-key"] == "s3cret"
    assert "x-api-key" not in sent


async def test_the_default_header_is_x_api_key() -> None:
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(echo), auth=ApiKeyAuth("k-1")
    ) as client:
        assert (await client.get("http://agency.test/")).json()["x-api-key"] == "k-1"


@pytest.mark.parametrize(
    ("key", "header"),
    [
        ("", "X-Api-Key"),
        ("with space", "X-Api-Key"),
        ("line\r\nX-Evil: 1", "X-Api-Key"),
        ("kunci", "X Api Key"),
        ("kunci", ""),
        ("kunci", "X-Api-Key:"),
    ],
)
def test_keys_and_headers_that_cannot_be_sent_are_refused(key: str, header: str) -> None:
    with pytest.raises(ValueError):
        ApiKeyAuth(key, header=header)


def test_the_key_never_shows_in_repr() -> None:
    assert "s3cret" not in repr(ApiKeyAuth("s3cret"))
