"""The encryption of ``response`` in BPJS answers, as BPJS's published VClaim practice does it.

key = SHA-256(cons_id + secret + timestamp), the raw 32 bytes (AES-256); IV = its first 16
bytes; AES-256-CBC with PKCS#7 padding; the ciphertext travels as standard Base64. The
plaintext is LZ-string ``compressToEncodedURIComponent`` of the JSON document. ``timestamp`` is
the ``X-timestamp`` the request was signed with, so only the caller who signed can read it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from connectors.bpjs.lzstring import (
    MAX_OUTPUT,
    LZStringError,
    compress_to_encoded_uri_component,
    decompress_from_encoded_uri_component,
)


class DecryptionError(ValueError):
    """``response`` cannot be read: bad Base64, wrong key, bad padding, or not LZ-string."""


def derive_key(cons_id: str, secret: str, timestamp: str) -> tuple[bytes, bytes]:
    """The AES-256 key and the CBC IV for one answer."""
    key = hashlib.sha256(f"{cons_id}{secret}{timestamp}".encode()).digest()
    return key, key[:16]


def encrypt_text(text: str, cons_id: str, secret: str, timestamp: str) -> str:
    """LZ-compress ``text``, encrypt it and Base64 the ciphertext (what the agency sends)."""
    key, iv = derive_key(cons_id, secret, timestamp)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(compress_to_encoded_uri_component(text).encode("ascii"))
    plain += padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


def decrypt_text(
    data: str, cons_id: str, secret: str, timestamp: str, max_units: int = MAX_OUTPUT
) -> str:
    """The inverse of ``encrypt_text``; raise DecryptionError on anything unreadable, or
    decompressing past ``max_units`` (LZ-string output is bounded, connectors/kit/limits.py)."""
    try:
        cipher_bytes = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("response is not Base64") from None
    if not cipher_bytes or len(cipher_bytes) % 16:
        raise DecryptionError("response is not whole AES blocks")
    key, iv = derive_key(cons_id, secret, timestamp)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(cipher_bytes) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plain = unpadder.update(padded) + unpadder.finalize()
        compressed = plain.decode("ascii")
        return decompress_from_encoded_uri_component(compressed, max_units)
    except (ValueError, UnicodeDecodeError, LZStringError):
        # a wrong key shows as bad padding or as bytes that are not LZ-string text
        raise DecryptionError("response cannot be decrypted with this timestamp") from None


__all__ = ["DecryptionError", "decrypt_text", "derive_key", "encrypt_text"]
