"""A real stack on loopback: the four sandboxes and the hub as uvicorn servers."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from auth.clients import add_client
from auth.demo import CONSOLE_CLIENT, CONSOLE_SCOPES, register_demo
from auth.roles import ROLES
from auth.scopes import ALL_SCOPES
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.users import add_user, get_user
from connectors.kit.auth.mtls import generate_certificates
from connectors.sandbox.run import SANDBOX_MODULES, build_sandbox_app, sandbox_credentials
from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.crosswalk import Pseudonymizer
from hub.runtime import hub_services
from hub.settings import Settings
from hub.storage import make_engine
from hub.sync import sync_all
from schema.scenario import Scenario

AGENCIES = tuple(SANDBOX_MODULES)


@dataclass
class Stack:
    hub_url: str
    sandboxes: dict[str, LoopbackServer]
    environ: dict[str, str]
    certs: dict[str, str]
    credentials: dict[str, Any] = field(default_factory=dict)
    servers: list[LoopbackServer] = field(default_factory=list)
    _tokens: dict[tuple[str, str | None], tuple[str, float]] = field(default_factory=dict)

    def token(self, client: str = "embassy-system", scope: str | None = None) -> str:
        """An access token for a demo client, by client credentials at the hub's /oauth; kept
        until a minute before it expires (a stack can outlive a token on a slow machine)."""
        cached = self._tokens.get((client, scope))
        if cached is None or cached[1] < time.monotonic():
            secret = self.credentials["clients"][client]["client_secret"]
            data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
            response = httpx.post(
                f"{self.hub_url}/oauth/token", data=data, auth=(client, secret), timeout=10
            )
            response.raise_for_status()
            body = response.json()
            expires = time.monotonic() + float(body.get("expires_in", 300)) - 60
            cached = self._tokens[(client, scope)] = (body["access_token"], expires)
        return cached[0]

    def mint_token(
        self,
        subject: str,
        scopes: list[str],
        purpose: str | None = None,
        mission: str | None = None,
    ) -> str:
        """A token as the hub issues one after a user signs in at the console (same keys and
        claims, the user's mission), for principals the demo clients cannot be: a worker, an
        auditor; with exactly ``purpose`` (none: a token that binds none)."""
        engine = make_engine(self.environ["HUB_DATABASE_URL"])
        settings = AuthSettings.from_environ(self.environ)
        client, username = register_signed_in(engine, settings, subject, scopes, mission)
        server = HubAuthorizationServer(engine, settings)
        user = get_user(engine, username)
        issued = server.tokens.issue(
            client_id=client,
            subject=subject,
            scopes=scopes,
            purpose=purpose,
            mission=user.mission if user is not None else None,
        )
        engine.dispose()
        return issued.value

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        client: str = "embassy-system",
        scope: str | None = None,
        purpose: str | None = "EMERGENCY",
        token: str | None = None,
        **kw: Any,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token(client, scope)}"}
        if purpose:
            headers["X-Purpose"] = purpose
        return httpx.post(
            f"{self.hub_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={**headers, **kw.pop("headers", {})},
            **{"timeout": 30, **kw},
        )

    def sandbox(self, agency: str) -> httpx.Client:
        verify: Any = True
        if agency == "embassy":
            from connectors.kit.auth.mtls import client_ssl_context

            verify = client_ssl_context(
                self.certs["ca_cert"], self.certs["client_cert"], self.certs["client_key"]
            )
        return httpx.Client(base_url=self.sandboxes[agency].url, verify=verify, timeout=10)


def register_signed_in(
    engine: Engine,
    settings: AuthSettings,
    subject: str,
    scopes: list[str],
    mission: str | None = None,
) -> tuple[str, str]:
    """Register ``subject`` as a user holding ``scopes`` (the verifier checks the registry), in
    the narrowest role that has them (an officer of ``mission``, KUL by default), and the
    frontend client it signs in through: the console, or a test frontend for scopes the console
    does not hold (an auditor's, an identity admin's). The client id and the user name."""
    client = CONSOLE_CLIENT
    if not set(scopes) <= CONSOLE_SCOPES:
        client = "e2e-frontend"
        add_client(
            engine,
            client_id=client,
            name="E2E frontend",
            agency="PMIHUB",
            scopes=ALL_SCOPES,
            grant_types=["authorization_code"],
            redirect_uris=[settings.console_redirect_uri],
            public=True,
            replace=True,
        )
    worker = "self" in scopes
    username = f"w-{subject.lower()}"[:80] if worker else subject
    existing = get_user(engine, username)
    if existing is not None and set(scopes) <= existing.scopes:
        return client, username  # a registered user (the demo officer): keep its password
    role = min((r for r in ROLES.values() if set(scopes) <= r.scopes), key=lambda r: len(r.scopes))
    add_user(
        engine,
        username=username,
        password=secrets.token_urlsafe(16),
        display_name=subject,
        role=role.name,
        mission=(mission or "KUL") if role.mission else None,
        scopes=scopes,
        worker_id=subject if worker else None,
        replace=True,
    )
    return client, username


def hub_environ(
    sandboxes: dict[str, LoopbackServer],
    certs: dict[str, str],
    database_url: str,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    env = {
        # Every call here reaches the sandbox: the response cache and its stale-if-error are
        # tested in tests/resilience; here a fault must show as the fault.
        "HUB_RESILIENCE_CACHE_TTL": "0",
        "HUB_RESILIENCE_CACHE_STALE": "0",
        # The suite asks /oauth/token for many tokens from one address in a short time; the
        # limits themselves are tested with their own values (tests/e2e/test_edge_limits.py).
        "HUB_AUTH_RATE_BURST": "1000",
        "HUB_AUTH_CLIENT_RATE_BURST": "1000",
        # The policy matrix asks hundreds of questions per token in seconds; the per-(client,
        # subject) bucket is tested with its own values (test_access.py, test_edge_limits.py).
        "HUB_RATE_LIMIT_BURST": "100000",
        **(extra or {}),
        "HUB_ENV": "test",
        "HUB_DATABASE_URL": database_url,
        "HUB_PSEUDONYM_KEY": "e2e-pseudonym-key",
        # explicit, so the stack also runs as HUB_ENV=dev (which refuses the test secrets)
        "HUB_AUTH_KEY_SECRET": "e2e-key-secret-0123456789",
        "HUB_AUDIT_SIGNING_KEY": "ZTJlLWF1ZGl0LXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=",
    }
    for agency, server in sandboxes.items():
        prefix = f"HUB_AGENCY_{agency.upper()}_"
        env[prefix + "URL"] = server.url
        values = dict(sandbox_credentials(agency, {}))
        if agency == "embassy":
            values = dict(certs)
        for key, value in values.items():
            env[prefix + key.upper()] = value
    return env


@contextmanager
def running_stack(
    scenario: Scenario,
    directory: Path,
    extra_env: dict[str, str] | None = None,
    database_url: str | None = None,
    hub_port: int = 0,
) -> Iterator[Stack]:
    """``hub_port`` pins the hub's port (0: any free one), for settings that name it, such
    as the console's redirect URI."""
    paths = generate_certificates(directory / "certs")
    certs = {
        "ca_cert": str(paths.ca_cert),
        "client_cert": str(paths.client_cert),
        "client_key": str(paths.client_key),
    }
    sandboxes: dict[str, LoopbackServer] = {}
    try:
        for agency in AGENCIES:
            app, ssl = build_sandbox_app(
                agency, scenario, sandbox_credentials(agency, {}), directory / "certs"
            )
            sandboxes[agency] = LoopbackServer(app, ssl=ssl).start()
        url = database_url or f"sqlite:///{directory / 'hub.db'}"
        env = hub_environ(sandboxes, certs, url, extra_env)
        settings = Settings.from_environ(env)
        asyncio.run(_sync(settings))
        engine = make_engine(settings.database_url)
        credentials = register_demo(engine, AuthSettings.from_environ(env))
        engine.dispose()
        hub = LoopbackServer(create_app(settings), port=hub_port).start()
        try:
            yield Stack(hub.url, sandboxes, env, certs, credentials, [*sandboxes.values(), hub])
        finally:
            hub.stop()  # first: its connectors close their keep-alive connections
    finally:
        for server in sandboxes.values():
            server.stop()


async def _sync(settings: Settings) -> None:
    async with hub_services(settings) as (engine, connectors):
        report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
        assert report.ok, report
