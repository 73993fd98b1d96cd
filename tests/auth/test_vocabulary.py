"""Scopes, purposes, principals and secret hashing: the small pieces."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import auth
from auth.errors import Forbidden, PurposeError
from auth.hashing import digest, hash_secret, verify_secret
from auth.principal import Principal
from auth.purpose import Purpose, check_allowed, parse_purpose, resolve
from auth.scopes import ALL_SCOPES, SCOPES, Scope, UnknownScope, known_scopes, parse_scopes


def principal(scopes: set[str], **changes: Any) -> Principal:
    base = Principal("c", "s", frozenset(scopes), token_id="j", issuer="i", expires_at=0)
    return replace(base, **changes)


def test_every_scope_is_described_in_both_languages() -> None:
    assert set(SCOPES) == set(Scope)
    assert len(ALL_SCOPES) == 18
    for info in SCOPES.values():
        assert info.text_id and info.text_en
        assert info.text_id != info.text_en


def test_scope_parsing() -> None:
    assert parse_scopes("case:read  emergency") == {"case:read", "emergency"}
    assert parse_scopes(None) == frozenset()
    with pytest.raises(UnknownScope) as caught:
        parse_scopes("case:read admin")
    assert caught.value.names == ("admin",)
    assert known_scopes("openid case:read profile") == {"case:read"}


@pytest.mark.parametrize(
    ("value", "code"),
    [(None, "PURPOSE_REQUIRED"), ("", "PURPOSE_REQUIRED"), ("FUN", "PURPOSE_INVALID")],
)
def test_a_missing_or_unknown_purpose_is_refused(value: str | None, code: str) -> None:
    with pytest.raises(PurposeError) as caught:
        parse_purpose(value)
    assert caught.value.code == code
    assert "EMERGENCY" in caught.value.message_en and "EMERGENCY" in caught.value.message_id


def test_purpose_rules() -> None:
    assert check_allowed(Purpose.EMERGENCY, {"emergency"}) is Purpose.EMERGENCY
    for purpose, scopes in [
        (Purpose.EMERGENCY, {"case:read"}),
        (Purpose.SELF_SERVICE, {"case:read"}),
        (Purpose.CASE_HANDLING, {"self"}),
    ]:
        with pytest.raises(PurposeError) as caught:
            check_allowed(purpose, scopes)
        assert caught.value.code == "PURPOSE_NOT_ALLOWED" and caught.value.status_code == 403
    assert resolve(None, None, {"case:read"}) is None
    assert resolve("CASE_HANDLING", "CASE_HANDLING", {"case:read"}) is Purpose.CASE_HANDLING


def test_principal_checks() -> None:
    officer = principal({"case:read"}, purpose=Purpose.CASE_HANDLING)
    assert officer.has("case:read") and not officer.has("case:write")
    assert officer.require_purpose() is Purpose.CASE_HANDLING
    assert officer.may_read_worker("W-2")
    with pytest.raises(Forbidden) as caught:
        officer.require("worker.nik:read")
    assert caught.value.scope == "worker.nik:read"
    assert "worker.nik:read" in caught.value.message_en
    worker = principal({"self"}, subject="W-1", worker_id="W-1")
    assert worker.is_self and worker.may_read_worker("W-1") and not worker.may_read_worker("W-2")
    with pytest.raises(PurposeError):
        worker.require_purpose()
    assert worker.with_purpose(Purpose.SELF_SERVICE).purpose is Purpose.SELF_SERVICE


def test_secret_hashes() -> None:
    stored = hash_secret("correct horse")
    assert verify_secret("correct horse", stored)
    assert not verify_secret("wrong horse", stored)
    assert not verify_secret("correct horse", None)
    assert not verify_secret("correct horse", "md5$abc")
    assert not verify_secret("correct horse", stored.replace("$10$", "$30$"))
    assert hash_secret("correct horse") != stored  # salted
    assert len(digest("code")) == 64


def test_the_package_exports_its_public_names_sorted() -> None:
    # the editable install may expose ``auth`` as a namespace package under pytest, so load
    # auth/__init__.py explicitly
    init = Path(next(iter(auth.__path__))) / "__init__.py"
    spec = importlib.util.spec_from_file_location("_auth_init", init)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exported = module.__all__
    assert len(exported) == len(set(exported))  # ruff (RUF022) keeps the order
    assert all(hasattr(module, name) for name in exported)
    imported = {name for name in vars(module) if not name.startswith("_")}
    assert imported == set(exported)
