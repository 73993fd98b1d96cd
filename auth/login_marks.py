"""Signed marks the login pages hand out, under a key derived from ``HUB_AUTH_KEY_SECRET``:

- *pending*: the password was right, a TOTP code is still due. It names the user, expires in
  ``PENDING_SECONDS`` and is bound to the browser's CSRF nonce (a stolen page is useless).
- *device*: "remember this device": the browser skips the code (never the password) until it
  expires. It is bound to the user's password hash and TOTP secret as stored, so a password
  reset, a new enrolment or a disabled user ends it.

Form: ``<user>.<expires>.<hex HMAC-SHA256>``.
"""

from __future__ import annotations

import hashlib
import hmac

PENDING_SECONDS = 300
DEVICE_COOKIE = "pmihub_device"


class LoginMarks:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"pmihub-login-marks\x00" + secret.encode()).digest()

    def pending(self, username: str, nonce: str, now: float) -> str:
        return self._make("pending", username, int(now) + PENDING_SECONDS, nonce)

    def pending_user(self, mark: str | None, nonce: str | None, now: float) -> str | None:
        """The user a pending mark names, if it is genuine, unexpired and for this browser."""
        return self._read("pending", mark, nonce or "", now)

    def device(self, username: str, binding: str, now: float, hours: int) -> str:
        return self._make("device", username, int(now) + hours * 3600, binding)

    def device_user(self, mark: str | None, binding: str, now: float) -> str | None:
        return self._read("device", mark, binding, now)

    def _make(self, kind: str, username: str, expires: int, bound: str) -> str:
        return f"{username}.{expires}.{self._mac(kind, username, expires, bound)}"

    def _read(self, kind: str, mark: str | None, bound: str, now: float) -> str | None:
        if not mark or len(mark) > 200 or not bound:
            return None
        parts = mark.rsplit(".", 2)
        if len(parts) != 3 or not parts[0] or not parts[1].isdigit():
            return None
        name, expires = parts[0], int(parts[1])
        if not hmac.compare_digest(self._make(kind, name, expires, bound).encode(), mark.encode()):
            return None
        return name if expires > now else None

    def _mac(self, kind: str, username: str, expires: int, bound: str) -> str:
        message = "\x00".join((kind, username, str(expires), bound)).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def device_binding(password_hash: str, totp_sealed: str | None) -> str:
    """What a device mark is bound to: the stored password hash and TOTP secret."""
    return hashlib.sha256(f"{password_hash}\x00{totp_sealed or ''}".encode()).hexdigest()


__all__ = ["DEVICE_COOKIE", "PENDING_SECONDS", "LoginMarks", "device_binding"]
