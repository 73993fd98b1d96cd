"""The edge holds, over HTTP against a real hub: rate buckets per (client, subject), shared
through Redis; limits on /oauth/token and the login page; a throttle that slows guessing without
locking the officer out; well-signed tokens the registry does not back are refused."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from joserfc import jws
from sqlmodel import Session, select

from auth.clients import add_client, disable_client
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.totp import code_at
from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.audit.tables import AuditEntryRow
from hub.settings import Settings
from hub.storage import make_engine
from tests.auth._support import authorize_params, hidden_fields, pkce
from tests.e2e.stack import Stack

ME = "{ me { clientId subject } }"
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
YEAR = 365 * 24 * 3600


@contextmanager
def hub(stack: Stack, **env: str) -> Iterator[LoopbackServer]:
    """Another hub on the stack's database and agencies, with ``env`` on top."""
    with LoopbackServer(create_app(Settings.from_environ({**stack.environ, **env}))) as server:
        yield server


def ask(url: str, token: str, purpose: str | None = None, **headers: str) -> httpx.Response:
    sent = {"Authorization": f"Bearer {token}", **headers}
    if purpose:
        sent["X-Purpose"] = purpose
    return httpx.post(f"{url}/graphql", json={"query": ME}, headers=sent, timeout=10)


def assert_limited(answer: httpx.Response) -> None:
    assert answer.status_code == 429, answer.text
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def audit_rows(stack: Stack, operation: str) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = list(session.exec(select(AuditEntryRow).where(AuditEntryRow.operation == operation)))
    engine.dispose()
    return rows


# -- GraphQL buckets -------------------------------------------------------------------------


def test_a_self_token_flood_leaves_the_officers_bucket_untouched(stack: Stack) -> None:
    worker = stack.mint_token("wk_" + "f" * 20, ["self"], "SELF_SERVICE")
    officer = stack.mint_token("petugas.kbri", ["worker.identity:read"], "CASE_HANDLING")
    before = len(audit_rows(stack, "graphql:rateLimited"))
    with hub(stack, HUB_RATE_LIMIT_PER_SECOND="0.001", HUB_RATE_LIMIT_BURST="3") as server:
        flood = [ask(server.url, worker) for _ in range(8)]
        officer_answers = [ask(server.url, officer) for _ in range(3)]
    # the worker's own bucket runs dry ...
    assert [a.status_code for a in flood[:3]] == [200, 200, 200]
    assert_limited(flood[-1])
    # ... and the officer, on the same console client, is not touched by it
    assert [a.status_code for a in officer_answers] == [200, 200, 200]
    assert {a.json()["data"]["me"]["clientId"] for a in officer_answers} == {"console-frontend"}
    # the refusal is in the audit trail, once (not once per refused request)
    refused = audit_rows(stack, "graphql:rateLimited")[before:]
    assert [(r.client_id, r.outcome, r.reason) for r in refused] == [
        ("console-frontend", "REFUSED", "RATE_LIMITED")
    ]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must answer in CI at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({type(exc).__name__})")
    prefix = f"pmihub-e2e-{uuid.uuid4().hex[:8]}:"
    yield prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_two_hubs_sharing_redis_share_a_bucket(stack: Stack, redis_prefix: str) -> None:
    shared = {
        "HUB_REDIS_URL": REDIS_URL,
        "HUB_REDIS_PREFIX": redis_prefix,
        "HUB_RATE_LIMIT_PER_SECOND": "0.001",  # no refill however slow the machine
        "HUB_RATE_LIMIT_BURST": "4",
    }
    token = stack.token("kemnaker-system")
    with hub(stack, **shared) as first, hub(stack, **shared) as second:
        answers = [ask((first, second)[n % 2].url, token) for n in range(6)]
    # four from the one shared bucket, whichever replica served them; then both refuse
    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert_limited(answers[4])
    assert_limited(answers[5])


# -- /oauth/token ----------------------------------------------------------------------------


def token_request(url: str, client: str, secret: str, address: str, **data: str) -> httpx.Response:
    return httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials", **data},
        auth=(client, secret),
        headers={"X-Forwarded-For": address},  # uvicorn trusts it from 127.0.0.1
        timeout=10,
    )


