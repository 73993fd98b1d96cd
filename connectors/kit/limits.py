"""A bound on what an agency's answer may cost the hub: bytes read and bytes decompressed.

Every connector's client carries ``response_limits(credentials)`` as its event hooks: before
the body is read, the response stream is replaced by one that stops as soon as the decoded
body passes the limit (``HUB_AGENCY_<NAME>_MAX_RESPONSE_BYTES``, 16 MiB by default), so a
misbehaving agency, or a gzip bomb, costs at most the limit in memory. gzip and deflate are
decoded here with a bounded output; other content encodings are refused. The connector's
``agency_errors`` turns the overrun into ``ResponseTooLarge`` (a ``BadResponse``).
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx

DEFAULT_MAX_BYTES = 16 * 2**20
SETTING = "max_response_bytes"  # HUB_AGENCY_<NAME>_MAX_RESPONSE_BYTES
ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(httpx.HTTPError):
    """The answer's body, decoded, passed the limit; reading stopped there."""


class UnsupportedEncoding(httpx.DecodingError):
    """A content encoding the hub does not decode with a bound."""


def max_response_bytes(credentials: Mapping[str, str]) -> int:
    raw = credentials.get(SETTING)
    if raw is None:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) < 1024:
        raise ValueError(f"{SETTING.upper()} must be a whole number of bytes, at least 1024")
    return int(raw)


class _Bounded(httpx.AsyncByteStream):
    def __init__(self, inner: Any, limit: int, wbits: int | None) -> None:
        self.inner = inner
        self.limit = limit
        self.decoder = zlib.decompressobj(wbits) if wbits is not None else None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        left = self.limit
        async for chunk in self.inner:
            for piece in self._decode(chunk, left + 1):
                left -= len(piece)
                if left < 0:
                    raise BodyTooLarge(f"the answer passed {self.limit} bytes")
                yield piece
        if self.decoder is not None and not self.decoder.eof and self.decoder.unconsumed_tail:
            raise BodyTooLarge(f"the answer passed {self.limit} bytes")

    def _decode(self, chunk: bytes, room: int) -> list[bytes]:
        if self.decoder is None:
            return [chunk]
        out: list[bytes] = []
        data = chunk
        try:
            while data and room > 0:
                piece = self.decoder.decompress(data, room)
                out.append(piece)
                room -= len(piece)
                data = self.decoder.unconsumed_tail
        except zlib.error as exc:
            raise httpx.DecodingError(f"the answer is not valid compressed data ({exc})") from exc
        if data:  # more output than the room left: the limit is passed
            out.append(b"\0")
        return out

    async def aclose(self) -> None:
        await self.inner.aclose()


def response_limits(credentials: Mapping[str, str]) -> dict[str, list[Callable[..., Any]]]:
    """Event hooks for a connector's ``httpx.AsyncClient``: the bounded body."""
    limit = max_response_bytes(credentials)

    async def bound(response: httpx.Response) -> None:
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in (*ENCODINGS, "identity", ""):
            raise UnsupportedEncoding(f"content encoding {encoding!r} is not accepted")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(f"the answer declares {declared} bytes, over {limit}")
        response.stream = _Bounded(response.stream, limit, ENCODINGS.get(encoding))
        if "content-encoding" in response.headers:
            del response.headers["content-encoding"]  # decoded here, with the bound

    return {"response": [bound]}


__all__ = [
    "DEFAULT_MAX_BYTES",
    "BodyTooLarge",
    "UnsupportedEncoding",
    "max_response_bytes",
    "response_limits",
]
