"""``/graphiql/<file>``: the vendored GraphiQL assets, and the page rewritten to use them."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from hub.edge.errors import edge_response

HERE = Path(__file__).parent
PREFIX = "/graphiql/"
# The CDN address in Strawberry's page -> the vendored file holding the same bytes.
VENDORED = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react-18.2.0.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom-18.2.0.production.min.js"
    ),
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie-3.0.5.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql-3.8.3.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql-3.8.3.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": (
        "plugin-explorer-1.0.2.css"
    ),
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "plugin-explorer-1.0.2.umd.js"
    ),
}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
ASSETS = {name: HERE / name for name in VENDORED.values()}


class OfflineError(RuntimeError):
    """The GraphiQL page names a CDN file this module does not vendor (Strawberry upgraded)."""


def offline_page(html: str) -> str:
    """Strawberry's GraphiQL page with every CDN address replaced by the vendored file's."""
    for url, name in VENDORED.items():
        html = html.replace(f'"{url}"', f'"{PREFIX}{name}"')
    if "https://" in html.replace("https://github.com", ""):
        raise OfflineError("the GraphiQL page loads a file the hub does not vendor")
    return html


async def asset(request: Request) -> Response:
    path = ASSETS.get(request.path_params["name"])
    if path is None:
        return edge_response(404, "NOT_FOUND", "Alamat tidak ditemukan", "Not found")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def graphiql_routes() -> list[BaseRoute]:
    return [Route(PREFIX + "{name}", asset, methods=["GET"])]
