"""Tokens from an external identity provider (``HUB_AUTH_ISSUER``, e.g. a ministry Keycloak).

The provider's JWKS (``HUB_AUTH_JWKS_URL``) is fetched through an injected, long-lived
``httpx.AsyncClient`` and cached. A token with an unknown ``kid`` makes the verifier refetch —
at most once per ``HUB_AUTH_JWKS_MIN_REFETCH`` seconds, so a stream of forged ``kid``s cannot
hammer the provider; the cache is refreshed after ``HUB_AUTH_JWKS_MAX_AGE`` seconds. When the
provider cannot be reached, cached keys keep working; with none, ``AuthUnavailable`` (503).

Only public EC and RSA (at least 2048 bits) signature keys are taken from the JWKS; symmetric
keys are ignored, so no token can be checked with HMAC. Keycloak names the client ``azp``;
when ``client_id`` is absent, ``azp`` stands in for it.
"""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from auth.errors import AuthUnavailable, InvalidToken, TokenReason
from auth.keys import AsymmetricKey
from auth.settings import AuthSettings
from auth.standing import check_lifetime, map_scopes
from auth.tokens import EXTERNAL_ALGORITHMS, check_claims, check_signature, read_header

log = logging.getLogger("pmihub.auth.external")
MAX_JWKS_BYTES = 256 * 1024
MAX_KEYS = 50


class ExternalVerifier:
    def __init__(
        self,
        settings: AuthSettings,
        http: httpx.AsyncClient,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if settings.external_issuer is None or settings.external_jwks_url is None:
            raise ValueError("HUB_AUTH_ISSUER and HUB_AUTH_JWKS_URL are required")
        self.settings = settings
        self.issuer = settings.external_issuer
        self.jwks_url = settings.external_jwks_url
        self.http = http
        self.monotonic = monotonic
        self.wall = wall
        self.fetches = 0
        self._keys: dict[str, AsymmetricKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = anyio.Lock()

    async def verify(self, token: str) -> dict[str, Any]:
        header = read_header(
            token, algorithms=EXTERNAL_ALGORITHMS, token_types=self.settings.token_types
        )
        alg = header["alg"]
        key = await self.key(header["kid"])
        if key is None:
            raise InvalidToken(TokenReason.UNKNOWN_KEY)
        if not _fits(key, alg):
            raise InvalidToken(TokenReason.UNSUPPORTED_ALGORITHM)
        claims = check_signature(token, key, alg)
        if "client_id" not in claims and isinstance(claims.get("azp"), str):
            claims["client_id"] = claims["azp"]
        check_claims(
            claims,
            issuer=self.issuer,
            audience=self.settings.audience,
            now=self.wall(),
            leeway=self.settings.leeway,
        )
        check_lifetime(claims, self.settings.max_lifetime)
        map_scopes(claims, self.settings.scope_map)
        return claims

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
        return self.monotonic() - self._fetched_at >= self.settings.jwks_max_age

    def _may_refetch(self) -> bool:
        last = self._attempted_at
        return last is None or self.monotonic() - last >= self.settings.jwks_min_refetch

    async def _fetch(self, *, required: bool) -> None:
        self._attempted_at = self.monotonic()
        self.fetches += 1
        try:
            response = await self.http.get(self.jwks_url, headers={"Accept": "application/json"})
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


def _modulus_bits(n: object) -> int:
    if not isinstance(n, str):
        return 0
    try:
        raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    except (binascii.Error, ValueError):
        return 0
    return int.from_bytes(raw, "big").bit_length()


def _fits(key: AsymmetricKey, alg: str) -> bool:
    expected = key.alg
    if expected and expected != alg:
        return False
    if alg.startswith("ES"):
        return isinstance(key, ECKey)
    return isinstance(key, RSAKey)


__all__ = ["ExternalVerifier", "parse_jwks"]
