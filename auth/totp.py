"""The officers' second factor: TOTP (RFC 6238, pyotp), 6 digits every 30 seconds.

- Enrolment: on the first sign-in the hub makes a secret, keeps it sealed as *pending* and shows
  it as a QR code (drawn here with segno, inline SVG: no CDN, no image request) and as text;
  the first good code makes it the user's secret.
- A code is accepted for the current 30-second step or the one before or after (clock drift);
  its step must be later than the last step accepted for that user, so a code (or an older
  one) cannot be used twice (``auth.users.accept_step`` records it atomically).
- Secrets are sealed at rest with ``auth.sealing`` under ``HUB_AUTH_KEY_SECRET``, bound to the
  user name.
"""

from __future__ import annotations

import hmac
import re

import pyotp
import segno

from auth.sealing import seal, unseal

ISSUER = "PMI Hub"
DIGITS, INTERVAL, DRIFT_STEPS = 6, 30, 1
CODE_RE = re.compile(r"[0-9]{6}")  # ASCII only: \d would take other scripts' digits


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def seal_secret(key_secret: str, username: str, secret: str) -> str:
    return seal(key_secret, _bound(username), secret.encode())


def open_secret(key_secret: str, username: str, sealed: str) -> str:
    return unseal(key_secret, _bound(username), sealed).decode()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline ``<svg>`` element (dark on white, 4-module margin)."""
    code = segno.make(uri, error="m")
    return str(code.svg_inline(scale=5, dark="#000", light="#fff", title="QR TOTP"))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step ``code`` is valid for (now, or one step either side), else None."""
    code = code.strip().replace(" ", "")
    if not CODE_RE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = int(now) // INTERVAL
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * INTERVAL), code):
            return step
    return None


def code_at(secret: str, now: float) -> str:
    """The code for ``now`` (what the officer's app shows; tests and the demo use it)."""
    return str(pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).at(int(now)))


def _bound(username: str) -> str:
    return f"totp:{username}"


__all__ = [
    "CODE_RE",
    "code_at",
    "matching_step",
    "new_secret",
    "open_secret",
    "provisioning_uri",
    "qr_svg",
    "seal_secret",
]
