"""A hub in production mode (HUB_ENV=production) over HTTP, with its own database, secrets
and demo clients, for the checks a scanner makes against a deployed hub."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from auth.demo import register_demo
from auth.settings import AuthSettings
from connectors.sandbox.serve import LoopbackServer
from hub.app import create_app
from hub.settings import Settings
from hub.storage import make_engine
from hub.storage.migrate import upgrade


@dataclass
class ProductionHub:
    url: str
    token: str  # embassy-system's, every scope it holds

    def headers(self, purpose: str | None = "EMERGENCY") -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        return {**headers, "X-Purpose": purpose} if purpose else headers


@contextmanager
def production_hub(environ: dict[str, str], directory: Path) -> Iterator[ProductionHub]:
    """``environ`` gives the agencies (the e2e stack's); everything secret is new here."""
    env = {
        **environ,
        "HUB_ENV": "production",
        "HUB_DATABASE_URL": f"sqlite:///{directory / 'production.db'}",
        "HUB_PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "HUB_AUTH_KEY_SECRET": secrets.token_urlsafe(32),
        "HUB_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    engine = make_engine(env["HUB_DATABASE_URL"])
    upgrade(engine)
    credentials = register_demo(engine, AuthSettings.from_environ(env))
    engine.dispose()
    client = credentials["clients"]["embassy-system"]
    with LoopbackServer(create_app(Settings.from_environ(env))) as server:
        answer = httpx.post(
            f"{server.url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("embassy-system", client["client_secret"]),
            timeout=10,
        )
        answer.raise_for_status()
        yield ProductionHub(server.url, answer.json()["access_token"])
