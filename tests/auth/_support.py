"""Helpers for the auth tests: a clock, PKCE, the login form, forged tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from auth.totp import code_at

ISSUER = "http://127.0.0.1:8000"
REDIRECT = "http://127.0.0.1:8000/console/callback"
WORKER_ID = "W-DEMO-0001"
CONSOLE = "console-frontend"


class FakeClock:
    """Wall-clock seconds that only move when told."""

    def __init__(self, start: float | None = None) -> None:
        self.now = float(int(start if start is not None else time.time()))

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, create_s256_code_challenge(verifier)


def authorize_params(challenge: str | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CONSOLE,
        "redirect_uri": REDIRECT,
        "scope": "worker.identity:read placement:read",
        "state": "st-123",
    }
    if challenge is not None:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra)
    return {k: v for k, v in params.items() if v != ""}


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


async def sign_in(
    http: httpx.AsyncClient,
    params: dict[str, str],
    username: str,
    password: str,
    *,
    action: str = "approve",
    totp: tuple[str, Callable[[], float]] | None = None,
    remember: bool = True,
) -> httpx.Response:
    """Open the login page with ``params`` and post the form; the answer (302 on success).
    With ``totp`` (the secret and the server's clock) the code step is answered too (ticking
    "remember this device" unless ``remember=False``)."""
    page = await http.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    form = hidden_fields(page.text)
    form.update(username=username, password=password, action=action)
    answer = await http.post("/oauth/authorize", data=form)
    if totp is None or 'name="step" value="code"' not in answer.text:
        return answer
    return await send_code(http, answer, code_at(totp[0], totp[1]()), remember=remember)


async def send_code(
    http: httpx.AsyncClient, page: httpx.Response, code: str, *, remember: bool = False
) -> httpx.Response:
    """Post ``code`` on the TOTP step ``page``."""
    form = hidden_fields(page.text)
    form.update(code=code, action="approve", **({"remember": "1"} if remember else {}))
    return await http.post("/oauth/authorize", data=form)


def redirect_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def code_for(
    http: httpx.AsyncClient,
    demo: dict[str, Any],
    challenge: str,
    *,
    worker: bool = False,
    **extra: str,
) -> str:
    user = demo["users"]["worker" if worker else "embassy-officer"]
    params = authorize_params(challenge, **extra)
    totp = (user["totp_secret"], demo["clock"]) if "totp_secret" in user else None
    answer = await sign_in(http, params, user["username"], user["password"], totp=totp)
    query = redirect_query(answer)
    assert query["state"] == "st-123"
    return query["code"]


async def redeem(
    http: httpx.AsyncClient, code: str, verifier: str | None, **extra: str
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": CONSOLE,
    }
    if verifier is not None:
        data["code_verifier"] = verifier
    data.update(extra)
    return await http.post("/oauth/token", data=data)


async def client_token(
    http: httpx.AsyncClient, demo: dict[str, Any], client_id: str, **data: str
) -> httpx.Response:
    secret = demo["clients"][client_id]["client_secret"]
    return await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **data},
        auth=(client_id, secret),
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    head, body, sig = token.split(".")
    return _unb64_json(head), _unb64_json(body), sig


def resign_hmac(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    """A token signed with HMAC-SHA256 under ``key`` (the alg-confusion attack)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."


