"""The console's files: served from an allow-list, with a strict Content-Security-Policy."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from hub.console import CSP, console_routes
from hub.console.routes import HERE
from hub.demo_text import banner

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=Starlette(routes=console_routes()))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
        yield http


async def test_the_page_and_its_callback_are_the_same_page_with_a_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/console/", "/console/callback?code=x&state=y"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert "frame-ancestors 'none'" in CSP


def test_no_inline_script_or_style_anywhere_in_the_page() -> None:
    html = (HERE / "index.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all('src="/console/' in s for s in scripts)
    assert all(
        not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    )
    assert "<style" not in html and " style=" not in html
    for path in HERE.glob("*.js"):
        source = path.read_text()
        assert "innerHTML" not in source and "eval(" not in source, path.name
        assert ".style." not in source, path.name  # CSP forbids inline styles


async def test_the_modules_and_the_stylesheet_are_served_with_their_types(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/console")).headers["location"] == "/console/"
    for name in ("main.js", "auth.js", "live.js", "console.css", "vendor/chart.umd.js"):
        response = await client.get(f"/console/{name}")
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
    script = await client.get("/console/main.js")
    assert script.headers["content-type"].startswith("text/javascript")
    style = await client.get("/console/console.css")
    assert style.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    "path",
    [
        "/console/routes.py",
        "/console/__init__.py",
        "/console/..%2Froutes.py",
        "/console/%2e%2e/app.py",
        "/console/nothing.js",
        "/console/index.html",
        "/console/vendor/README.md",
        "/console/vendor/chart.js-LICENSE.md",
        "/console/vendor/..%2Froutes.py",
    ],
)
async def test_nothing_outside_the_allow_list_is_served(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert "def " not in response.text


async def test_every_module_the_page_imports_is_served(client: httpx.AsyncClient) -> None:
    for path in HERE.glob("*.js"):
        for imported in re.findall(r'from "\./([\w-]+\.js)"', path.read_text()):
            response = await client.get(f"/console/{imported}")
            assert response.status_code == 200, (path.name, imported)


def test_the_demo_banner_points_at_the_console_and_its_users(tmp_path: Path) -> None:
    auth = {"users": {"embassy-officer": {"username": "petugas.kbri", "password": "pw"}}}
    text = banner({"hub": "http://127.0.0.1:9000"}, tmp_path, None, auth)
    assert "http://127.0.0.1:9000/console/" in text
    assert "petugas.kbri" in text and "pekerja.demo" in text
