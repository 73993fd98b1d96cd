"""A provider's JWKS, fetched through an injected, long-lived ``httpx.AsyncClient`` and cached.

A key id not in the cache makes the cache refetch — at most once per ``min_refetch`` seconds,
so a stream of forged ``kid``s cannot hammer the provider; the cache is refreshed after
``max_age`` seconds. When the provider cannot be reached, cached keys keep working; with none,
``AuthUnavailable`` (503).

Only public EC and RSA (at least 2048 bits) signature keys are taken from the JWKS; symmetric
keys are ignored, so no token can be checked with HMAC. Used by ``auth.external`` (access
tokens of an external issuer) and ``auth.oidc.provider`` (ID tokens at sign-in).
"""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import anyio
import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from auth.errors import AuthUnavailable
from auth.keys import AsymmetricKey

log = logging.getLogger("pmihub.auth.jwks")
MAX_JWKS_BYTES = 256 * 1024
MAX_KEYS = 50


class Fetcher(Protocol):
    """What the cache fetches with: an ``httpx.AsyncClient``, or anything with its ``get``."""

    async def get(self, url: str, *, headers: dict[str, str]) -> httpx.Response: ...


class JwksCache:
    def __init__(
        self,
        url: str | Callable[[], Awaitable[str]],
        http: Fetcher,
        *,
        min_refetch: float,
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url  # or a coroutine giving it (from a discovery document)
        self.http = http
        self.min_refetch = min_refetch
        self.max_age = max_age
        self.monotonic = monotonic
        self.fetches = 0
        self._keys: dict[str, AsymmetricKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = anyio.Lock()

    async def key(self, kid: str) -> AsymmetricKey | None:
        """The provider's key ``kid``, fetching the JWKS when stale or when ``kid`` is new."""
        if self._expired():
            async with self._lock:
                if self._expired():
                    await self._fetch(required=not self._keys)
        key = self._keys.get(kid)
        if key is None and self._may_refetch():
            async with self._lock:
                if kid not in self._keys and self._may_refetch():
                    await self._fetch(required=not self._keys)
            key = self._keys.get(kid)
        return key

    def _expired(self) -> bool:
        if self._fetched_at is None:
            return self._may_refetch()
        return self.monotonic() - self._fetched_at >= self.max_age

    def _may_refetch(self) -> bool:
        last = self._attempted_at
        return last is None or self.monotonic() - last >= self.min_refetch

    async def _fetch(self, *, required: bool) -> None:
        self._attempted_at = self.monotonic()
        self.fetches += 1
        try:
            url = self.url if isinstance(self.url, str) else await self.url()
            response = await self.http.get(url, headers={"Accept": "application/json"})
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            if len(response.content) > MAX_JWKS_BYTES:
                raise ValueError("JWKS too large")
            keys = parse_jwks(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("JWKS fetch from the identity provider failed: %s", type(exc).__name__)
            if required:
                raise AuthUnavailable() from None
            return
        self._keys = keys
        self._fetched_at = self.monotonic()


def parse_jwks(document: object) -> dict[str, AsymmetricKey]:
    """The usable public signature keys of a JWKS document, by ``kid``."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, AsymmetricKey] = {}
    for entry in document["keys"][:MAX_KEYS]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig":
            continue
        public = {k: v for k, v in entry.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        try:
            if entry.get("kty") == "EC":
                key: AsymmetricKey = ECKey.import_key(public)
            elif entry.get("kty") == "RSA":
                if _modulus_bits(entry.get("n")) < 2048:
                    continue
                key = RSAKey.import_key(public)
            else:
                continue  # symmetric and unknown key types are never trusted
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            log.warning("skipping an unreadable JWKS key: %s", type(exc).__name__)
            continue
        keys[entry["kid"]] = key
    return keys


def fits(key: AsymmetricKey, alg: str) -> bool:
    """Whether ``key`` may check a signature made with ``alg``."""
    expected = key.alg
    if expected and expected != alg:
        return False
    if alg.startswith("ES"):
        return isinstance(key, ECKey)
    return isinstance(key, RSAKey)


def _modulus_bits(n: object) -> int:
    if not isinstance(n, str):
        return 0
    try:
        raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    except (binascii.Error, ValueError):
        return 0
    return int.from_bytes(raw, "big").bit_length()


__all__ = ["JwksCache", "fits", "parse_jwks"]
