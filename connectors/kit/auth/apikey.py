"""A static API key sent in a request header, as an ``httpx.Auth`` (no I/O of its own).

Example::

    client = httpx.AsyncClient(base_url=url, auth=ApiKeyAuth(key, header="X-Api-Key"))
"""

from __future__ import annotations

import re
from collections.abc import Generator

import httpx

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 §5.6.2 field-name
_VISIBLE = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces or control characters


class ApiKeyAuth(httpx.Auth):
    """Sets ``header: key`` on every request, replacing any value the request already had."""

    def __init__(self, key: str, header: str = "X-Api-Key") -> None:
        if not _TOKEN.match(header):
            raise ValueError(f"not a valid header name: {header!r}")
        if not key or not _VISIBLE.match(key):
            raise ValueError("an API key must be non-empty printable ASCII without spaces")
        self.header = header
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.header] = self._key
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyAuth(header={self.header!r}, key=<hidden>)"


__all__ = ["ApiKeyAuth"]
