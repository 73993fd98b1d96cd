"""Ed25519 signatures over the chain head.

The key comes from ``HUB_AUDIT_SIGNING_KEY`` (a PKCS#8 PEM, or the base64 of the 32 raw private
bytes). Only under ``HUB_ENV=test`` may it be absent: then a fixed DEVELOPMENT key is used,
which proves nothing and must never sign a real trail (the demo generates its own).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
from collections.abc import Mapping
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.audit.chain import stamp

log = logging.getLogger("pmihub.audit")

ENV_KEY = "HUB_AUDIT_SIGNING_KEY"
# THE TEST SUITE ONLY: a publicly known seed, used when HUB_ENV=test and no key is set.
DEV_SEED = hashlib.sha256(b"pmihub-development-only-audit-signing-key").digest()


class SigningKeyError(ValueError):
    """The audit signing key is missing or unreadable."""


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def checkpoint_payload(
    seq: int,
    head_hash: str,
    signed_at: datetime,
    purged_before_seq: int | None,
    kid: str,
    next_public_key: str | None = None,
) -> bytes:
    """What a checkpoint's signature covers. A hand-over (``next_public_key``: the next
    signing key's raw public bytes, base64) is format 2; every other checkpoint format 1."""
    purged = "" if purged_before_seq is None else str(purged_before_seq)
    if next_public_key is None:
        fields: tuple[object, ...] = ("pmihub-audit-checkpoint/1", seq, head_hash)
        fields += (stamp(signed_at), purged, kid)
    else:
        fields = ("pmihub-audit-checkpoint/2", seq, head_hash, stamp(signed_at), purged, kid)
        fields += (next_public_key,)
    return "\n".join(str(f) for f in fields).encode()


class AuditSigner:
    """Signs with one private key; verifies with it and any older ``trusted`` public keys."""

    def __init__(
        self, private: Ed25519PrivateKey, trusted: Mapping[str, Ed25519PublicKey] | None = None
    ) -> None:
        self._private = private
        self.public = private.public_key()
        self.key_id = key_id(self.public)
        self._trusted = {**(trusted or {}), self.key_id: self.public}

    @property
    def trusted(self) -> dict[str, Ed25519PublicKey]:
        """Every public key this signer verifies with, its own included."""
        return dict(self._trusted)

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._private.sign(payload)).decode()

    def verify(self, kid: str, payload: bytes, signature: str) -> bool:
        public = self._trusted.get(kid)
        if public is None:
            return False
        try:
            public.verify(base64.b64decode(signature, validate=True), payload)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> AuditSigner:
        env = environ if environ is not None else os.environ
        from hub.audit.keys import trusted_from_environ  # keys imports this module

        value = env.get(ENV_KEY, "").strip()
        if value:
            return cls(parse_private_key(value), trusted_from_environ(env))
        if env.get("HUB_ENV", "production") == "test":
            log.warning("%s not set: signing audit checkpoints with the DEVELOPMENT key", ENV_KEY)
            return cls(Ed25519PrivateKey.from_private_bytes(DEV_SEED))
        raise SigningKeyError(f"{ENV_KEY} is required outside HUB_ENV=test")


def parse_private_key(value: str) -> Ed25519PrivateKey:
    try:
        if value.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(value.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(value, validate=True))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise SigningKeyError(f"{ENV_KEY} is not an Ed25519 key (PEM or base64 raw)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{ENV_KEY} must be an Ed25519 key")
    return key


__all__ = [
    "ENV_KEY",
    "AuditSigner",
    "SigningKeyError",
    "checkpoint_payload",
    "key_id",
    "parse_private_key",
]
