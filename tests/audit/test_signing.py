"""The audit signing key: where it comes from, and what a signature covers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.signing import AuditSigner, SigningKeyError, checkpoint_payload

KEY = Ed25519PrivateKey.generate()
PEM = KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
RAW = base64.b64encode(
    KEY.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
).decode()
AT = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", [PEM, RAW], ids=["pem", "base64-raw"])
def test_the_key_is_read_from_the_environment(value: str) -> None:
    signer = AuditSigner.from_environ({"HUB_AUDIT_SIGNING_KEY": value})
    assert signer.key_id == AuditSigner(KEY).key_id


@pytest.mark.parametrize("mode", ["production", "dev"])
def test_the_development_key_is_the_test_suites_only(mode: str) -> None:
    assert AuditSigner.from_environ({"HUB_ENV": "test"}).key_id  # the published seed
    with pytest.raises(SigningKeyError, match="required outside HUB_ENV=test"):
        AuditSigner.from_environ({"HUB_ENV": mode})


@pytest.mark.parametrize("value", ["not-base64!", base64.b64encode(b"short").decode()])
def test_a_bad_key_is_refused(value: str) -> None:
    with pytest.raises(SigningKeyError, match="Ed25519"):
        AuditSigner.from_environ({"HUB_AUDIT_SIGNING_KEY": value})


def test_a_signature_covers_every_checkpoint_field() -> None:
    signer = AuditSigner(KEY)
    payload = checkpoint_payload(5, "a" * 64, AT, None, signer.key_id)
    signature = signer.sign(payload)
    assert signer.verify(signer.key_id, payload, signature)
    for changed in (
        checkpoint_payload(6, "a" * 64, AT, None, signer.key_id),
        checkpoint_payload(5, "b" * 64, AT, None, signer.key_id),
        checkpoint_payload(5, "a" * 64, AT.replace(second=1), None, signer.key_id),
        checkpoint_payload(5, "a" * 64, AT, 6, signer.key_id),
    ):
        assert not signer.verify(signer.key_id, changed, signature)
    assert not signer.verify("unknown-kid", payload, signature)
    assert not signer.verify(signer.key_id, payload, "%%%")


def test_older_keys_can_be_trusted_for_verification() -> None:
    old = AuditSigner(Ed25519PrivateKey.generate())
    payload = checkpoint_payload(1, "a" * 64, AT, None, old.key_id)
    signature = old.sign(payload)
    current = AuditSigner(KEY, trusted={old.key_id: old.public})
    assert current.verify(old.key_id, payload, signature)
