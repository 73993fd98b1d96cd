"""Cache entries keyed and sealed: what Redis holds gives no identifier and no answer away.

An entry's name carries a keyed BLAKE2b digest of (agency, method, id): the id may be a NIK,
16 digits with a known structure, so an unkeyed digest of it is reversed by brute force in
seconds. A value kept in Redis is an agency's answer (names, birth dates, passports), so it is
sealed with AES-256-GCM, a fresh nonce each time and the entry's name as associated data (a
value moved to another name does not open).

Both keys are derived from one secret, by HMAC-SHA256 with a purpose label of their own (as
hub/crosswalk/record_ids.py derives its cipher key): the hub passes ``HUB_PSEUDONYM_KEY``. The
same secret after a restart finds and opens the same entries; another secret finds none (the
names differ) and opens none (a miss, never an error).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NAME_PURPOSE = b"pmihub cache-name v1"
SEAL_PURPOSE = b"pmihub cache-seal v1"
SEALED = b"s1."
NONCE = 12


class UnsealError(ValueError):
    """A cached value that does not open: another secret, another name, or damaged."""


@dataclass(frozen=True, slots=True)
class CacheSecrets:
    secret: bytes = field(repr=False)
    _name_key: bytes = field(init=False, repr=False, compare=False)
    _aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("the cache secret is empty")
        name_key = hmac.new(self.secret, NAME_PURPOSE, hashlib.sha256).digest()
        seal_key = hmac.new(self.secret, SEAL_PURPOSE, hashlib.sha256).digest()
        object.__setattr__(self, "_name_key", name_key)
        object.__setattr__(self, "_aead", AESGCM(seal_key))

    @classmethod
    def random(cls) -> CacheSecrets:
        """Secrets of this process only (an in-process cache need not survive a restart)."""
        return cls(secrets.token_bytes(32))

    def name(self, agency: str, method: str, ident: str) -> str:
        message = f"{agency}\x1f{method}\x1f{ident}".encode()
        digest = hashlib.blake2b(message, key=self._name_key, digest_size=16).hexdigest()
        return f"{agency}:{method}:{digest}"

    def seal(self, name: str, plain: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE)
        return SEALED + nonce + self._aead.encrypt(nonce, plain, name.encode())

    def open(self, name: str, sealed: bytes) -> bytes:
        if not sealed.startswith(SEALED) or len(sealed) < len(SEALED) + NONCE + 16:
            raise UnsealError("cache entry is not sealed")
        body = sealed[len(SEALED) :]
        try:
            return self._aead.decrypt(body[:NONCE], body[NONCE:], name.encode())
        except InvalidTag:
            raise UnsealError("cache entry does not open (another secret?)") from None


__all__ = ["CacheSecrets", "UnsealError"]
