"""Public keys that verify audit checkpoints: what an outside auditor needs, and nothing more.

``TrustedKeys`` holds Ed25519 public keys by key id. It starts from the keys the verifier was
given (``--trusted-keys FILE``, ``HUB_AUDIT_TRUSTED_KEYS``, the current signing key's public
half) and grows only through hand-over checkpoints: a checkpoint signed by a trusted key that
names the next key (``pmihub audit handover``). So an auditor who trusts the first key follows
every rotation, and a key nobody trusted cannot sign itself in.

``HUB_AUDIT_TRUSTED_KEYS`` is either PEM text or the path of a file of PEM public keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.audit.signing import SigningKeyError, key_id

TRUSTED_ENV = "HUB_AUDIT_TRUSTED_KEYS"
PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def parse_public_keys(text: str, source: str = "public keys") -> dict[str, Ed25519PublicKey]:
    """Every PEM public key in ``text``, by key id; ``SigningKeyError`` when there is none or
    one is not Ed25519."""
    found: dict[str, Ed25519PublicKey] = {}
    for block in PEM_BLOCK.findall(text):
        try:
            key = serialization.load_pem_public_key(block.encode())
        except ValueError as exc:
            raise SigningKeyError(f"{source}: a PEM block is not a public key") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise SigningKeyError(f"{source}: audit keys are Ed25519")
        found[key_id(key)] = key
    if not found:
        raise SigningKeyError(f"{source}: no PEM public key (-----BEGIN PUBLIC KEY-----)")
    return found


def read_public_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningKeyError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return parse_public_keys(text, str(path))


def trusted_from_environ(env: Mapping[str, str]) -> dict[str, Ed25519PublicKey]:
    """The older public keys ``HUB_AUDIT_TRUSTED_KEYS`` names (PEM text or a file), if any."""
    value = env.get(TRUSTED_ENV, "").strip()
    if not value:
        return {}
    if value.startswith("-----BEGIN"):
        return parse_public_keys(value, TRUSTED_ENV)
    return read_public_keys(Path(value))


def encode_public(public: Ed25519PublicKey) -> str:
    """The raw 32 public bytes, base64: how a hand-over checkpoint names the next key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def decode_public(value: str) -> Ed25519PublicKey | None:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(value, validate=True))
    except (ValueError, binascii.Error):
        return None


class TrustedKeys:
    """Verifies checkpoint signatures with public keys only."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey]) -> None:
        self.keys = dict(keys)

    def verify(self, kid: str, payload: bytes, signature: str) -> bool:
        public = self.keys.get(kid)
        if public is None:
            return False
        try:
            public.verify(base64.b64decode(signature, validate=True), payload)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def endorse(self, next_public: str) -> str | None:
        """Trust the key a verified hand-over names; its key id, or None if malformed."""
        public = decode_public(next_public)
        if public is None:
            return None
        kid = key_id(public)
        self.keys.setdefault(kid, public)
        return kid


__all__ = [
    "TRUSTED_ENV",
    "TrustedKeys",
    "decode_public",
    "encode_public",
    "parse_public_keys",
    "public_pem",
    "read_public_keys",
    "trusted_from_environ",
]
