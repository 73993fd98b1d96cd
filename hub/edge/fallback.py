"""The last resort: an exception nothing else handled becomes a typed JSON 500.

The client gets ``INTERNAL_SERVER_ERROR`` and the request id, never the trace. The log gets the
exception's type, the route and the traceback's frames (file, line, code), but not the
exception's message or any value, which may hold personal data.
"""

from __future__ import annotations

import logging
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.edge.errors import edge_response
from hub.observability import request_id

log = logging.getLogger("pmihub.edge")


class LastResort:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "unhandled %s on %s %s\n%s",
                type(exc).__name__,
                scope["method"],
                scope["path"],
                frames,
            )
            if started:  # too late for an answer of our own; the connection is closed
                return
            response = edge_response(
                500,
                "INTERNAL_SERVER_ERROR",
                "Kesalahan internal; coba lagi nanti",
                "Internal error; try again later",
                requestId=request_id.get(),
            )
            await response(scope, receive, send)
