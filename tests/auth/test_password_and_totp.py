"""The password policy, TOTP codes and the login's signed marks, as functions."""

from __future__ import annotations

import pytest

from auth.login_marks import LoginMarks
from auth.passwords import PasswordRejected, check_password, generate_password
from auth.totp import code_at, matching_step, new_secret

NOW = 1_796_000_000.0


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short-one", "at least 12"),
        ("x" * 201, "at most 200"),
        ("qwertyuiop123", "common"),  # zxcvbn's list
        ("Bismillah2025!", "common"),  # an Indonesian favourite, suffix stripped
        ("PASSWORD  1234", "common"),  # case and spaces do not hide it
        ("my petugas.ani pass", "user name"),
    ],
)
def test_the_policy_names_the_rule_broken(password: str, rule: str) -> None:
    with pytest.raises(PasswordRejected, match=rule) as refused:
        check_password(password, "petugas.ani")
    assert password not in str(refused.value)


def test_good_and_generated_passwords_pass() -> None:
    for password in ("tiga kata yang panjang", "Kopi-Susu-Jakarta-42", generate_password()):
        check_password(password, "petugas.ani")
    assert generate_password() != generate_password()


def test_a_code_matches_its_step_and_one_either_side_only() -> None:
    secret = new_secret()
    step = int(NOW) // 30
    for offset in (-1, 0, 1):
        assert matching_step(secret, code_at(secret, NOW + 30 * offset), NOW) == step + offset
    for offset in (-3, -2, 2, 3):
        assert matching_step(secret, code_at(secret, NOW + 30 * offset), NOW) is None
    code = code_at(secret, NOW)
    assert matching_step(secret, f"{code[:3]} {code[3:]}", NOW) == step  # as apps show it
    for bad in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", code + "\n0"):
        assert matching_step(secret, bad, NOW) is None


def test_marks_are_bound_to_their_kind_browser_and_time() -> None:
    marks = LoginMarks("a-key-secret-long-enough")
    pending = marks.pending("petugas.ani", "nonce-1", NOW)
    assert marks.pending_user(pending, "nonce-1", NOW + 299) == "petugas.ani"
    assert marks.pending_user(pending, "nonce-2", NOW) is None  # another browser
    assert marks.pending_user(pending, "nonce-1", NOW + 301) is None  # expired
    assert marks.device_user(pending, "nonce-1", NOW) is None  # another kind
    forged = pending.replace("petugas.ani", "petugas.budi")
    assert marks.pending_user(forged, "nonce-1", NOW) is None
    later = pending.replace(str(int(NOW) + 300), str(int(NOW) + 9999))
    assert marks.pending_user(later, "nonce-1", NOW) is None
    other_key = LoginMarks("another-key-secret-long")
    assert other_key.pending_user(pending, "nonce-1", NOW) is None
    for junk in ("", "a.b", "..", "x" * 300, None, pending[:-1] + "é", "é.1.é"):
        assert marks.pending_user(junk, "nonce-1", NOW) is None
