"""Serve the emergency console: static files under ``/console``, no build step, strict CSP.

The console is a handful of ES modules, one stylesheet and one HTML page kept beside this
module. Only those files are served (an allow-list made at import, never a path from the
request), so nothing else in the package can be read through ``/console``. ``/console/`` and
``/console/callback`` (the OAuth redirect URI) are the same page; the script tells them apart.

Every console response carries a Content-Security-Policy with no inline script or style, no
framing, and connections only to the hub itself (GraphQL over HTTP and its websocket).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

HERE = Path(__file__).parent
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
}
ASSETS = {p.name: p for p in HERE.iterdir() if p.suffix in MEDIA_TYPES and p.name != "index.html"}
# third-party scripts, pinned and vendored (vendor/README.md): served as vendor/<name>
ASSETS |= {f"vendor/{p.name}": p for p in (HERE / "vendor").iterdir() if p.suffix in MEDIA_TYPES}
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",  # CSP 3: 'self' covers the same origin's ws:/wss: too
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # the authorization code must not leak in a Referer
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def page(request: Request) -> Response:
    """The console page (also the OAuth callback): never cached, it holds no data itself."""
    return FileResponse(
        HERE / "index.html",
        media_type=MEDIA_TYPES[".html"],
        headers={**HEADERS, "Cache-Control": "no-store"},
    )


async def asset(request: Request) -> Response:
    path = ASSETS.get(request.url.path.removeprefix("/console/"))
    if path is None:
        return PlainTextResponse("Tidak ditemukan / Not found", status_code=404, headers=HEADERS)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={**HEADERS, "Cache-Control": "no-cache"},  # revalidate: a new hub, new files
    )


async def to_page(request: Request) -> Response:
    return RedirectResponse("/console/", status_code=308, headers=HEADERS)


def console_routes() -> list[BaseRoute]:
    """The routes to add to the hub's app: ``/console/``, its callback and its files."""
    return [
        Route("/console", to_page, methods=["GET"]),
        Route("/console/", page, methods=["GET"]),
        Route("/console/callback", page, methods=["GET"]),
        Route("/console/{name:str}", asset, methods=["GET"]),
        Route("/console/vendor/{name:str}", asset, methods=["GET"]),
    ]


__all__ = ["CSP", "console_routes"]
