"""OAuth 2.0 client credentials (RFC 6749 §4.4) as an ``httpx.Auth``, on authlib's RFC core.

Plugged into a connector's one long-lived ``httpx.AsyncClient``, ``ClientCredentialsAuth``
fetches its token through that same client (same transport, same keep-alive pool), caches it,
fetches a new one shortly before it expires, and retries a request once when the API answers
401 with ``WWW-Authenticate: Bearer error="invalid_token"`` (a token revoked or expired early).
The flow only yields requests; the client does the I/O.

authlib does the protocol parts: client authentication (``client_secret_basic`` or
``client_secret_post``), the token request body, and bearer signing (RFC 6750 §2.1).
``authlib.integrations.httpx_client`` is not used: in authlib 1.9 it targets httpx2 and emits
an AuthlibDeprecationWarning at import when it falls back to httpx, and its
``AsyncOAuth2Client`` is a client of its own rather than an auth for ours.

A token endpoint refusing us (RFC 6749 §5.2 ``invalid_client``, ``invalid_grant``,
``invalid_scope``…) raises ``AgencyRejected``; an unusable token answer raises ``BadResponse``;
429 and 5xx raise as ``connectors.kit.http.check_status`` says.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, field

import anyio
import httpx
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_token_request
from authlib.oauth2.rfc6750 import add_bearer_token

from connectors.kit.errors import AgencyRejected, BadResponse
from connectors.kit.http import check_status

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
_ERROR_CODE = re.compile(r"^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$")  # RFC 6749 §5.2 charset
_INVALID_TOKEN = re.compile(r'\berror\s*=\s*"?invalid_token"?', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A bearer token and when to stop using it, on the auth's clock."""

    value: str = field(repr=False)
    refresh_at: float | None  # None: the server gave no lifetime; use until refused
    scope: str | None = None

    def usable(self, now: float) -> bool:
        return self.refresh_at is None or now < self.refresh_at


class ClientCredentialsAuth(httpx.Auth):
    """Bearer auth with tokens from the client credentials grant.

    ``leeway`` is how long before expiry a token is replaced (at most half its lifetime, so
    short-lived tokens are still used). ``clock`` is injectable for tests.

    Example::

        auth = ClientCredentialsAuth("https://api.example/oauth/token", "id", "secret",
                                     agency="KEMNAKER")
        http = httpx.AsyncClient(base_url="https://api.example", auth=auth)
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        agency: str,
        auth_method: str = "client_secret_basic",
        scope: str | None = None,
        leeway: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not httpx.URL(token_url).is_absolute_url:
            raise ValueError("token_url must be an absolute URL")
        if not client_id or not client_secret:
            raise ValueError("client_id and client_secret are required")
        if auth_method not in AUTH_METHODS:
            raise ValueError(f"auth_method must be one of {', '.join(AUTH_METHODS)}")
        self.token_url = token_url
        self.agency = agency
        self.scope = scope or None
        self.leeway = leeway
        self.clock = clock
        self.token_requests = 0
        self._client = ClientAuth(client_id, client_secret, auth_method)
        self._token: AccessToken | None = None
        self._async_lock = anyio.Lock()
        self._sync_lock = threading.Lock()

    @property
    def token(self) -> AccessToken | None:
        return self._token

    def invalidate(self) -> None:
        """Forget the cached token; the next request fetches a new one."""
        self._token = None

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()  # so the request can be sent again after a refused token
        token = self._token
        if not self._usable(token):
            async with self._async_lock:  # concurrent requests share one token fetch
                token = self._token
                if not self._usable(token):
                    answer = yield self._token_request()
                    await answer.aread()
                    token = self._accept(answer)
        response = yield self._sign(request, token)
        if not token_refused(response):
            return
        refused = token
        async with self._async_lock:
            token = self._token
            if token is refused or not self._usable(token):  # nobody has replaced it meanwhile
                answer = yield self._token_request()
                await answer.aread()
                token = self._accept(answer)
        yield self._sign(request, token)

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        token = self._token
        if not self._usable(token):
            with self._sync_lock:
                token = self._token
                if not self._usable(token):
                    answer = yield self._token_request()
                    answer.read()
                    token = self._accept(answer)
        response = yield self._sign(request, token)
        if not token_refused(response):
            return
        refused = token
        with self._sync_lock:
            token = self._token
            if token is refused or not self._usable(token):
                answer = yield self._token_request()
                answer.read()
                token = self._accept(answer)
        yield self._sign(request, token)

    def _usable(self, token: AccessToken | None) -> bool:
        return token is not None and token.usable(self.clock())

    def _token_request(self) -> httpx.Request:
        body = prepare_token_request("client_credentials", scope=self.scope)
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        url, headers, body = self._client.prepare("POST", self.token_url, headers, body)
        return httpx.Request("POST", url, headers=headers, content=body.encode())

    def _sign(self, request: httpx.Request, token: AccessToken | None) -> httpx.Request:
        assert token is not None  # the flows reach here only with a cached or fresh token
        _, signed, _ = add_bearer_token(token.value, str(request.url), {}, "", "header")
        request.headers.update(signed)
        return request

    def _accept(self, response: httpx.Response) -> AccessToken:
        """Validate a token endpoint answer (RFC 6749 §5.1/§5.2) and cache the token."""
        self.token_requests += 1
        received = self.clock()
        status = response.status_code
        if status in (400, 401, 403):
            error = oauth_error(response)
            if error is not None:
                raise AgencyRejected(self.agency, f"token endpoint refused the client ({error})")
        check_status(response, self.agency)
        if status != 200:
            raise BadResponse(self.agency, f"token endpoint answered HTTP {status}")
        try:
            body = response.json()
        except ValueError:
            raise BadResponse(self.agency, "token endpoint answer is not JSON") from None
        if not isinstance(body, dict):
            raise BadResponse(self.agency, "token endpoint answer is not a JSON object")
        value, kind = body.get("access_token"), body.get("token_type")
        if not isinstance(value, str) or not value or not value.isascii() or " " in value:
            raise BadResponse(self.agency, "token endpoint gave no usable access_token")
        if not isinstance(kind, str) or kind.lower() != "bearer":
            raise BadResponse(self.agency, "token endpoint gave a token that is not Bearer")
        try:
            lifetime = _lifetime(body.get("expires_in"))
        except ValueError:
            raise BadResponse(self.agency, "token endpoint gave an invalid expires_in") from None
        scope = body.get("scope") if isinstance(body.get("scope"), str) else self.scope
        refresh_at = None
        if lifetime is not None:
            refresh_at = received + lifetime - min(self.leeway, lifetime / 2)
        self._token = AccessToken(value, refresh_at, scope)
        return self._token


def _lifetime(value: object) -> float | None:
    """Seconds from ``expires_in`` (RFC 6749 §5.1); None when absent."""
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        raise ValueError("expires_in must be a positive number of seconds")
    return float(value)


def oauth_error(response: httpx.Response) -> str | None:
    """The RFC 6749 §5.2 ``error`` code of a token endpoint answer, if it has one."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str) and _ERROR_CODE.match(error):
        return error
    return None


def token_refused(response: httpx.Response) -> bool:
    """Whether an API answer says our bearer token is no good (RFC 6750 §3.1)."""
    if response.status_code != 401:
        return False
    challenges = response.headers.get_list("WWW-Authenticate")
    return any(
        c.strip().lower().startswith("bearer") and _INVALID_TOKEN.search(c) for c in challenges
    )


__all__ = ["AUTH_METHODS", "AccessToken", "ClientCredentialsAuth", "oauth_error", "token_refused"]
