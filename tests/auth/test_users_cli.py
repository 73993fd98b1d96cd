"""``pmihub users ...`` and ``pmihub token --user``: what an operator types, against a migrated
database file; every bad input is one line on stderr, exit 2, and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auth.console_client import register_console
from auth.keys import KeyStore
from auth.settings import AuthSettings
from auth.tokens import check_claims
from hub.cli import app as pmihub
from hub.storage import make_engine
from hub.storage.migrate import upgrade

KEY = "a-test-key-secret-of-enough-length"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database with the console registered; tests copy it."""
    path = tmp_path_factory.mktemp("users") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    settings = AuthSettings(key_secret=KEY)
    register_console(engine, settings)
    KeyStore(engine, settings).ensure_key()
    engine.dispose()
    return path


@pytest.fixture
def env(tmp_path: Path, migrated: Path) -> dict[str, str]:
    db = tmp_path / "hub.db"
    db.write_bytes(migrated.read_bytes())
    return {
        "HUB_DATABASE_URL": f"sqlite:///{db}",
        "HUB_ENV": "production",
        "HUB_AUTH_KEY_SECRET": KEY,
    }


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(pmihub, list(args), env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def users(env: dict[str, str]) -> list[dict[str, object]]:
    code, out, _ = run(env, "users", "list", "--json")
    assert code == 0
    listed: list[dict[str, object]] = json.loads(out)
    return listed


def test_an_operator_adds_lists_resets_and_disables_an_officer(env: dict[str, str]) -> None:
    # when an officer of mission HKG is added
    code, out, err = run(env, "users", "add", "petugas.hkg.ani", "--role", "officer",
                         "--mission", "hkg", "--name", "Ani")  # fmt: skip
    # then a generated password is printed once, and the second factor is announced
    assert code == 0, err
    assert "user: petugas.hkg.ani (officer, HKG)" in out
    password = out.split("password: ")[1].strip()
    assert len(password) >= 20 and "TOTP" in err
    [listed] = users(env)
    assert listed["mission"] == "HKG" and listed["second_factor"] == "pending"
    assert "emergency" in listed["scopes"] and password not in json.dumps(listed)
    # a new password from stdin, checked by the policy
    code, out, err = run(env, "users", "reset-password", "petugas.hkg.ani", "--password-stdin",
                         stdin="tiga kata yang panjang sekali\n")  # fmt: skip
    assert code == 0, err
    # the user's token carries the mission, and stops working when the user is disabled
    code, token, err = run(env, "token", "--user", "petugas.hkg.ani", "--purpose", "EMERGENCY")
    assert code == 0, err
    claims = _claims(env, token.strip())
    assert claims["mission"] == "HKG" and claims["sub"] == "petugas.hkg.ani"
    assert claims["purpose"] == "EMERGENCY" and claims["client_id"] == "console-frontend"
    assert run(env, "users", "disable", "petugas.hkg.ani")[0] == 0
    assert users(env)[0]["disabled"] is True
    assert run(env, "token", "--user", "petugas.hkg.ani")[0] == 2
    from auth.errors import InvalidToken

    with pytest.raises(InvalidToken):
        _claims(env, token.strip())


def test_a_worker_and_the_other_roles(env: dict[str, str]) -> None:
    assert run(env, "users", "add", "pekerja.ani", "--role", "worker", "--worker-id",
               "wk_0123456789abcdef")[0] == 0  # fmt: skip
    assert run(env, "users", "add", "auditor.satu", "--role", "auditor")[0] == 0
    assert run(env, "users", "add", "petugas.terbatas", "--role", "officer", "--mission", "KUL",
               "--scope", "worker.identity:read case:read")[0] == 0  # fmt: skip
    by_name = {u["username"]: u for u in users(env)}
    assert by_name["pekerja.ani"]["scopes"] == ["self"]
    assert by_name["pekerja.ani"]["second_factor"] == "none"
    assert by_name["auditor.satu"]["scopes"] == ["audit:read", "case:read"]
    assert by_name["petugas.terbatas"]["scopes"] == ["case:read", "worker.identity:read"]
    code, token, _ = run(env, "token", "--user", "pekerja.ani")
    assert code == 0
    claims = _claims(env, token.strip())
    assert claims["sub"] == "wk_0123456789abcdef" and claims["scope"] == "self"
    assert claims["purpose"] == "SELF_SERVICE" and "mission" not in claims


BAD_ADDS = {
    "unknown role": (["x.user", "--role", "admin"], "role must be one of"),
    "officer without mission": (["x.user", "--role", "officer"], "needs --mission"),
    "unknown mission": (["x.user", "--role", "officer", "--mission", "XXX"], "unknown mission"),
    "mission for a worker": (
        ["x.user", "--role", "worker", "--worker-id", "wk_1", "--mission", "HKG"],
        "only an officer belongs to a mission",
    ),
    "worker without id": (["x.user", "--role", "worker"], "needs --worker-id"),
    "officer with a worker id": (
        ["x.user", "--role", "officer", "--mission", "HKG", "--worker-id", "wk_1"],
        "only a worker has a worker id",
    ),
    "bad user name": (["X User", "--role", "auditor"], "user name: 3-80"),
    "scope outside the role": (
        ["x.user", "--role", "auditor", "--scope", "emergency"],
        "cannot hold scope(s): emergency",
    ),
    "unknown scope": (["x.user", "--role", "auditor", "--scope", "root"], "unknown scope"),
}


@pytest.mark.parametrize("case", BAD_ADDS)
def test_bad_additions_are_one_line_refusals_and_change_nothing(
    env: dict[str, str], case: str
) -> None:
    args, message = BAD_ADDS[case]
    code, _, err = run(env, "users", "add", *args)
    assert code == 2 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert users(env) == []


BAD_PASSWORDS = {
    "too short": "kurang12",
    "common": "password1234",
    "common with a suffix": "Iloveyou2024!!",
    "the user name": "xx-petugas.baru-xx",
    "too long": "y" * 201,
}


@pytest.mark.parametrize("case", BAD_PASSWORDS)
def test_the_password_policy_refuses(env: dict[str, str], case: str) -> None:
    code, _, err = run(env, "users", "add", "petugas.baru", "--role", "auditor",
                       "--password-stdin", stdin=BAD_PASSWORDS[case] + "\n")  # fmt: skip
    assert code == 2 and err.startswith("refused: ") and err.count("\n") == 1
    assert BAD_PASSWORDS[case] not in err
    assert users(env) == []


def test_commands_on_unknown_users_and_without_a_database(
    env: dict[str, str], tmp_path: Path
) -> None:
    for args in (
        ["users", "disable", "nobody"],
        ["users", "reset-password", "nobody"],
        ["token", "--user", "nobody"],
        ["token", "--user", "nobody", "--client", "embassy-system"],
        ["token"],
    ):
        code, _, err = run(env, *args)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (args, err)
    missing = tmp_path / "nothing-here" / "hub.db"
    elsewhere = {**env, "HUB_DATABASE_URL": f"sqlite:///{missing}"}
    for args in (["users", "list"], ["users", "add", "a.user", "--role", "auditor"]):
        code, _, err = run(elsewhere, *args)
        assert code == 2 and "pmihub migrate" in err and err.count("\n") == 1
    assert not missing.parent.exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")  # a file, never migrated
    code, _, err = run({**env, "HUB_DATABASE_URL": f"sqlite:///{empty}"}, "users", "list")
    assert code == 2 and "database error" in err and "Traceback" not in err


def _claims(env: dict[str, str], token: str) -> dict[str, object]:
    from auth.revocation import Revocations
    from auth.standing import Registry
    from auth.verify import LocalVerifier

    engine = make_engine(env["HUB_DATABASE_URL"])
    settings = AuthSettings.from_environ(env)
    try:
        verifier = LocalVerifier(
            KeyStore(engine, settings), settings, Revocations(engine), registry=Registry(engine)
        )
        claims = verifier.verify_sync(token)
    finally:
        engine.dispose()
    check_claims(claims, issuer=settings.local_issuer, audience="pmihub", now=claims["iat"],
                 leeway=0)  # fmt: skip
    return claims
