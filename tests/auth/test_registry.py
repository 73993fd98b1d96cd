"""Client and demo user registration, and the demo's registrations."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from auth.clients import (
    ClientError,
    add_client,
    authenticate_client,
    disable_client,
    get_client,
    list_clients,
)
from auth.demo import AGENCY_CLIENTS, CONSOLE_CLIENT, register_demo
from auth.models import OAuthClientRow
from auth.settings import AuthSettings
from auth.users import add_user, authenticate_user
from tests.auth._support import REDIRECT, WORKER_ID


def test_a_confidential_client_gets_a_hashed_secret(engine: Engine) -> None:
    # when
    info, secret = add_client(
        engine,
        client_id="bpjs-claims",
        name="BPJS claims",
        agency="bpjs_ketenagakerjaan",
        scopes=["social_security:read"],
        grant_types=["client_credentials"],
    )
    # then
    assert secret is not None and len(secret) >= 40
    assert info.agency == "BPJS_KETENAGAKERJAAN"
    with Session(engine) as session:
        row = session.get(OAuthClientRow, "bpjs-claims")
    assert row is not None and row.secret_hash is not None
    assert secret not in row.secret_hash and row.secret_hash.startswith("scrypt$")
    assert authenticate_client(engine, "bpjs-claims", secret) == info
    assert authenticate_client(engine, "bpjs-claims", secret + "x") is None
    assert authenticate_client(engine, "nobody", secret) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_id": "a b"}, "client id"),
        ({"scopes": ["everything"]}, "unknown scope"),
        ({"scopes": []}, "at least one scope"),
        ({"grant_types": ["password"]}, "grant types"),
        ({"public": True}, "public client"),
        ({"grant_types": ["refresh_token"]}, "refresh_token"),
        ({"grant_types": ["authorization_code"]}, "redirect URI"),
        ({"scopes": ["self"]}, "self"),
        (
            {"grant_types": ["authorization_code"], "redirect_uris": ["http://evil.example/cb"]},
            "loopback",
        ),
        (
            {"grant_types": ["authorization_code"], "redirect_uris": ["https://x.example/#f"]},
            "fragment",
        ),
        ({"secret": "short"}, "24 characters"),
    ],
)
def test_bad_registrations_are_refused(
    changes: dict[str, Any], message: str, engine: Engine
) -> None:
    args: dict[str, Any] = {
        "client_id": "x-client",
        "name": "X",
        "agency": "P2MI",
        "scopes": ["case:read"],
        "grant_types": ["client_credentials"],
        **changes,
    }
    with pytest.raises(ClientError, match=message):
        add_client(engine, **args)
    assert list_clients(engine) == []


def test_a_client_id_is_registered_once(engine: Engine) -> None:
    args: dict[str, Any] = {
        "client_id": "dup",
        "name": "D",
        "agency": "P2MI",
        "scopes": ["case:read"],
        "grant_types": ["client_credentials"],
    }
    add_client(engine, **args)
    with pytest.raises(ClientError, match="already exists"):
        add_client(engine, **args)


def test_disabling_a_client(engine: Engine) -> None:
    _, secret = add_client(
        engine,
        client_id="gone",
        name="G",
        agency="P2MI",
        scopes=["case:read"],
        grant_types=["client_credentials"],
    )
    assert secret is not None
    assert disable_client(engine, "gone")
    client = get_client(engine, "gone")
    assert client is not None and client.disabled
    assert authenticate_client(engine, "gone", secret) is None
    assert not disable_client(engine, "never-was")


def test_demo_users(engine: Engine) -> None:
    user = add_user(
        engine,
        username="pekerja.satu",
        password="a-long-password",
        display_name="P",
        role="worker",
        agency="",
        scopes=["self"],
        worker_id="W-9",
    )
    assert user.subject == "W-9"
    assert authenticate_user(engine, "pekerja.satu", "a-long-password") == user
    assert authenticate_user(engine, "pekerja.satu", "wrong-password") is None
    assert authenticate_user(engine, "nobody", "a-long-password") is None
    assert authenticate_user(engine, "x" * 500, "a-long-password") is None
    with pytest.raises(ClientError):
        add_user(
            engine,
            username="pekerja.dua",
            password="a-long-password",
            display_name="P",
            role="worker",
            agency="",
            scopes=["self", "case:read"],
            worker_id="W-9",
        )
    with pytest.raises(ClientError):
        add_user(
            engine,
            username="petugas",
            password="short",
            display_name="P",
            role="officer",
            agency="EMBASSY",
            scopes=["case:read"],
        )


def test_the_demo_registers_every_agency_the_console_and_two_users(
    engine: Engine, settings: AuthSettings
) -> None:
    # when
    creds = register_demo(engine, settings, worker_id=WORKER_ID)
    # then
    clients = {c.client_id: c for c in list_clients(engine)}
    assert set(clients) == {*AGENCY_CLIENTS, CONSOLE_CLIENT}
    for client_id in AGENCY_CLIENTS:
        secret = creds["clients"][client_id]["client_secret"]
        assert authenticate_client(engine, client_id, secret) is not None
        assert "emergency" not in clients[client_id].scopes or client_id == "embassy-system"
    console = clients[CONSOLE_CLIENT]
    twin = REDIRECT.replace("127.0.0.1", "localhost")  # the demo console at either name
    assert console.public and console.redirect_uris == (REDIRECT, twin)
    officer = creds["users"]["embassy-officer"]
    assert {"emergency", "case:write", "worker.nik:read"} <= set(officer["scopes"])
    assert authenticate_user(engine, officer["username"], officer["password"]) is not None
    assert creds["users"]["worker"]["worker_id"] == WORKER_ID
    assert creds["users"]["worker"]["scopes"] == ["self"]
    assert creds["token_endpoint"] == "http://127.0.0.1:8000/oauth/token"


def test_the_demo_keeps_its_credentials_across_restarts(
    engine: Engine, settings: AuthSettings
) -> None:
    first = register_demo(engine, settings, worker_id=WORKER_ID)
    second = register_demo(engine, settings, worker_id=WORKER_ID, previous=first)
    assert second == first
    secret = first["clients"]["p2mi-system"]["client_secret"]
    assert authenticate_client(engine, "p2mi-system", secret) is not None


def test_the_demo_without_a_worker_has_no_worker_user(
    engine: Engine, settings: AuthSettings
) -> None:
    assert "worker" not in register_demo(engine, settings)["users"]
