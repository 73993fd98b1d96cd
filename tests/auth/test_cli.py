"""``pmihub clients|keys|token|grants`` against a database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from typer.testing import CliRunner

from auth.breakglass import BreakGlassService
from auth.principal import Principal
from auth.purpose import Purpose
from auth.settings import AuthSettings
from auth.verify import LocalVerifier
from hub.cli import app as auth_cli
from hub.storage import make_engine


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return {"HUB_DATABASE_URL": url, "HUB_ENV": "test"}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(auth_cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_clients_add_list_disable(env: dict[str, str]) -> None:
    # when
    code, out, _ = run(
        env,
        "clients",
        "add",
        "bpjs-claims",
        "--agency",
        "BPJS_KETENAGAKERJAAN",
        "--scope",
        "social_security:read worker.identity:read",
    )
    # then
    assert code == 0
    assert "client_id: bpjs-claims" in out
    secret = out.split("client_secret: ")[1].strip()
    assert len(secret) > 30
    code, out, _ = run(env, "clients", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["client_id"] == "bpjs-claims"
    assert listed[0]["scopes"] == ["social_security:read", "worker.identity:read"]
    assert secret not in out
    code, out, _ = run(env, "clients", "list")
    assert "bpjs-claims" in out and "confidential" in out
    assert run(env, "clients", "disable", "bpjs-claims")[0] == 0
    assert "disabled" in run(env, "clients", "list")[1]
    assert run(env, "clients", "disable", "nobody")[0] == 2


def test_a_refused_registration_exits_2_with_the_reason(env: dict[str, str]) -> None:
    code, _, err = run(env, "clients", "add", "x-client", "--agency", "P2MI", "--scope", "root")
    assert code == 2
    assert "unknown scope" in err


def test_keys_rotate_and_token_for_scripts(env: dict[str, str]) -> None:
    # given a registered client
    run(
        env,
        "clients",
        "add",
        "p2mi-batch",
        "--agency",
        "P2MI",
        "--scope",
        "case:read placement:read",
    )
    # when
    code, out, _ = run(env, "keys", "rotate")
    assert code == 0 and "new signing key" in out
    code, token, _ = run(
        env, "token", "--client", "p2mi-batch", "--scope", "case:read", "--purpose", "CASE_HANDLING"
    )
    # then
    assert code == 0
    engine = make_engine(env["HUB_DATABASE_URL"])
    from auth.keys import KeyStore

    settings = AuthSettings.from_environ(env)
    claims = LocalVerifier(KeyStore(engine, settings), settings).verify_sync(token.strip())
    assert claims["client_id"] == "p2mi-batch" and claims["scope"] == "case:read"
    assert claims["purpose"] == "CASE_HANDLING"
    assert len(run(env, "keys", "list")[1].strip().splitlines()) == 1
    run(env, "keys", "rotate", "--alg", "RS256")
    listing = run(env, "keys", "list")[1]
    assert "RS256" in listing and "active" in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "p2mi-batch", "--scope", "emergency"], "invalid_scope"),
        (["--client", "p2mi-batch", "--purpose", "EMERGENCY"], "EMERGENCY"),
        (["--client", "nobody"], "no enabled client"),
    ],
)
def test_token_refusals(args: list[str], message: str, env: dict[str, str]) -> None:
    run(env, "clients", "add", "p2mi-batch", "--agency", "P2MI", "--scope", "case:read")
    run(env, "keys", "rotate")
    code, out, err = run(env, "token", *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_keys_outside_dev_need_the_secret(env: dict[str, str]) -> None:
    code, _, err = run({**env, "HUB_ENV": "production"}, "keys", "rotate")
    assert code == 2
    assert "HUB_AUTH_KEY_SECRET" in err


def test_grants_list(env: dict[str, str]) -> None:
    engine = make_engine(env["HUB_DATABASE_URL"])
    officer = Principal(
        client_id="console-frontend",
        subject="petugas.kbri",
        scopes=frozenset({"emergency"}),
        token_id="j",
        issuer="i",
        expires_at=0,
        purpose=Purpose.EMERGENCY,  # break-glass only under EMERGENCY (auth/breakglass.py)
    )
    BreakGlassService(engine).open(officer, "W-0042", "Pekerja hilang kontak tiga hari di Jeddah")
    code, out, _ = run(env, "grants", "list")
    assert code == 0 and "W-0042" in out and "petugas.kbri" in out
    grants = json.loads(run(env, "grants", "list", "--json", "--active")[1])
    assert grants[0]["reason"] == "Pekerja hilang kontak tiga hari di Jeddah"
    assert json.loads(run(env, "grants", "list", "--json", "--worker", "W-1")[1]) == []
    assert run(env, "grants", "list", "--since", "yesterday")[0] == 2
