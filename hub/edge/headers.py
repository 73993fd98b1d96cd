"""Security headers on the hub's answers.

Every answer gets ``X-Content-Type-Options: nosniff``; GraphQL answers (personal data) also
``Cache-Control: no-store``; and ``Strict-Transport-Security`` goes out when the request came
over TLS. "Over TLS" is the request's scheme as uvicorn sets it: ``https`` on a TLS socket, or
from ``X-Forwarded-Proto`` when the peer is a trusted proxy (uvicorn's ``--forwarded-allow-ips``
/ ``FORWARDED_ALLOW_IPS``, 127.0.0.1 by default), the same rule the login page's Secure cookie
follows. A header the route set itself is kept.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000"
NO_STORE_PATHS = ("/graphql",)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, no_store_paths: tuple[str, ...] = NO_STORE_PATHS) -> None:
        self.app = app
        self.no_store_paths = no_store_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        tls = scope.get("scheme") == "https"
        no_store = scope["path"] in self.no_store_paths

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if no_store or headers.get("content-type", "").startswith("application/json"):
                    headers.setdefault("Cache-Control", "no-store")
                if tls:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, sending)
