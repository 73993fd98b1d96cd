"""The external OpenID Connect provider, as the hub's relying party sees it.

Its discovery document (``<issuer>/.well-known/openid-configuration``) and JWKS are fetched with
the hub's long-lived ``httpx.AsyncClient`` and cached (``auth.jwks.JwksCache``). The document
must name exactly the configured issuer (OpenID Connect Discovery §4.3): a provider answering
for another issuer is refused, as is one that cannot do the code flow with PKCE S256.

ID tokens are checked with joserfc (signature; ``alg`` from ``HUB_OIDC_ALGORITHMS``, the key
from the JWKS by ``kid`` and of the matching type) and authlib's ``CodeIDToken`` (iss, aud,
exp, iat, nonce, azp, at_hash), then: every audience must be the client id or one of
``HUB_OIDC_AUDIENCES``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
from authlib.oidc.core import CodeIDToken
from joserfc import jws
from joserfc.errors import JoseError

from auth.errors import AuthUnavailable, InvalidToken
from auth.jwks import JwksCache, fits
from auth.oidc.settings import OidcSettings, OidcSettingsError, provider_url
from auth.tokens import check_signature

log = logging.getLogger("pmihub.auth.oidc")
MAX_DOCUMENT_BYTES = 64 * 1024


class ProviderError(Exception):
    """The provider's answer cannot be used; ``reason`` is for the audit and the page."""

    def __init__(self, reason: str, *, unavailable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unavailable = unavailable  # 503: the provider did not answer (or not usably)


class OidcProvider:
    def __init__(
        self,
        settings: OidcSettings,
        http: httpx.AsyncClient | None = None,
        *,
        leeway: int = 30,
        max_age: float = 3600,
        min_refetch: float = 30,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._http = http
        self._owned: httpx.AsyncClient | None = None
        self.leeway = leeway
        self.max_age = max_age
        self.monotonic = monotonic
        self.wall = wall
        self._document: dict[str, Any] | None = None
        self._fetched_at = 0.0
        self._lock = anyio.Lock()
        self.jwks = JwksCache(
            self._jwks_uri, self, min_refetch=min_refetch, max_age=max_age, monotonic=monotonic
        )

    @property
    def http(self) -> httpx.AsyncClient:
        """The given client, else one of its own (made on first use, closed by ``aclose``)."""
        if self._http is not None:
            return self._http
        if self._owned is None:
            self._owned = httpx.AsyncClient(timeout=10, follow_redirects=False)
        return self._owned

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """For the JWKS cache: a GET through ``http``."""
        return await self.http.get(url, **kwargs)

    async def aclose(self) -> None:
        if self._owned is not None:
            await self._owned.aclose()
            self._owned = None

    async def metadata(self) -> dict[str, Any]:
        """The checked discovery document (cached for ``max_age`` seconds)."""
        fresh = self._document is not None and self.monotonic() - self._fetched_at < self.max_age
        if not fresh:
            async with self._lock:
                if self._document is None or self.monotonic() - self._fetched_at >= self.max_age:
                    self._document = await self._discover()
                    self._fetched_at = self.monotonic()
        assert self._document is not None
        return self._document

    async def authorization_url(self, *, state: str, nonce: str, challenge: str) -> str:
        endpoint = (await self.metadata())["authorization_endpoint"]
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.client_id,
                "redirect_uri": self.settings.redirect_uri,
                "scope": self.settings.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def exchange(self, code: str, verifier: str) -> dict[str, Any]:
        """The token response for ``code`` (client secret, if any, by HTTP Basic)."""
        endpoint = (await self.metadata())["token_endpoint"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.settings.redirect_uri,
            "code_verifier": verifier,
        }
        auth = None
        if self.settings.client_secret is None:
            form["client_id"] = self.settings.client_id
        else:
            auth = httpx.BasicAuth(self.settings.client_id, self.settings.client_secret)
        try:
            response = await self.http.post(
                endpoint, data=form, auth=auth, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            log.warning("the identity provider's token endpoint failed: %s", type(exc).__name__)
            raise ProviderError("providerUnavailable", unavailable=True) from None
        body = _json(response)
        if response.status_code != 200 or not isinstance(body.get("id_token"), str):
            error = body.get("error") if isinstance(body.get("error"), str) else None
            log.warning(
                "the identity provider refused the code: HTTP %s %s",
                response.status_code,
                (error or "")[:40],
            )
            if response.status_code >= 500:
                raise ProviderError("providerUnavailable", unavailable=True)
            raise ProviderError("codeRefused")
        return body

    async def verify_id_token(
        self, token: str, *, nonce: str, access_token: str | None = None
    ) -> dict[str, Any]:
        """The ID token's claims once every check passes; ``ProviderError`` otherwise."""
        try:
            header = jws.extract_compact(token.encode()).headers()
        except (JoseError, ValueError, TypeError):
            raise ProviderError("idTokenMalformed") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in self.settings.algorithms:
            raise ProviderError("idTokenAlgorithm")
        if not isinstance(kid, str) or not kid or {"jku", "x5u", "jwk", "crit"} & set(header):
            raise ProviderError("idTokenHeader")
        key = await self.jwks.key(kid)
        if key is None or not fits(key, alg):
            raise ProviderError("idTokenKey")
        try:
            claims = check_signature(token, key, alg)
        except InvalidToken:
            raise ProviderError("idTokenSignature") from None
        params: dict[str, Any] = {"nonce": nonce, "client_id": self.settings.client_id}
        if access_token:
            params["access_token"] = access_token
        checked = CodeIDToken(
            claims,
            header,
            {
                "iss": {"essential": True, "value": self.settings.issuer},
                "aud": {"essential": True, "values": [self.settings.client_id]},
                "sub": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            },
            params,
        )
        try:
            checked.validate(now=int(self.wall()), leeway=self.leeway)
        except JoseError as exc:
            raise ProviderError(_claim_reason(exc)) from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        trusted = {self.settings.client_id, *self.settings.audiences}
        if not set(audiences) <= trusted:
            raise ProviderError("idTokenAudience")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise ProviderError("idTokenSubject")
        return claims

    async def _jwks_uri(self) -> str:
        return str((await self.metadata())["jwks_uri"])

    async def _discover(self) -> dict[str, Any]:
        try:
            response = await self.http.get(
                self.settings.discovery_url, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            log.warning("the identity provider's discovery failed: %s", type(exc).__name__)
            raise ProviderError("providerUnavailable", unavailable=True) from None
        document = _json(response)
        if response.status_code != 200 or not document:
            log.warning("the identity provider's discovery answered HTTP %s", response.status_code)
            raise ProviderError("providerUnavailable", unavailable=True)
        if document.get("issuer") != self.settings.issuer:
            log.error("the identity provider names another issuer than HUB_OIDC_ISSUER")
            raise ProviderError("wrongIssuer", unavailable=True)
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = document.get(name)
            try:
                provider_url(name, value if isinstance(value, str) else "")
            except OidcSettingsError:
                log.error("the identity provider's %s is missing or not https", name)
                raise ProviderError("badDiscovery", unavailable=True) from None
        methods = document.get("code_challenge_methods_supported")
        if isinstance(methods, list) and "S256" not in methods:
            log.error("the identity provider does not offer PKCE S256")
            raise ProviderError("badDiscovery", unavailable=True)
        return document


def _json(response: httpx.Response) -> dict[str, Any]:
    if len(response.content) > MAX_DOCUMENT_BYTES:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _claim_reason(exc: JoseError) -> str:
    claim = str(getattr(exc, "claim", "") or "")
    names = {
        "iss": "idTokenIssuer",
        "aud": "idTokenAudience",
        "nonce": "idTokenNonce",
        "exp": "idTokenExpired",
        "azp": "idTokenAudience",
    }
    return names.get(claim, "idTokenClaims")


__all__ = ["AuthUnavailable", "OidcProvider", "ProviderError"]
