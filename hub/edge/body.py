"""A cap on request bodies, enforced on what arrives rather than on what is announced.

A declared ``Content-Length`` over the limit is refused before a byte is read. A missing one
(chunked) or a lying one is caught while the body streams: the count runs on each chunk the
app receives, the app is stopped at the first chunk past the limit, and whatever it would have
answered is replaced by the 413.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.edge.errors import edge_response

DEFAULT_MAX_BODY_BYTES = 1_048_576


class BodyTooLarge(Exception):
    """Raised into the app from ``receive`` once the body passes the limit."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self.refuse(scope, receive, send)
        received = 0
        exceeded = started = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's answer to a cut body is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self.refuse(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = edge_response(
            413,
            "PAYLOAD_TOO_LARGE",
            f"Badan permintaan terlalu besar (paling banyak {self.max_bytes} bita)",
            f"Request body too large (at most {self.max_bytes} bytes)",
            headers={"Connection": "close"},  # the rest of the body is never read
            limit=self.max_bytes,
        )
        await response(scope, receive, send)
