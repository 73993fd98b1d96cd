"""Webhook signing secrets at rest: sealed like the token signing keys (``auth.sealing``).

The hub must read a secret to sign with it (HMAC), so it cannot keep a digest; it keeps the
secret AES-256-GCM-sealed under ``HUB_AUTH_KEY_SECRET``, bound to the webhook's id. A database
read alone no longer forges events to an agency's receiver. The secret is shown once, in the
registration's answer; to rotate it, register the URL again and remove the old webhook.
"""

from __future__ import annotations

from auth.sealing import SealError, seal, unseal


def _kid(webhook_id: str) -> str:
    return f"webhook:{webhook_id}"


def seal_secret(key_secret: str, webhook_id: str, secret: str) -> str:
    if not key_secret:
        raise SealError("HUB_AUTH_KEY_SECRET is needed to store a webhook secret")
    return seal(key_secret, _kid(webhook_id), secret.encode())


class SecretOpener:
    """Opens sealed secrets, each once per process (the scrypt derivation is deliberately slow)."""

    def __init__(self, key_secret: str) -> None:
        self.key_secret = key_secret
        self._opened: dict[tuple[str, str], str] = {}

    def open(self, webhook_id: str, sealed: str) -> str:
        """The secret; ``SealError`` when HUB_AUTH_KEY_SECRET is not the one it was sealed with."""
        found = self._opened.get((webhook_id, sealed))
        if found is None:
            found = unseal(self.key_secret, _kid(webhook_id), sealed).decode()
            self._opened[(webhook_id, sealed)] = found
        return found


__all__ = ["SealError", "SecretOpener", "seal_secret"]
