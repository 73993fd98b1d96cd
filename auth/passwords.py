"""The password policy for hub users (docs/auth.md):

- 12 to 200 characters;
- not one of the 30,000 most common passwords (zxcvbn's list) nor a few Indonesian favourites,
  compared without case, spaces or trailing digits and punctuation ("Password2024!" is
  "password");
- not the user name, and not containing it.

Passwords are stored as scrypt hashes (``auth.hashing``). A password the hub generates
(``pmihub users add`` without ``--password-stdin``) always passes.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

MIN_LENGTH, MAX_LENGTH = 12, 200
# common in Indonesia and missing from zxcvbn's (English) list
_LOCAL = (
    "bismillah",
    "sayangku",
    "sayangkamu",
    "indonesia",
    "indonesiaraya",
    "merahputih",
    "garuda",
    "rahasia",
    "katasandi",
    "pmihub",
    "kbri",
    "kemnaker",
    "bpjsketenagakerjaan",
)
_WORDS = "abcdefghjkmnpqrstuvwxyz23456789"


class PasswordRejected(ValueError):
    """The password breaks the policy; the message says which rule (never the password)."""


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_LOCAL)


def _core(password: str) -> str:
    folded = re.sub(r"\s+", "", password.casefold())
    return re.sub(r"[\d\W_]+$", "", folded) or folded


def check_password(password: str, username: str) -> None:
    """Raise ``PasswordRejected`` when ``password`` breaks the policy for ``username``."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"a password has at most {MAX_LENGTH} characters")
    folded = password.casefold()
    if username and username.casefold() in folded:
        raise PasswordRejected("a password may not contain the user name")
    if folded in _common() or _core(password) in _common():
        raise PasswordRejected("this password is on the list of common passwords")


def generate_password() -> str:
    """A random password of 4 groups of 5 (about 97 bits), easy to read out and type."""
    groups = ("".join(secrets.choice(_WORDS) for _ in range(5)) for _ in range(4))
    return "-".join(groups)


__all__ = ["MAX_LENGTH", "MIN_LENGTH", "PasswordRejected", "check_password", "generate_password"]
