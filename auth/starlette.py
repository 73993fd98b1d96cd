"""The Starlette edge of token verification: ``authenticate(request, verifier) -> Principal``.

Reads ``Authorization: Bearer <token>`` (RFC 6750 §2.1) and the ``X-Purpose`` header; raises
``AuthError`` subclasses, which ``error_response`` renders as JSON in Indonesian and English with
the RFC 6750 §3 ``WWW-Authenticate`` challenge (``error="invalid_token"`` for a bad token).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from auth.errors import (
    AuthError,
    InvalidToken,
    MissingToken,
    PurposeError,
    RateLimited,
    TokenReason,
)
from auth.principal import Principal
from auth.verify import Verifier, principal_from_claims

PURPOSE_HEADER = "X-Purpose"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def bearer_token(headers: Headers) -> str:
    """The bearer token of a request; ``MissingToken`` when it has none."""
    values = headers.getlist("authorization")
    if not values:
        raise MissingToken()
    if len(values) > 1:
        raise InvalidToken(TokenReason.MALFORMED, "more than one Authorization header")
    scheme, _, token = values[0].strip().partition(" ")
    if scheme.lower() != "bearer":
        raise MissingToken()
    token = token.strip()
    if not token or " " in token:
        raise InvalidToken(TokenReason.MALFORMED)
    return token


async def authenticate(request: HTTPConnection, verifier: Verifier) -> Principal:
    """The principal behind ``request``; raises ``AuthError`` before any data is read."""
    token = bearer_token(request.headers)
    claims = await verifier.verify(token)
    purposes = request.headers.getlist(PURPOSE_HEADER)
    if len(purposes) > 1:
        raise PurposeError(
            "PURPOSE_INVALID",
            "Hanya satu X-Purpose per permintaan",
            "Only one X-Purpose per request",
        )
    try:
        return principal_from_claims(claims, purposes[0] if purposes else None)
    except PurposeError as exc:  # a verified caller: the refusal can say who (audited)
        agency = claims.get("agency")
        exc.who = (
            str(claims["client_id"]),
            str(claims["sub"]),
            agency if isinstance(agency, str) else None,
        )
        raise


def error_response(error: AuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    challenge = error.challenge()
    if challenge is not None:
        headers["WWW-Authenticate"] = challenge
    body = error.body()
    if isinstance(error, InvalidToken):
        body["error"] = "invalid_token"
        body["error_description"] = error.message
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
        body["error"] = "rate_limited"  # for OAuth clients at /oauth/*
        body["error_description"] = error.message
    return JSONResponse(body, status_code=error.status_code, headers=headers)


__all__ = ["PURPOSE_HEADER", "authenticate", "bearer_token", "error_response"]
