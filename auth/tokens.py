"""JWT access tokens per RFC 9068: issued with the active key, verified strictly.

Header: ``alg`` (from an allow-list of asymmetric algorithms, so ``none`` and HS256 signed with
a public key fail), ``typ: at+jwt`` (required, not just checked when present), ``kid``.
Claims: iss, aud, exp, iat, jti, client_id, scope, sub, plus ``purpose``, ``agency`` and, for an
officer, ``mission`` (the mission code the officer belongs to, ``auth.users``).

Verification order: shape, header (alg, typ, kid), key, signature, then claims; each failure is
an ``InvalidToken`` with its ``TokenReason``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError

from auth.errors import InvalidToken, TokenReason
from auth.keys import AsymmetricKey, KeyStore
from auth.scopes import scope_string
from auth.settings import AuthSettings

LOCAL_ALGORITHMS = frozenset({"ES256", "RS256"})
EXTERNAL_ALGORITHMS = frozenset({"ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384"})
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti", "client_id", "sub")
MAX_TOKEN_LENGTH = 8192


@dataclass(frozen=True, slots=True)
class IssuedToken:
    value: str
    jti: str
    expires_at: int
    scope: str

    def __repr__(self) -> str:  # the token itself never appears in logs
        return f"IssuedToken(jti={self.jti!r}, expires_at={self.expires_at}, scope={self.scope!r})"


class TokenIssuer:
    def __init__(
        self, keys: KeyStore, settings: AuthSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.keys = keys
        self.settings = settings
        self.clock = clock

    def issue(
        self,
        *,
        client_id: str,
        subject: str,
        scopes: Collection[str],
        agency: str | None = None,
        purpose: str | None = None,
        mission: str | None = None,
        lifetime: int | None = None,
    ) -> IssuedToken:
        key = self.keys.signing_key()
        now = int(self.clock())
        expires = now + (lifetime or self.settings.access_ttl)
        jti = secrets.token_urlsafe(16)
        scope = scope_string(scopes)
        claims: dict[str, Any] = {
            "iss": self.settings.local_issuer,
            "aud": self.settings.audience,
            "sub": subject,
            "client_id": client_id,
            "scope": scope,
            "iat": now,
            "nbf": now,
            "exp": expires,
            "jti": jti,
        }
        if agency:
            claims["agency"] = agency
        if purpose:
            claims["purpose"] = purpose
        if mission:
            claims["mission"] = mission
        header = {"alg": key.alg, "typ": "at+jwt", "kid": key.kid}
        payload = json.dumps(claims, separators=(",", ":")).encode()
        value = jws.serialize_compact(header, payload, key.key, algorithms=[key.alg])
        return IssuedToken(value, jti, expires, scope)


def read_header(
    token: str, *, algorithms: Collection[str], token_types: Collection[str]
) -> dict[str, Any]:
    """The JOSE header, checked for shape, an allowed ``alg``, ``typ`` and a ``kid``."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise InvalidToken(TokenReason.MALFORMED)
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise InvalidToken(TokenReason.MALFORMED)
    header = _json_segment(parts[0])
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in algorithms:
        raise InvalidToken(TokenReason.UNSUPPORTED_ALGORITHM)
    if not parts[2]:
        raise InvalidToken(TokenReason.BAD_SIGNATURE)
    typ = header.get("typ")
    if not isinstance(typ, str) or _media_type(typ) not in token_types:
        raise InvalidToken(TokenReason.WRONG_TYPE)
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken(TokenReason.UNKNOWN_KEY, "no kid")
    if "crit" in header or "jku" in header or "x5u" in header or "jwk" in header:
        raise InvalidToken(TokenReason.INVALID_CLAIM, "header parameters not accepted")
    return header


def check_signature(token: str, key: AsymmetricKey, alg: str) -> dict[str, Any]:
    """The claims of ``token`` once its signature verifies under ``key`` with ``alg``."""
    try:
        obj = jws.deserialize_compact(token, key, algorithms=[alg])
    except JoseError:
        raise InvalidToken(TokenReason.BAD_SIGNATURE) from None
    except (ValueError, TypeError):
        raise InvalidToken(TokenReason.MALFORMED) from None
    try:
        claims = json.loads(obj.payload or b"")
    except ValueError:
        raise InvalidToken(TokenReason.MALFORMED) from None
    if not isinstance(claims, dict):
        raise InvalidToken(TokenReason.MALFORMED)
    return claims


def check_claims(
    claims: dict[str, Any], *, issuer: str, audience: str, now: float, leeway: int
) -> None:
    """RFC 9068 §4 checks on the claims of a token whose signature verified."""
    for name in REQUIRED_CLAIMS:
        if claims.get(name) in (None, "", []):
            raise InvalidToken(TokenReason.MISSING_CLAIM, name)
    for name in ("iss", "sub", "client_id", "jti"):
        if not isinstance(claims[name], str):
            raise InvalidToken(TokenReason.INVALID_CLAIM, name)
    for name in ("exp", "iat", "nbf"):
        if name in claims and not _numeric(claims[name]):
            raise InvalidToken(TokenReason.INVALID_CLAIM, name)
    for name in ("scope", "purpose", "agency", "mission"):
        if name in claims and not isinstance(claims[name], str):
            raise InvalidToken(TokenReason.INVALID_CLAIM, name)
    if claims["iss"] != issuer:
        raise InvalidToken(TokenReason.WRONG_ISSUER)
    aud = claims["aud"]
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
        raise InvalidToken(TokenReason.INVALID_CLAIM, "aud")
    if audience not in audiences:
        raise InvalidToken(TokenReason.WRONG_AUDIENCE)
    if claims["exp"] <= now - leeway:
        raise InvalidToken(TokenReason.EXPIRED)
    if claims.get("nbf", 0) > now + leeway or claims["iat"] > now + leeway:
        raise InvalidToken(TokenReason.NOT_YET_VALID)


def _json_segment(segment: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError):
        raise InvalidToken(TokenReason.MALFORMED) from None
    if not isinstance(value, dict):
        raise InvalidToken(TokenReason.MALFORMED)
    return value


def _media_type(typ: str) -> str:
    typ = typ.strip().lower()
    return typ.removeprefix("application/")  # RFC 7515 §4.1.9: the prefix may be omitted


def _numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


__all__ = [
    "EXTERNAL_ALGORITHMS",
    "LOCAL_ALGORITHMS",
    "IssuedToken",
    "TokenIssuer",
    "check_claims",
    "check_signature",
    "read_header",
]
