"""The console signs in through a real OpenID Connect provider (``oidc-provider`` on Node).

The hub's authorization server runs over ASGI; the test's HTTP client plays the browser
(cookies, redirects one at a time) between it and the provider on loopback.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from auth.demo import register_demo
from auth.oidc.accounts import find_account, save_account, username_for, withdraw_account
from auth.oidc.mapping import Mapped
from auth.oidc.provider import OidcProvider, ProviderError
from auth.oidc.routes import SignInEvent
from auth.routes import create_auth_app
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.standing import Registered, Registry
from hub.storage import make_engine
from tests.auth._support import ISSUER, authorize_params, pkce, redeem, segments
from tests.auth.oidc_provider import running_provider

pytestmark = pytest.mark.anyio
CLIENT, SECRET = "pmihub", "pmihub-test-client-secret-0123"
OTHER = "other-app"  # another application of the same realm
PASSWORD = "provider-password-123"
USERS = {
    "budi.hkg": {"password": PASSWORD, "groups": ["/missions/HKG/officers", "/staff"]},
    "tamu": {"password": PASSWORD, "groups": ["/guests"]},
}
GROUP_MAP = "/missions/HKG/officers=officer@HKG; /pusat/audit=audit:read"


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    clients = [
        {
            "client_id": CLIENT,
            "client_secret": SECRET,
            "redirect_uris": [f"{ISSUER}/oauth/oidc/callback"],
        },
        {"client_id": OTHER, "redirect_uris": [f"{ISSUER}/other/callback"]},
    ]
    with running_provider(tmp_path_factory.mktemp("idp"), clients=clients, users=USERS) as url:
        yield url


def oidc_settings(issuer: str, **extra: str) -> AuthSettings:
    return AuthSettings.from_environ(
        {
            "HUB_ENV": "test",
            "HUB_PUBLIC_URL": ISSUER,
            "HUB_OIDC_ISSUER": issuer,
            "HUB_OIDC_CLIENT_ID": CLIENT,
            "HUB_OIDC_CLIENT_SECRET": SECRET,
            "HUB_OIDC_SCOPES": "openid profile groups",
            "HUB_OIDC_GROUP_MAP": GROUP_MAP,
            "HUB_OIDC_NAME": "Keycloak Kemlu",
            **extra,
        }
    )


@dataclass
class Hub:
    server: HubAuthorizationServer
    browser: httpx.AsyncClient
    demo: dict[str, Any]
    events: list[SignInEvent] = field(default_factory=list)


@pytest.fixture
def db() -> Iterator[Engine]:
    engine = make_engine("sqlite://", poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
async def hub(issuer: str, db: Engine) -> AsyncIterator[Hub]:
    async with hub_for(oidc_settings(issuer), db) as running:
        yield running


class hub_for:
    def __init__(self, settings: AuthSettings, engine: Engine) -> None:
        self.settings, self.engine = settings, engine

    async def __aenter__(self) -> Hub:
        server = HubAuthorizationServer(self.engine, self.settings)
        server.keys.ensure_key()
        demo = register_demo(self.engine, self.settings)
        assert self.settings.oidc is not None
        self.provider = OidcProvider(self.settings.oidc)
        events: list[SignInEvent] = []

        async def audit(event: SignInEvent) -> bool:
            events.append(event)
            return True

        app = create_auth_app(server, oidc=self.provider, audit=audit)
        self.browser = httpx.AsyncClient(
            base_url=ISSUER, mounts={ISSUER: httpx.ASGITransport(app=app)}
        )
        return Hub(server, self.browser, demo, events)

    async def __aexit__(self, *exc: object) -> None:
        await self.browser.aclose()
        await self.provider.aclose()


def form_action(html: str) -> str:
    return unescape(re.search(r'<form method="post" action="([^"]+)"', html).group(1))  # type: ignore[union-attr]


async def at_provider(browser: httpx.AsyncClient, url: str, login: str) -> str:
    """Sign in at the provider's own form from its authorization URL; the redirect back."""
    answer = await browser.get(url)
    while answer.status_code in (302, 303):
        answer = await browser.get(answer.url.join(answer.headers["location"]))
    assert answer.status_code == 200 and 'name="password"' in answer.text, answer.text[:300]
    action = answer.url.join(form_action(answer.text))
    answer = await browser.post(action, data={"login": login, "password": PASSWORD})
    while answer.status_code in (302, 303):
        target = answer.url.join(answer.headers["location"])
        if not str(target).startswith(str(httpx.URL(url).copy_with(path="/", query=None))):
            return str(target)  # leaving the provider: the client's redirect URI
        answer = await browser.get(target)
    raise AssertionError(f"the provider did not redirect back: {answer.status_code}")


