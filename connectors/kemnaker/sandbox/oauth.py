"""The Kemnaker sandbox's own OAuth 2.0 authorization server: client credentials only.

``POST /oauth/token`` (RFC 6749 §4.4): form body ``grant_type=client_credentials`` and an
optional ``scope``; the client authenticates with ``client_secret_basic`` or
``client_secret_post`` (§2.3.1, never both). Success answers §5.1 with an opaque Bearer token
that lives ``token_ttl`` seconds; failures answer §5.2 (``invalid_request``,
``invalid_client`` with 401 and ``WWW-Authenticate: Basic``, ``invalid_grant``,
``unsupported_grant_type``, ``invalid_scope``).

``POST /oauth/revoke`` (RFC 7009) revokes a token of the authenticated client.

API calls carry ``Authorization: Bearer <token>`` (RFC 6750 §2.1). No token: 401 with
``WWW-Authenticate: Bearer realm="kemnaker"``; an unknown, revoked or expired one: 401 with
``error="invalid_token"``; a token without the route's scope: 403 ``insufficient_scope``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote_plus

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from connectors.sandbox.faults import ErrorRenderer

REALM = "kemnaker"
MAX_TOKENS = 10_000  # live tokens kept; the oldest go first
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FOREIGN_GRANTS = ("authorization_code", "refresh_token", "password")  # never issued here


@dataclass(frozen=True, slots=True)
class OAuthClient:
    client_id: str
    secret: str = field(repr=False)
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Grant:
    client_id: str
    scopes: frozenset[str]
    expires_at: float


class OAuthFailure(Exception):
    """An RFC 6749 §5.2 error answer."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> Response:
        headers = dict(NO_STORE)
        if self.status == 401:
            headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
        body = {"error": self.error, "error_description": self.description}
        return JSONResponse(body, status_code=self.status, headers=headers)


class TokenServer:
    """Issues, checks and revokes the sandbox's bearer tokens for its one client."""

    def __init__(
        self,
        client: OAuthClient,
        *,
        ttl: float,
        clock: Callable[[], float],
        render_error: ErrorRenderer,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self.render_error = render_error
        self._grants: dict[str, Grant] = {}

    def issue(self, scopes: frozenset[str]) -> str:
        now = self.clock()
        for token in [t for t, g in self._grants.items() if g.expires_at <= now]:
            del self._grants[token]
        while len(self._grants) >= MAX_TOKENS:
            del self._grants[next(iter(self._grants))]
        token = secrets.token_urlsafe(32)
        self._grants[token] = Grant(self.client.client_id, scopes, now + self.ttl)
        return token

    def check(self, token: str) -> Grant | None:
        grant = self._grants.get(token)
        if grant is not None and grant.expires_at <= self.clock():
            del self._grants[token]
            return None
        return grant

    async def token_endpoint(self, request: Request) -> Response:
        try:
            form = await _form(request)
            self._authenticate(request, form)
            scopes = self._grant(form)
        except OAuthFailure as failure:
            return failure.response()
        token = self.issue(scopes)
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": round(self.ttl),
            "scope": " ".join(sorted(scopes)),
        }
        return JSONResponse(body, headers=NO_STORE)

    async def revoke_endpoint(self, request: Request) -> Response:
        try:
            form = await _form(request)
            self._authenticate(request, form)
            token = form.get("token")
            if not token:
                raise OAuthFailure("invalid_request", "token is required")
        except OAuthFailure as failure:
            return failure.response()
        grant = self._grants.get(token)
        if grant is not None and grant.client_id == self.client.client_id:
            del self._grants[token]
        return Response(status_code=200, headers=NO_STORE)  # RFC 7009 §2.2: also when unknown

    def bearer(self, request: Request, scope: str | None) -> Response | None:
        """None when the request's token may call a route needing ``scope``; else the refusal."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return self._refuse(401, "INVALID_TOKEN", "Bearer token required", None)
        grant = self.check(token)
        if grant is None:
            message = "access token is unknown, revoked or expired"
            return self._refuse(401, "INVALID_TOKEN", message, "invalid_token")
        if scope is not None and scope not in grant.scopes:
            message = f"access token lacks scope {scope}"
            return self._refuse(403, "INSUFFICIENT_SCOPE", message, "insufficient_scope", scope)
        return None

    def client_key(self, headers: Headers) -> str:
        """Rate-limit bucket: the client a bearer token or Basic header belongs to."""
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and (grant := self.check(value.strip())):
            return grant.client_id
        if scheme.lower() == "basic" and (pair := _basic(value)):
            return pair[0]
        return "anonymous"

    def _refuse(
        self, status: int, code: str, message: str, error: str | None, scope: str | None = None
    ) -> Response:
        response = self.render_error(status, code, message)
        challenge = f'Bearer realm="{REALM}"'
        if error is not None:
            challenge += f', error="{error}", error_description="{message}"'
        if scope is not None:
            challenge += f', scope="{scope}"'
        response.headers["WWW-Authenticate"] = challenge
        return response

    def _authenticate(self, request: Request, form: dict[str, str]) -> None:
        header = request.headers.get("authorization")
        if header is not None:
            if "client_secret" in form:
                raise OAuthFailure("invalid_request", "use one client authentication method")
            scheme, _, value = header.partition(" ")
            pair = _basic(value) if scheme.lower() == "basic" else None
            if pair is None:
                raise OAuthFailure("invalid_client", "unsupported client authentication", 401)
            candidates = [pair, (unquote_plus(pair[0]), unquote_plus(pair[1]))]
        elif "client_id" in form and "client_secret" in form:
            candidates = [(form["client_id"], form["client_secret"])]
        else:
            raise OAuthFailure("invalid_client", "client authentication required", 401)
        if not any(self._matches(client_id, secret) for client_id, secret in candidates):
            raise OAuthFailure("invalid_client", "client authentication failed", 401)

    def _matches(self, client_id: str, secret: str) -> bool:
        same_id = hmac.compare_digest(client_id.encode(), self.client.client_id.encode())
        same_secret = hmac.compare_digest(secret.encode(), self.client.secret.encode())
        return same_id and same_secret

    def _grant(self, form: dict[str, str]) -> frozenset[str]:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthFailure("invalid_request", "grant_type is required")
        if grant_type in FOREIGN_GRANTS:
            raise OAuthFailure("invalid_grant", f"no {grant_type} grant was issued to this client")
        if grant_type != "client_credentials":
            raise OAuthFailure("unsupported_grant_type", "only client_credentials is supported")
        if "scope" not in form:
            return self.client.scopes
        requested = frozenset(form["scope"].split())
        if not requested or not requested <= self.client.scopes:
            raise OAuthFailure("invalid_scope", "the requested scope is not granted to this client")
        return requested


async def _form(request: Request) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise OAuthFailure("invalid_request", "body must be application/x-www-form-urlencoded")
    try:
        text = (await request.body()).decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise OAuthFailure("invalid_request", "malformed form body") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise OAuthFailure("invalid_request", "a parameter was given more than once")
    return form


def _basic(value: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon and client_id else None
