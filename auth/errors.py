"""Typed auth errors: a stable ``code``, an HTTP status, and text in Indonesian and English.

::

    AuthError
    ├── MissingToken        401 UNAUTHENTICATED      no bearer token
    ├── InvalidToken        401 INVALID_TOKEN        .reason: TokenReason
    ├── Forbidden           403 FORBIDDEN            .scope: the scope that is missing
    ├── PurposeError        400/403 PURPOSE_*        none, unknown, not allowed, mismatched
    ├── BadBreakGlass       400 BAD_USER_INPUT       the reason is not substantive
    ├── BreakGlassRefused   403/429 BREAK_GLASS_REFUSED  .reason: HUMAN_ONLY or LIMIT
    ├── RateLimited         429 RATE_LIMITED         .retry_after: seconds
    └── AuthUnavailable     503 AUTH_UNAVAILABLE     the identity provider's keys cannot be had

Messages never contain the token, a secret, or personal data.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

REALM = "pmihub"


class AuthError(Exception):
    code: str = "UNAUTHENTICATED"
    status_code: int = 401

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_id} / {message_en}")
        self.message_id = message_id
        self.message_en = message_en

    @property
    def message(self) -> str:
        return f"{self.message_id} / {self.message_en}"

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "messageId": self.message_id, "messageEn": self.message_en}

    def challenge(self) -> str | None:
        """The ``WWW-Authenticate`` value for this error (RFC 6750 §3), if any."""
        return None

    def body(self) -> dict[str, Any]:
        """A GraphQL-shaped JSON error body."""
        return {"errors": [{"message": self.message, "extensions": self.extensions()}]}


class MissingToken(AuthError):
    code = "UNAUTHENTICATED"
    status_code = 401

    def __init__(self) -> None:
        super().__init__(
            "Token akses (Authorization: Bearer) diperlukan",
            "An access token (Authorization: Bearer) is required",
        )

    def challenge(self) -> str:
        return f'Bearer realm="{REALM}"'  # RFC 6750 §3.1: no error code when none was sent


class TokenReason(StrEnum):
    MALFORMED = "malformed"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    MISSING_CLAIM = "missing_claim"
    INVALID_CLAIM = "invalid_claim"
    REVOKED = "revoked"
    CLIENT_DISABLED = "client_disabled"
    UNKNOWN_CLIENT = "unknown_client"
    SCOPE_NOT_REGISTERED = "scope_not_registered"
    LIFETIME_TOO_LONG = "lifetime_too_long"
    UNKNOWN_SUBJECT = "unknown_subject"


_TOKEN_TEXT: dict[TokenReason, tuple[str, str]] = {
    TokenReason.MALFORMED: ("Token tidak berbentuk JWT yang sah", "The token is not a valid JWT"),
    TokenReason.UNSUPPORTED_ALGORITHM: (
        "Algoritma tanda tangan token tidak diizinkan",
        "The token's signing algorithm is not allowed",
    ),
    TokenReason.WRONG_TYPE: (
        "Jenis token bukan at+jwt (RFC 9068)",
        "The token type is not at+jwt (RFC 9068)",
    ),
    TokenReason.UNKNOWN_KEY: (
        "Kunci penanda tangan token (kid) tidak dikenal",
        "The token's signing key (kid) is unknown",
    ),
    TokenReason.BAD_SIGNATURE: ("Tanda tangan token tidak sah", "The token signature is invalid"),
    TokenReason.EXPIRED: ("Token sudah kedaluwarsa", "The token has expired"),
    TokenReason.NOT_YET_VALID: ("Token belum berlaku", "The token is not valid yet"),
    TokenReason.WRONG_ISSUER: ("Penerbit token tidak dipercaya", "The token issuer is not trusted"),
    TokenReason.WRONG_AUDIENCE: (
        "Token tidak ditujukan untuk hub ini",
        "The token is not meant for this hub",
    ),
    TokenReason.MISSING_CLAIM: (
        "Token tidak memuat klaim wajib",
        "The token lacks a required claim",
    ),
    TokenReason.INVALID_CLAIM: ("Klaim token tidak sah", "A token claim is invalid"),
    TokenReason.REVOKED: ("Token sudah dicabut", "The token has been revoked"),
    TokenReason.CLIENT_DISABLED: (
        "Klien pemilik token sudah dinonaktifkan",
        "The token's client has been disabled",
    ),
    TokenReason.UNKNOWN_CLIENT: (
        "Klien pemilik token tidak terdaftar",
        "The token's client is not registered",
    ),
    TokenReason.SCOPE_NOT_REGISTERED: (
        "Token memuat scope di luar pendaftaran kliennya",
        "The token holds scopes outside its client's registration",
    ),
    TokenReason.LIFETIME_TOO_LONG: (
        "Masa berlaku token melebihi batas",
        "The token's lifetime exceeds the maximum",
    ),
    TokenReason.UNKNOWN_SUBJECT: (
        "Pengguna pemilik token tidak terdaftar atau dinonaktifkan",
        "The token's user is not registered or has been disabled",
    ),
}


class InvalidToken(AuthError):
    code = "INVALID_TOKEN"
    status_code = 401

    def __init__(self, reason: TokenReason, detail: str | None = None) -> None:
        text_id, text_en = _TOKEN_TEXT[reason]
        if detail:
            text_en = f"{text_en} ({detail})"
        super().__init__(text_id, text_en)
        self.reason = reason

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "reason": self.reason.value}

    def challenge(self) -> str:
        # error_description stays ASCII and free of quotes (RFC 6750 §3)
        return (
            f'Bearer realm="{REALM}", error="invalid_token", '
            f'error_description="{self.reason.value}"'
        )


class Forbidden(AuthError):
    code = "FORBIDDEN"
    status_code = 403

    def __init__(self, scope: str) -> None:
        super().__init__(
            f"Akses ditolak: memerlukan scope {scope}",
            f"Access denied: requires scope {scope}",
        )
        self.scope = scope

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "scope": self.scope}

    def challenge(self) -> str:
        return f'Bearer realm="{REALM}", error="insufficient_scope", scope="{self.scope}"'


class PurposeError(AuthError):
    """``code`` is PURPOSE_REQUIRED, PURPOSE_INVALID, PURPOSE_MISMATCH or PURPOSE_NOT_ALLOWED."""

    def __init__(self, code: str, message_id: str, message_en: str, status: int = 400) -> None:
        super().__init__(message_id, message_en)
        self.code = code
        self.status_code = status
        # (client id, subject, agency) of the verified token the purpose came with, if any
        self.who: tuple[str, str, str | None] | None = None


class BadBreakGlass(AuthError):
    code = "BAD_USER_INPUT"
    status_code = 400

    def __init__(self, message_id: str, message_en: str, argument: str = "reason") -> None:
        super().__init__(message_id, message_en)
        self.argument = argument

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "argument": self.argument}


class BreakGlassRefused(AuthError):
    """Break-glass refused for who asks or how often: ``reason`` is HUMAN_ONLY (a machine
    client) or LIMIT (the officer's hourly limit, status 429)."""

    code = "BREAK_GLASS_REFUSED"

    def __init__(self, reason: str, message_id: str, message_en: str, status: int = 403) -> None:
        super().__init__(message_id, message_en)
        self.reason = reason
        self.status_code = status

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "reason": self.reason}


class RateLimited(AuthError):
    """Too many requests for one bucket; ``retry_after`` seconds until the next is allowed."""

    code = "RATE_LIMITED"
    status_code = 429

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            "Terlalu banyak permintaan; coba lagi nanti", "Too many requests; try again later"
        )
        self.retry_after = max(1, math.ceil(retry_after))

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "retryAfter": self.retry_after}


class AuthUnavailable(AuthError):
    code = "AUTH_UNAVAILABLE"
    status_code = 503

    def __init__(self) -> None:
        super().__init__(
            "Kunci penyedia identitas tidak dapat diambil; coba lagi",
            "The identity provider's keys cannot be fetched; try again",
        )


__all__ = [
    "REALM",
    "AuthError",
    "AuthUnavailable",
    "BadBreakGlass",
    "BreakGlassRefused",
    "Forbidden",
    "InvalidToken",
    "MissingToken",
    "PurposeError",
    "RateLimited",
    "TokenReason",
]