def test_the_token_endpoint_is_limited_per_address(stack: Stack) -> None:
    secret = stack.credentials["clients"]["p2mi-system"]["client_secret"]
    before = len(audit_rows(stack, "oauth:token:rateLimited:oauth-address"))
    with hub(stack, HUB_AUTH_RATE_PER_SECOND="0.01", HUB_AUTH_RATE_BURST="3") as server:
        guesses = [
            token_request(server.url, "p2mi-system", "wrong" * 8, "203.0.113.9") for _ in range(5)
        ]
        real = token_request(server.url, "p2mi-system", secret, "198.51.100.20")
    assert [g.status_code for g in guesses[:3]] == [401, 401, 401]
    assert_limited(guesses[3])
    assert guesses[3].json()["error"] == "rate_limited"
    assert real.status_code == 200 and real.json()["access_token"]
    refused = audit_rows(stack, "oauth:token:rateLimited:oauth-address")[before:]
    assert [(r.client_id, r.outcome, r.reason) for r in refused] == [
        ("p2mi-system", "REFUSED", "RATE_LIMITED")
    ]


def test_the_token_endpoint_is_limited_per_client_id(stack: Stack) -> None:
    env = {"HUB_AUTH_CLIENT_RATE_PER_SECOND": "0.01", "HUB_AUTH_CLIENT_RATE_BURST": "2"}
    with hub(stack, **env) as server:
        answers = [
            token_request(server.url, "bpjs-system", "wrong" * 8, f"203.0.113.{n}")
            for n in range(1, 4)
        ]
        other = token_request(server.url, "kemnaker-system", "wrong" * 8, "203.0.113.50")
    assert [a.status_code for a in answers[:2]] == [401, 401]
    assert_limited(answers[2])
    assert other.status_code == 401  # another client's bucket is its own


def test_an_unknown_client_and_a_wrong_secret_get_the_same_answer(stack: Stack) -> None:
    wrong = token_request(stack.hub_url, "embassy-system", "wrong" * 8, "192.0.2.1")
    ghost = token_request(stack.hub_url, "ghost-client", "wrong" * 8, "192.0.2.2")
    assert wrong.status_code == ghost.status_code == 401
    assert wrong.json() == ghost.json()


# -- the login page --------------------------------------------------------------------------


def sign_in(
    url: str, address: str, username: str, password: str, totp: str | None = None
) -> httpx.Response:
    """The login page's answer to the password (and, with ``totp``, to the code)."""
    params = authorize_params(pkce()[1])
    with httpx.Client(base_url=url, headers={"X-Forwarded-For": address}, timeout=30) as http:
        page = http.get("/oauth/authorize", params=params)
        assert page.status_code == 200, page.text
        form = {**hidden_fields(page.text), "username": username, "password": password}
        answer = http.post("/oauth/authorize", data={**form, "action": "approve"})
        if totp is None:
            return answer
        form = {**hidden_fields(answer.text), "code": code_at(totp, time.time())}
        return http.post("/oauth/authorize", data={**form, "action": "approve"})


def test_the_login_page_is_limited_per_address(stack: Stack) -> None:
    env = {"HUB_AUTH_DEMO": "true", "HUB_AUTH_RATE_PER_SECOND": "0.01", "HUB_AUTH_RATE_BURST": "2"}
    params = authorize_params(pkce()[1])
    with hub(stack, **env) as server:
        pages = [
            httpx.get(
                f"{server.url}/oauth/authorize",
                params=params,
                headers={"X-Forwarded-For": "203.0.113.5"},
                timeout=10,
            )
            for _ in range(3)
        ]
        elsewhere = httpx.get(
            f"{server.url}/oauth/authorize",
            params=params,
            headers={"X-Forwarded-For": "198.51.100.5"},
            timeout=10,
        )
    assert [p.status_code for p in pages] == [200, 200, 429]
    assert int(pages[2].headers["Retry-After"]) >= 1 and "Too many requests" in pages[2].text
    assert elsewhere.status_code == 200


def test_the_login_throttle_slows_an_attacker_and_lets_the_officer_in(stack: Stack) -> None:
    officer = stack.credentials["users"]["embassy-officer"]
    with hub(stack, HUB_AUTH_DEMO="true") as server:
        # an attacker fails from one address until that address is refused
        own = [
            sign_in(server.url, "203.0.113.77", officer["username"], "guess-1234567")
            for _ in range(4)
        ]
        # more guesses on the officer's name from other addresses
        for n in range(2):
            sign_in(server.url, f"203.0.113.{100 + n}", officer["username"], "guess-7654321")
        # the officer, from their own address, with the right password
        real = sign_in(
            server.url,
            "198.51.100.7",
            officer["username"],
            officer["password"],
            officer["totp_secret"],
        )
    assert [a.status_code for a in own[:3]] == [401, 401, 401]
    assert own[3].status_code == 429 and int(own[3].headers["Retry-After"]) >= 1
    assert "Too many attempts" in own[3].text
    assert real.status_code == 302, real.text  # signed in: redirected to the console
    assert "code=" in real.headers["location"]