def _unb64_json(segment: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return value


def sign_with_server_key(server: Any, claims: dict[str, Any], **header: Any) -> str:
    """A token signed by the server's active key, with any header and claims."""
    from joserfc import jws

    key = server.keys.signing_key()
    head = {"alg": key.alg, "typ": "at+jwt", "kid": key.kid, **header}
    head = {k: v for k, v in head.items() if v is not None}
    payload = json.dumps(claims).encode()
    return jws.serialize_compact(head, payload, key.key, algorithms=[key.alg])


def good_claims(server: Any, clock: FakeClock, **changes: Any) -> dict[str, Any]:
    now = int(clock())
    claims = {
        "iss": server.settings.local_issuer,
        "aud": server.settings.audience,
        "sub": "kemnaker-system",
        "client_id": "kemnaker-system",
        "scope": "worker.identity:read",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": secrets.token_urlsafe(8),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def refused_tokens(server: Any, clock: FakeClock) -> dict[str, tuple[str, str]]:
    """Every kind of bad token, by name: (token, expected reason)."""
    from joserfc.jwk import ECKey

    key = server.keys.signing_key()
    public_pem = key.key.as_pem(private=False)
    public_jwk = json.dumps(key.key.as_dict(private=False)).encode()
    now = int(clock())
    good = sign_with_server_key(server, good_claims(server, clock))
    head, body, sig = good.split(".")
    tampered_body = b64(json.dumps(good_claims(server, clock, scope="worker.nik:read")).encode())
    stranger = ECKey.generate_key("P-256", private=True)
    from joserfc import jws

    foreign = jws.serialize_compact(
        {"alg": "ES256", "typ": "at+jwt", "kid": key.kid},
        json.dumps(good_claims(server, clock)).encode(),
        stranger,
        algorithms=["ES256"],
    )
    revoked_claims = good_claims(server, clock)
    server.revocations.revoke_access(
        revoked_claims["jti"], revoked_claims["client_id"], revoked_claims["exp"], "test"
    )
    hs_header = {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}
    return {
        "expired": (
            sign_with_server_key(
                server, good_claims(server, clock, iat=now - 4000, exp=now - 3000)
            ),
            "expired",
        ),
        "not yet valid": (
            sign_with_server_key(server, good_claims(server, clock, nbf=now + 3600)),
            "not_yet_valid",
        ),
        "issued in the future": (
            sign_with_server_key(server, good_claims(server, clock, iat=now + 3600, nbf=None)),
            "not_yet_valid",
        ),
        "wrong issuer": (
            sign_with_server_key(server, good_claims(server, clock, iss="https://evil.example")),
            "wrong_issuer",
        ),
        "wrong audience": (
            sign_with_server_key(server, good_claims(server, clock, aud="another-api")),
            "wrong_audience",
        ),
        "alg none": (
            unsigned({"alg": "none", "typ": "at+jwt", "kid": key.kid}, good_claims(server, clock)),
            "unsupported_algorithm",
        ),
        "HS256 with the public key (PEM)": (
            resign_hmac(hs_header, good_claims(server, clock), public_pem),
            "unsupported_algorithm",
        ),
        "HS256 with the public key (JWK)": (
            resign_hmac(hs_header, good_claims(server, clock), public_jwk),
            "unsupported_algorithm",
        ),
        "tampered payload": (f"{head}.{tampered_body}.{sig}", "bad_signature"),
        "signed by another key": (foreign, "bad_signature"),
        "signature stripped": (f"{head}.{body}.", "bad_signature"),
        "unknown kid": (
            sign_with_server_key(server, good_claims(server, clock), kid="no-such-key"),
            "unknown_key",
        ),
        "no kid": (
            sign_with_server_key(server, good_claims(server, clock), kid=None),
            "unknown_key",
        ),
        "typ missing": (
            sign_with_server_key(server, good_claims(server, clock), typ=None),
            "wrong_type",
        ),
        "typ JWT": (
            sign_with_server_key(server, good_claims(server, clock), typ="JWT"),
            "wrong_type",
        ),
        "no client_id": (
            sign_with_server_key(server, good_claims(server, clock, client_id=None)),
            "missing_claim",
        ),
        "no jti": (
            sign_with_server_key(server, good_claims(server, clock, jti=None)),
            "missing_claim",
        ),
        "no exp": (
            sign_with_server_key(server, good_claims(server, clock, exp=None)),
            "missing_claim",
        ),
        "exp not a number": (
            sign_with_server_key(server, good_claims(server, clock, exp="tomorrow")),
            "invalid_claim",
        ),
        "revoked": (sign_with_server_key(server, revoked_claims), "revoked"),
        "not a JWT": ("not-a-token", "malformed"),
        "garbage header": ("eyJub3QganNvbg.eyJ9.c2ln", "malformed"),
    }