async def begin(hub: Hub, challenge: str) -> str:
    """The console's request reaches the login page, its button goes to the provider."""
    page = await hub.browser.get(f"{ISSUER}/oauth/authorize", params=authorize_params(challenge))
    assert page.status_code == 200
    assert "Masuk dengan Keycloak Kemlu" in page.text and "Sign in with Keycloak Kemlu" in page.text
    href = unescape(re.search(r'<a id="provider" href="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    assert href.startswith(f"{ISSUER}/oauth/oidc/start?")  # the callback's origin, always
    start = await hub.browser.get(href)
    assert start.status_code == 303, start.text
    assert "httponly" in start.headers["set-cookie"].lower()
    return start.headers["location"]


def console_code(answer: httpx.Response) -> str:
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == authorize_params("")["redirect_uri"]
    )
    query = parse_qs(location.query)
    assert query["state"] == ["st-123"]
    return query["code"][0]


async def test_an_officer_signs_in_at_the_provider_and_gets_a_hub_token(hub: Hub) -> None:
    verifier, challenge = pkce()
    to_provider = await begin(hub, challenge)
    query = parse_qs(urlsplit(to_provider).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = await at_provider(hub.browser, to_provider, "budi.hkg")
    # when
    code = console_code(await hub.browser.get(back))
    answer = await redeem(hub.browser, code, verifier)
    # then
    assert answer.status_code == 200, answer.text
    claims = hub.server.verifier.verify_sync(answer.json()["access_token"])
    assert claims["sub"] == "oidc:budi.hkg"
    assert claims["mission"] == "HKG" and claims["agency"] == "EMBASSY"
    assert set(claims["scope"].split()) == {"worker.identity:read", "placement:read"}
    assert claims["iss"] == ISSUER  # the hub's own token, not the provider's
    assert hub.events == [
        SignInEvent("console-frontend", "oidc:budi.hkg", "signedIn", "HKG", agency="EMBASSY")
    ]
    # the refresh grant finds the provider account too
    refreshed = await hub.browser.post(
        f"{ISSUER}/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": answer.json()["refresh_token"],
            "client_id": "console-frontend",
        },
    )
    assert refreshed.status_code == 200, refreshed.text
    assert segments(refreshed.json()["access_token"])[1]["mission"] == "HKG"


async def test_a_person_with_no_mapped_group_is_refused(hub: Hub) -> None:
    _, challenge = pkce()
    back = await at_provider(hub.browser, await begin(hub, challenge), "tamu")
    answer = await hub.browser.get(back)
    assert answer.status_code == 403
    assert 'data-code="unmappedGroups"' in answer.text
    assert "tidak memiliki peran di PMI Hub" in answer.text
    assert "has no role in PMI Hub" in answer.text
    assert "location" not in answer.headers
    assert hub.events == [SignInEvent("console-frontend", "oidc:tamu", "unmappedGroups")]


async def test_a_tampered_state_is_refused_and_a_replayed_callback_too(hub: Hub) -> None:
    _, challenge = pkce()
    back = await at_provider(hub.browser, await begin(hub, challenge), "budi.hkg")
    query = parse_qs(urlsplit(back).query)
    tampered = back.replace(query["state"][0], query["state"][0][:-2] + "xx")
    refused = await hub.browser.get(tampered)
    assert refused.status_code == 400 and 'data-code="stateInvalid"' in refused.text
    # the genuine callback still works once, then never again
    assert console_code(await hub.browser.get(back))
    again = await hub.browser.get(back)
    assert again.status_code == 400 and 'data-code="stateInvalid"' in again.text
    assert [e.outcome for e in hub.events] == ["stateInvalid", "signedIn", "stateInvalid"]


async def test_an_answer_naming_another_issuer_is_refused(hub: Hub) -> None:
    """RFC 9207: the provider names itself in ``iss``; a mixed-up answer is not redeemed."""
    _, challenge = pkce()
    back = await at_provider(hub.browser, await begin(hub, challenge), "budi.hkg")
    issuer = parse_qs(urlsplit(back).query)["iss"][0]
    answer = await hub.browser.get(back.replace(quote(issuer, safe=""), "https%3A%2F%2Fevil"))
    assert answer.status_code == 400 and 'data-code="issuerMismatch"' in answer.text
    assert hub.events[-1].outcome == "issuerMismatch"


def test_an_account_whose_groups_no_longer_map_is_withdrawn(db: Engine) -> None:
    registry = Registry(db)
    mapped = Mapped(scopes=frozenset({"worker.identity:read"}), mission="HKG")
    user = save_account(db, issuer="https://sso.example", subject="3f1c-uuid", mapped=mapped)
    assert user.username == "oidc:3f1c-uuid" and user.mission == "HKG"
    assert registry.user("oidc:3f1c-uuid", worker=False) == Registered(mapped.scopes, True, "HKG")
    # when the person signs in again with no mapped group
    assert withdraw_account(db, subject="3f1c-uuid")
    # then the grants find no user and the verifier's registry refuses the subject at once
    assert find_account(db, "oidc:3f1c-uuid") is None
    assert registry.user("oidc:3f1c-uuid", worker=False) == Registered(frozenset(), False)
    assert not withdraw_account(db, subject="never-signed-in")
    assert username_for("x" * 200).startswith("oidc:h-") and len(username_for("x" * 200)) <= 80


async def test_a_code_replayed_into_a_new_sign_in_is_refused(hub: Hub) -> None:
    _, challenge = pkce()
    first = await at_provider(hub.browser, await begin(hub, challenge), "budi.hkg")
    console_code(await hub.browser.get(first))
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    # a new sign-in's state and cookie, the old code
    to_provider = await begin(hub, challenge)
    state = parse_qs(urlsplit(to_provider).query)["state"][0]
    replay = f"{ISSUER}/oauth/oidc/callback?" + urlencode({"code": old_code, "state": state})
    answer = await hub.browser.get(replay)
    assert answer.status_code == 400 and 'data-code="codeRefused"' in answer.text
    assert hub.events[-1].outcome == "codeRefused"


async def test_a_browser_without_the_cookie_cannot_finish(hub: Hub) -> None:
    _, challenge = pkce()
    back = await at_provider(hub.browser, await begin(hub, challenge), "budi.hkg")
    hub.browser.cookies.delete("pmihub_oidc")  # another browser: no binding cookie
    answer = await hub.browser.get(back)
    assert answer.status_code == 400 and 'data-code="stateInvalid"' in answer.text


async def test_a_provider_answering_as_another_issuer_is_refused(issuer: str, db: Engine) -> None:
    # the same provider reached by another name: its discovery names 127.0.0.1, not localhost
    other_name = issuer.replace("127.0.0.1", "localhost")
    async with hub_for(oidc_settings(other_name), db) as hub:
        _, challenge = pkce()
        page = await hub.browser.get(
            f"{ISSUER}/oauth/authorize", params=authorize_params(challenge)
        )
        href = unescape(re.search(r'<a id="provider" href="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
        answer = await hub.browser.get(href)
    assert answer.status_code == 503 and 'data-code="wrongIssuer"' in answer.text
    assert hub.events == [SignInEvent("console-frontend", "unknown", "wrongIssuer")]


async def test_id_tokens_for_another_audience_or_nonce_are_refused(issuer: str) -> None:
    """A genuine ID token of the same provider, issued to another application."""
    verifier, challenge = pkce()
    params = {
        "response_type": "code",
        "client_id": OTHER,
        "redirect_uri": f"{ISSUER}/other/callback",
        "scope": "openid groups",
        "state": "s",
        "nonce": "n-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    async with httpx.AsyncClient() as browser:
        back = await at_provider(browser, f"{issuer}/auth?{urlencode(params)}", "budi.hkg")
        tokens = await browser.post(
            f"{issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": parse_qs(urlsplit(back).query)["code"][0],
                "redirect_uri": params["redirect_uri"],
                "client_id": OTHER,
                "code_verifier": verifier,
            },
        )
    id_token = tokens.json()["id_token"]
    hub_side = oidc_settings(issuer).oidc
    assert hub_side is not None
    provider = OidcProvider(hub_side)
    try:
        with pytest.raises(ProviderError) as wrong_audience:
            await provider.verify_id_token(id_token, nonce="n-1")
        assert wrong_audience.value.reason == "idTokenAudience"
        # trusted for the other application, it verifies; a wrong nonce still fails
        trusting = OidcProvider(oidc_settings(issuer, HUB_OIDC_CLIENT_ID=OTHER).oidc)  # type: ignore[arg-type]
        assert (await trusting.verify_id_token(id_token, nonce="n-1"))["sub"] == "budi.hkg"
        with pytest.raises(ProviderError) as wrong_nonce:
            await trusting.verify_id_token(id_token, nonce="n-2")
        assert wrong_nonce.value.reason == "idTokenNonce"
        header, body, signature = id_token.split(".")
        with pytest.raises(ProviderError) as tampered:
            await trusting.verify_id_token(f"{header}.{body[:-4]}AAAA.{signature}", nonce="n-1")
        assert tampered.value.reason in ("idTokenSignature", "idTokenMalformed")
        await trusting.aclose()
    finally:
        await provider.aclose()


def test_the_provider_script_is_ours_and_pinned() -> None:
    folder = Path(__file__).parent / "oidc_provider"
    assert '"oidc-provider": "9.13.3"' in (folder / "package.json").read_text()
