"""Fault injection for tests and benchmarks, the same on every sandbox.

``POST /_sandbox/faults`` with JSON ``{"latencyMs": 0, "jitterMs": 0, "errorRate": 0.0,
"down": false, "garbage": false, "rateLimitPerSecond": null, "rateLimitBurst": null}``
(any subset) changes the setting; ``GET`` returns it. ``down`` refuses every agency call
with 503, ``garbage`` answers malformed bodies, ``errorRate`` is the share of calls that fail
with the agency's own 5xx error. Paths under ``/_sandbox/`` are never faulted.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

ErrorRenderer = Callable[[int, str, str], Response]  # (status, code, message) -> agency shape


@dataclass
class FaultSettings:
    latencyMs: float = 0.0
    jitterMs: float = 0.0
    errorRate: float = 0.0
    down: bool = False
    garbage: bool = False
    rateLimitPerSecond: float | None = None
    rateLimitBurst: int | None = None

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply ``changes``; return the problems instead when any value is wrong."""
        known = {f.name: f for f in fields(self)}
        problems = [f"unknown key {key!r}" for key in changes if key not in known]
        checked: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in known:
                continue
            if key in {"down", "garbage"}:
                ok = isinstance(value, bool)
            elif key == "rateLimitBurst":
                ok = value is None or (type(value) is int and value >= 1)
            elif key == "rateLimitPerSecond":
                ok = value is None or (_number(value) and value > 0)
            elif key == "errorRate":
                ok = _number(value) and 0.0 <= value <= 1.0
            else:
                ok = _number(value) and 0.0 <= value <= 600_000
            if ok:
                checked[key] = value
            else:
                problems.append(f"bad value for {key!r}")
        if not problems:
            for key, value in checked.items():
                setattr(self, key, value)
        return problems


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class FaultInjection:
    """ASGI middleware that owns ``/_sandbox/faults`` and applies the faults to agency calls."""

    def __init__(
        self,
        app: ASGIApp,
        settings: FaultSettings,
        render_error: ErrorRenderer,
        garbage: Callable[[], Response],
        rng: random.Random | None = None,
        on_change: Callable[[FaultSettings], None] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.render_error = render_error
        self.garbage = garbage
        self.rng = rng or random.Random()
        self.on_change = on_change

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        if path == "/_sandbox/faults":
            response = await self._faults_endpoint(Request(scope, receive))
            return await response(scope, receive, send)
        if path.startswith("/_sandbox/"):
            return await self.app(scope, receive, send)
        await self._delay()
        s = self.settings
        if s.down:
            response = self.render_error(503, "SERVICE_DOWN", "Service temporarily unavailable")
            return await response(scope, receive, send)
        if s.errorRate and self.rng.random() < s.errorRate:
            response = self.render_error(500, "INTERNAL_ERROR", "Internal server error")
            return await response(scope, receive, send)
        if s.garbage:
            return await self.garbage()(scope, receive, send)
        await self.app(scope, receive, send)

    async def _delay(self) -> None:
        s = self.settings
        delay = s.latencyMs + (self.rng.uniform(0, s.jitterMs) if s.jitterMs else 0.0)
        if delay > 0:
            await asyncio.sleep(delay / 1000)

    async def _faults_endpoint(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(asdict(self.settings))
        if request.method != "POST":
            return JSONResponse({"error": "method not allowed"}, status_code=405)
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "body must be a JSON object"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "body must be a JSON object"}, status_code=400)
        problems = self.settings.update(body)
        if problems:
            return JSONResponse({"error": "; ".join(problems)}, status_code=400)
        if self.on_change is not None:
            self.on_change(self.settings)
        return JSONResponse(asdict(self.settings))
