"""Salted, slow hashes for client secrets and demo passwords (scrypt), compared in constant time.

Stored as ``scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>`` so the cost can be raised later.
Opaque one-time values (authorization codes, refresh tokens) are high-entropy random strings and
are stored as plain SHA-256 digests: ``digest()``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

LOG2_N, R, P, LENGTH = 14, 8, 1, 32
_DUMMY = "scrypt$14$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    derived = _scrypt(secret, salt, LOG2_N, R, P)
    return "$".join(
        ("scrypt", str(LOG2_N), str(R), str(P), _b64(salt), _b64(derived)),
    )


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` matches ``stored``; with ``stored=None`` spends the same time, False."""
    try:
        scheme, log2_n, r, p, salt, expected = (stored or _DUMMY).split("$")
        if scheme != "scrypt" or not 10 <= int(log2_n) <= 20:
            return False
        derived = _scrypt(secret, base64.b64decode(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(expected)) and stored is not None


def digest(value: str) -> str:
    """SHA-256 hex of a high-entropy opaque value (codes, refresh tokens)."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def _scrypt(secret: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode(), salt=salt, n=2**log2_n, r=r, p=p, dklen=LENGTH, maxmem=64 * 1024 * 1024
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


__all__ = ["digest", "hash_secret", "new_secret", "verify_secret"]
