"""Tokens from an external identity provider (``HUB_AUTH_ISSUER``, e.g. a ministry Keycloak).

The provider's JWKS (``HUB_AUTH_JWKS_URL``) is cached by ``auth.jwks.JwksCache``: refetched
for an unknown ``kid`` at most once per ``HUB_AUTH_JWKS_MIN_REFETCH`` seconds, refreshed after
``HUB_AUTH_JWKS_MAX_AGE``. Keycloak names the client ``azp``; when ``client_id`` is absent,
``azp`` stands in for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from auth.errors import InvalidToken, TokenReason
from auth.jwks import JwksCache, fits, parse_jwks
from auth.keys import AsymmetricKey
from auth.settings import AuthSettings
from auth.standing import check_lifetime, map_scopes
from auth.tokens import EXTERNAL_ALGORITHMS, check_claims, check_signature, read_header


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
        self.wall = wall
        self.jwks = JwksCache(
            self.jwks_url,
            http,
            min_refetch=settings.jwks_min_refetch,
            max_age=settings.jwks_max_age,
            monotonic=monotonic,
        )

    async def verify(self, token: str) -> dict[str, Any]:
        header = read_header(
            token, algorithms=EXTERNAL_ALGORITHMS, token_types=self.settings.token_types
        )
        alg = header["alg"]
        key = await self.key(header["kid"])
        if key is None:
            raise InvalidToken(TokenReason.UNKNOWN_KEY)
        if not fits(key, alg):
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
        return await self.jwks.key(kid)

    @property
    def fetches(self) -> int:
        return self.jwks.fetches


__all__ = ["ExternalVerifier", "parse_jwks"]