def test_two_hubs_sharing_redis_throttle_a_guesser_together(
    stack: Stack, redis_prefix: str
) -> None:
    officer = stack.credentials["users"]["embassy-officer"]
    shared = {"HUB_AUTH_DEMO": "true", "HUB_REDIS_URL": REDIS_URL, "HUB_REDIS_PREFIX": redis_prefix}
    with hub(stack, **shared) as first, hub(stack, **shared) as second:
        # an attacker alternates between the two processes from one address
        guesses = [
            sign_in((first, second)[n % 2].url, "203.0.113.78", officer["username"], "guess-98765")
            for n in range(4)
        ]
        # the officer's right password, from their own address, at the other process
        real = sign_in(first.url, "198.51.100.8", officer["username"], officer["password"])
    # three failures counted together (one process alone saw two): the fourth is refused
    assert [g.status_code for g in guesses[:3]] == [401, 401, 401]
    assert guesses[3].status_code == 429 and int(guesses[3].headers["Retry-After"]) >= 1
    # the officer is slowed, not locked out: the password is accepted, the code page follows
    assert real.status_code == 200 and 'name="code"' in real.text, real.text


# -- tokens the registry does not back -------------------------------------------------------


def forge(stack: Stack, **claims: Any) -> str:
    """A token signed with the hub's own key, as someone holding a leaked key would make."""
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    server = HubAuthorizationServer(engine, AuthSettings.from_environ(stack.environ))
    key = server.keys.signing_key()
    engine.dispose()
    now = int(time.time())
    body = {
        "iss": server.settings.local_issuer,
        "aud": server.settings.audience,
        "sub": "embassy-system",
        "client_id": "embassy-system",
        "scope": "worker.identity:read",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    header = {"alg": key.alg, "typ": "at+jwt", "kid": key.kid}
    return jws.serialize_compact(header, json.dumps(body).encode(), key.key, [key.alg])


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"client_id": "ghost-client", "sub": "ghost-client"}, "unknown_client"),
        ({"scope": "identity:admin audit:read"}, "scope_not_registered"),
        ({"exp": int(time.time()) + YEAR}, "lifetime_too_long"),
        (
            {"sub": "wk_" + "0" * 20, "scope": "self", "client_id": "console-frontend"},
            "unknown_subject",
        ),
    ],
)
def test_forged_but_well_signed_tokens_are_refused(
    stack: Stack, claims: dict[str, Any], reason: str
) -> None:
    answer = ask(stack.hub_url, forge(stack, **claims), "CASE_HANDLING")
    assert answer.status_code == 401
    error = answer.json()["errors"][0]["extensions"]
    assert (error["code"], error["reason"]) == ("INVALID_TOKEN", reason)
    assert answer.json().get("data") is None


def test_a_disabled_clients_tokens_are_refused(stack: Stack) -> None:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    _, secret = add_client(
        engine,
        client_id="e2e-doomed",
        name="Doomed",
        agency="P2MI",
        scopes=["worker.identity:read"],
        grant_types=["client_credentials"],
        replace=True,
    )
    assert secret is not None
    issued = token_request(stack.hub_url, "e2e-doomed", secret, "192.0.2.30")
    token = issued.json()["access_token"]
    assert ask(stack.hub_url, token, "CASE_HANDLING").status_code == 200
    disable_client(engine, "e2e-doomed")
    engine.dispose()
    refused = ask(stack.hub_url, token, "CASE_HANDLING")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["reason"] == "client_disabled"


# -- a signing key that cannot be unsealed (S13) ---------------------------------------------


def test_an_unreadable_signing_key_degrades_without_breaking_verification(stack: Stack) -> None:
    token = stack.token("kemnaker-system")
    # given a hub whose HUB_AUTH_KEY_SECRET cannot open the stored keys
    with hub(stack, HUB_AUTH_KEY_SECRET="not-the-secret-the-keys-were-sealed-with") as server:
        ready = httpx.get(f"{server.url}/readyz", timeout=30)
        read = ask(server.url, token, "PLACEMENT_VERIFICATION")
        jwks = httpx.get(f"{server.url}/oauth/jwks", timeout=10)
        secret = stack.credentials["clients"]["kemnaker-system"]["client_secret"]
        issued = token_request(server.url, "kemnaker-system", secret, "192.0.2.40")
    # then readiness says so, tokens already issued still verify, the JWKS still publishes,
    # and issuing answers a typed 503 rather than a 400 or a 500
    assert ready.json()["signingKeys"] == "unreadable"
    assert ready.json()["status"] in ("degraded", "down")
    assert read.status_code == 200 and read.json()["data"]["me"]["clientId"] == "kemnaker-system"
    assert jwks.status_code == 200 and jwks.json()["keys"]
    assert issued.status_code == 503 and issued.json()["error"] == "temporarily_unavailable"
