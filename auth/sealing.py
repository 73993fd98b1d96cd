"""Private keys at rest: AES-256-GCM under a key derived from ``HUB_AUTH_KEY_SECRET`` (scrypt).

Sealed form: ``v1.<log2 n>.<salt>.<nonce>.<ciphertext>`` (base64url; n is scrypt's cost).
The key id is bound as associated data, so a sealed key cannot be moved to another row.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

LOG2_N = 14


class SealError(ValueError):
    """A sealed key cannot be opened: wrong HUB_AUTH_KEY_SECRET or damaged data."""


def seal(secret: str, kid: str, plaintext: bytes) -> str:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derive(secret, salt, LOG2_N)).encrypt(nonce, plaintext, kid.encode())
    return ".".join(("v1", str(LOG2_N), _b64(salt), _b64(nonce), _b64(sealed)))


def unseal(secret: str, kid: str, sealed: str) -> bytes:
    try:
        version, log2_n, salt, nonce, data = sealed.split(".")
        if version != "v1" or not 10 <= int(log2_n) <= 20:
            raise ValueError(version)
        key = _derive(secret, _unb64(salt), int(log2_n))
        return AESGCM(key).decrypt(_unb64(nonce), _unb64(data), kid.encode())
    except (ValueError, InvalidTag):
        raise SealError(
            f"signing key {kid} cannot be decrypted: is HUB_AUTH_KEY_SECRET the one it was "
            "stored with?"
        ) from None


def _derive(secret: str, salt: bytes, log2_n: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=2**log2_n, r=8, p=1, dklen=32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


__all__ = ["SealError", "seal", "unseal"]
