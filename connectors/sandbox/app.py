"""Assemble a sandbox: an agency's routes wrapped in fault injection and the rate limit.

Every sandbox also gets ``POST /_sandbox/people`` (add or replace people, canonical scenario
format, so tests can change an agency's records and watch the hub's sync pick it up),
``POST /_sandbox/placement-agencies`` (add or replace placement companies, e.g. a licence
revoked, served by Kemnaker's licence registry) and
``GET /_sandbox/info``, and ``GET /_sandbox/stats`` counting the agency calls it answered by
method and path (``DELETE`` resets), which the batching tests and benchmarks read.
Unknown paths and methods, and any unexpected error, answer in the agency's own error shape;
nothing answers a bare 500 page.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.sandbox.data import SandboxData
from connectors.sandbox.faults import ErrorRenderer, FaultInjection, FaultSettings
from connectors.sandbox.ratelimit import RateLimit
from schema.scenario.loader import ScenarioError, validate_people
from schema.scenario.models import PlacementAgency

log = logging.getLogger("pmihub.sandbox")


@dataclass
class SandboxConfig:
    """What a sandbox is told at start: its credentials and limits.

    ``credentials`` holds the agency's own names (client_id/client_secret, api_key,
    cons_id/secret/user_key); the embassy also needs ``certs_dir``.
    """

    credentials: Mapping[str, str] = field(default_factory=dict)
    max_page_size: int = 500
    max_batch: int = 500
    certs_dir: Path | None = None
    faults: FaultSettings = field(default_factory=FaultSettings)


def build_sandbox(
    *,
    name: str,
    routes: Sequence[BaseRoute],
    data: SandboxData,
    config: SandboxConfig,
    render_error: ErrorRenderer,
    garbage: Callable[[], Response],
    client_key: Callable[[Headers], str],
) -> Starlette:
    async def upsert_people(request: Request) -> Response:
        try:
            people = validate_people(json.loads(await request.body()))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "body must be JSON"}, status_code=400)
        except ScenarioError as exc:
            errors = [str(issue) for issue in exc.issues]
            return JSONResponse({"error": "invalid person", "details": errors}, status_code=400)
        return JSONResponse({"upserted": data.upsert(people), "version": data.version})

    async def upsert_agencies(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            items = body if isinstance(body, list) else [body]
            agencies = [PlacementAgency.model_validate(item) for item in items]
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "body must be JSON"}, status_code=400)
        except ValidationError as exc:
            errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            return JSONResponse({"error": "invalid agency", "details": errors}, status_code=400)
        return JSONResponse({"upserted": data.upsert_agencies(agencies), "version": data.version})

    calls: Counter[str] = Counter()

    async def info(request: Request) -> Response:
        people = sum(1 for _ in data.people())
        return JSONResponse({"agency": name, "people": people, "version": data.version})

    async def stats(request: Request) -> Response:
        if request.method == "DELETE":
            calls.clear()
        return JSONResponse({"calls": dict(calls), "total": sum(calls.values())})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "BAD_REQUEST")
        return render_error(exc.status_code, code, str(exc.detail))

    async def gone(request: Request, exc: Exception) -> Response:
        # The caller hung up before its body was read (a hub whose budget ran out while the
        # latency fault held the call): nobody is left to answer and nothing failed here.
        log.debug("sandbox %s: the caller of %s left", name, request.url.path)
        return Response(status_code=499)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("sandbox %s failed on %s", name, request.url.path)
        return render_error(500, "INTERNAL_ERROR", "Internal server error")

    app = Starlette(
        routes=[
            *routes,
            Route("/_sandbox/people", upsert_people, methods=["POST"]),
            Route("/_sandbox/placement-agencies", upsert_agencies, methods=["POST"]),
            Route("/_sandbox/info", info, methods=["GET"]),
            Route("/_sandbox/stats", stats, methods=["GET", "DELETE"]),
        ],
        exception_handlers={
            HTTPException: http_error,
            ClientDisconnect: gone,
            Exception: unexpected,
        },
    )
    app.state.data = data
    app.state.config = config
    app.add_middleware(
        RateLimit, settings=config.faults, client_key=client_key, render_error=render_error
    )
    app.add_middleware(CallCounter, calls=calls)
    app.add_middleware(
        FaultInjection, settings=config.faults, render_error=render_error, garbage=garbage
    )
    return app


class CallCounter:
    """Counts agency calls (not ``/_sandbox/`` ones) by ``METHOD path``."""

    def __init__(self, app: ASGIApp, calls: Counter[str]) -> None:
        self.app = app
        self.calls = calls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_sandbox/"):
            self.calls[f"{scope['method']} {scope['path']}"] += 1
        await self.app(scope, receive, send)
