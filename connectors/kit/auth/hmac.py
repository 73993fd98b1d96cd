"""Consumer-signature auth in the BPJS style (VClaim): consumer id, timestamp, HMAC signature.

Every request carries four headers::

    X-cons-id:   the consumer id BPJS issued
    X-timestamp: Unix seconds, UTC, when the request was signed
    X-signature: Base64(HMAC-SHA256(secret, cons_id + "&" + timestamp))
    user_key:    the API gateway key issued with the consumer id

The server refuses a timestamp outside its clock-skew window, so each request is signed
afresh. BPJS also derives the key that encrypts its answer from the same timestamp; read it
back from the request with ``request_timestamp(response.request)``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Generator

import httpx

CONS_ID = "X-cons-id"
TIMESTAMP = "X-timestamp"
SIGNATURE = "X-signature"
USER_KEY = "user_key"


def signature(cons_id: str, secret: str, timestamp: str) -> str:
    """``Base64(HMAC-SHA256(secret, cons_id + "&" + timestamp))``."""
    mac = hmac.new(secret.encode(), f"{cons_id}&{timestamp}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def signature_valid(cons_id: str, secret: str, timestamp: str, given: str) -> bool:
    """Constant-time check of a received signature (any text, even non-ASCII, is safe)."""
    expected = signature(cons_id, secret, timestamp).encode()
    return hmac.compare_digest(expected, given.encode("utf-8", "surrogateescape"))


def request_timestamp(request: httpx.Request) -> str | None:
    """The timestamp a request was signed with (what the answer's key is derived from)."""
    return request.headers.get(TIMESTAMP)


class ConsumerSignatureAuth(httpx.Auth):
    """Signs every request with a fresh timestamp.

    Example::

        auth = ConsumerSignatureAuth("12345", secret, user_key)
        response = await client.get("/pmi-rest/ref/status", auth=auth)
        timestamp = request_timestamp(response.request)   # the one it was signed with

    ``clock`` returns Unix seconds (``time.time`` by default); tests inject a fixed one.
    """

    def __init__(
        self,
        cons_id: str,
        secret: str,
        user_key: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cons_id = cons_id
        self._secret = secret
        self._user_key = user_key
        self.clock = clock

    def __repr__(self) -> str:  # never show the secret or the user key
        return f"ConsumerSignatureAuth(cons_id={self.cons_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        timestamp = str(int(self.clock()))
        request.headers[CONS_ID] = self.cons_id
        request.headers[TIMESTAMP] = timestamp
        request.headers[SIGNATURE] = signature(self.cons_id, self._secret, timestamp)
        request.headers[USER_KEY] = self._user_key
        yield request


__all__ = [
    "CONS_ID",
    "SIGNATURE",
    "TIMESTAMP",
    "USER_KEY",
    "ConsumerSignatureAuth",
    "request_timestamp",
    "signature",
    "signature_valid",
]
