"""Build the hub's Starlette app: ``/graphql``, ``/healthz``, ``/readyz``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import orjson
from graphql import GraphQLError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from auth.errors import AuthError, PurposeError, RateLimited
from auth.oidc.provider import OidcProvider
from auth.routes import oauth_routes
from auth.sealing import SealError
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.starlette import authenticate, error_response
from auth.verify import build_verifier
from connectors.kit.base import Connector, Health
from hub.audit import AccessEntry, AuditUnavailable
from hub.console import console_routes
from hub.edge import (
    BodyLimit,
    EdgeError,
    EdgeRequests,
    LastResort,
    SecurityHeaders,
    http_exception_response,
)
from hub.graphiql import graphiql_routes, offline_page
from hub.graphql.audit import audit_entries
from hub.graphql.context import HubContext
from hub.graphql.live import HubTransportWSHandler, LiveContext
from hub.graphql.live_limits import LiveLimits
from hub.graphql.schema import build_schema
from hub.login_throttle import build_login_throttle
from hub.observability import (
    MetricsEndpoint,
    MetricsMiddleware,
    RequestIdMiddleware,
    configure_tracing,
    default_metrics,
)
from hub.partners.expiry import expire_periodically
from hub.ratelimit import (
    EdgeLimiter,
    OAuthLimit,
    RefusalAudit,
    build_limiter,
    graphql_refusal,
    refusal_entry,
)
from hub.registry import build_connectors
from hub.resilience import (
    DeadlineMiddleware,
    agency_status,
    deadline_from_environ,
    wrap_connectors,
)
from hub.service import Hub
from hub.settings import Settings
from hub.sign_in_audit import SignInRecorder
from hub.statistics.routes import statistics_routes
from hub.storage import make_engine
from hub.storage.migrate import upgrade

log = logging.getLogger("pmihub.app")


class HubGraphQL(EdgeRequests, GraphQL):
    """The GraphQL endpoint: a fresh context per request, typed codes on every error.
    Subscriptions run over graphql-transport-ws (hub/graphql/live.py authenticates them)."""

    graphql_transport_ws_handler_class = HubTransportWSHandler

    def __init__(
        self,
        hub_ref: dict[str, Any],
        settings: Settings,
        limiter: EdgeLimiter,
        refusals: RefusalAudit,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        schema = build_schema(
            dev=settings.dev,
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_cost,
            max_batch_ids=settings.max_batch_ids,
        )
        super().__init__(schema, **kwargs)
        if self.graphql_ide:
            self.offline_ide_html = offline_page(self.graphql_ide_html)
        self.hub_ref = hub_ref
        self.limiter = limiter
        self.refusals = refusals
        self.live_limits = LiveLimits(  # read by HubTransportWSHandler
            limiter,
            refusals,
            max_connections=settings.live_max_connections,
            max_subscriptions=settings.live_max_subscriptions,
        )

    def encode_json(self, data: object) -> str:
        # orjson: a 1,000-worker answer (about 2 MB) in a fraction of json.dumps's time; text,
        # since the WebSocket protocol sends what this returns and its frames are text
        return orjson.dumps(data).decode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.handle(request)
        except EdgeError as exc:  # a malformed body or operation (hub/edge/requests.py)
            response = exc.response()
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if (
            request.method == "GET"
            and self.graphql_ide
            and "text/html" in request.headers.get("accept", "")
        ):
            # dev only; the page POSTs its queries and loads its scripts from the hub
            return HTMLResponse(self.offline_ide_html)
        if request.method != "POST":
            return _error(
                405,
                "METHOD_NOT_ALLOWED",
                "Gunakan POST dengan badan JSON",
                "Use POST with a JSON body",
            )
        try:
            principal = await authenticate(request, self.hub_ref["verifier"])
        except PurposeError as exc:
            if exc.who is not None:  # a verified token declaring a purpose it may not
                client_id, subject, agency = exc.who
                entry = refusal_entry(
                    client_id, subject, "graphql:purpose", agency=agency, reason=exc.code
                )
                await self.refusals.refused(entry, client_id, subject, exc.code)
            return error_response(exc)
        except AuthError as exc:
            return error_response(exc)
        except (SQLAlchemyError, SealError) as exc:  # the token store or its keys, not the token
            log.error("token verification unavailable: %s", type(exc).__name__)
            response = _error(
                503,
                "AUTH_UNAVAILABLE",
                "Verifikasi token sedang tidak tersedia",
                "Token verification is unavailable",
            )
            response.headers["Retry-After"] = "5"
            return response
        # one bucket per (client, subject): a worker's console cannot empty an officer's
        wait = await self.limiter.take("graphql", principal.client_id, principal.subject)
        if wait:
            await self.refusals.refused(
                graphql_refusal(principal), principal.client_id, principal.subject
            )
            return error_response(RateLimited(wait))
        request.state.principal = principal
        return await self.run(request)

    async def get_context(self, request: Any, response: Any) -> HubContext:  # type: ignore[override]
        if isinstance(request, WebSocket):
            return LiveContext(self.hub_ref["hub"], self.hub_ref["verifier"], request)  # type: ignore[return-value]
        ctx = HubContext(
            hub=self.hub_ref["hub"], principal=request.state.principal, request=request
        )
        request.state.ctx = ctx
        return ctx

    async def process_result(  # type: ignore[override]
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [typed_error(e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        ctx: HubContext | None = getattr(request.state, "ctx", None)
        if ctx is None:
            return data
        # The audit trail is written before the response leaves; if it cannot be, no data does.
        entries = audit_entries(ctx)
        try:
            await ctx.hub.offload(ctx.hub.audit.record, entries)
        except AuditUnavailable as exc:
            log.error("audit trail unavailable: the response is withheld")
            return {"data": None, "errors": [exc.body()["errors"][0]]}  # type: ignore[typeddict-item]
        return data


async def _checkpoint_periodically(hub: Hub, settings: Settings) -> None:
    """Sign the audit chain's head every ``HUB_AUDIT_CHECKPOINT_SECONDS`` (one hour)."""
    while True:
        await asyncio.sleep(settings.audit_checkpoint_seconds)
        try:
            await hub.offload(hub.audit.checkpoint)
        except Exception as exc:  # a missed checkpoint is logged; the next one covers it
            log.error("audit checkpoint failed: %s", type(exc).__name__)


async def _census_periodically(hub: Hub, settings: Settings) -> None:
    """Run the incremental census every ``HUB_CENSUS_SECONDS`` (hub/census): the workers the
    sync marked, the licences Kemnaker changed, and once a day every verdict."""
    from hub.census import Census

    census = Census(hub)
    while True:
        try:
            report = await census.run()
            if report.evaluated:
                log.info("census: %s", report.line())
        except Exception as exc:  # the next round tries again
            log.error("census round failed: %s", type(exc).__name__)
        await asyncio.sleep(settings.census_seconds)


def _error(status: int, code: str, message_id: str, message_en: str) -> JSONResponse:
    body = {"errors": [{"message": f"{message_id} / {message_en}", "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


def typed_error(error: Any) -> dict[str, Any]:
    """The error as JSON, with ``extensions.code`` always set and internals never shown."""
    formatted: dict[str, Any] = error.formatted
    extensions = dict(formatted.get("extensions") or {})
    if "code" not in extensions:
        original = getattr(error, "original_error", None)
        if isinstance(original, GraphQLError):  # a variable's value that does not coerce
            extensions["code"] = "BAD_USER_INPUT"
        elif original is not None:
            formatted = {
                "message": "Kesalahan internal / Internal error",
                "locations": formatted.get("locations"),
                "path": formatted.get("path"),
            }
            extensions = {"code": "INTERNAL_SERVER_ERROR"}
        elif formatted.get("message", "").startswith("Syntax Error"):
            extensions["code"] = "GRAPHQL_PARSE_FAILED"
        elif formatted.get("message", "").startswith("Variable '$"):  # a value that won't coerce
            extensions["code"] = "BAD_USER_INPUT"
        else:
            extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    formatted["extensions"] = extensions
    return {k: v for k, v in formatted.items() if v is not None}


def create_app(
    settings: Settings | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    connectors: Mapping[str, Connector] | None = None,
    migrate: bool = True,
) -> Starlette:
    """The hub. ``transports`` (by connector name) or ready ``connectors`` let tests run the
    agencies in-process; by default connectors talk HTTP to the configured base URLs."""
    settings = settings or Settings.from_environ()
    metrics = default_metrics()
    deadline = deadline_from_environ(settings.environ)
    engine = make_engine(settings.database_url)
    auth_settings = AuthSettings.from_environ(settings.environ)
    auth_server = HubAuthorizationServer(engine, auth_settings)
    hub_ref: dict[str, Any] = {}
    limiter = build_limiter(settings)
    login_throttle = build_login_throttle(settings)  # None: per process (no Redis)

    async def record_refusals(entries: list[AccessEntry]) -> None:
        hub = hub_ref["hub"]
        await hub.offload(hub.audit.record, entries)

    refusals = RefusalAudit(record_refusals)
    oidc = OidcProvider(auth_settings.oidc) if auth_settings.oidc is not None else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if migrate:
            upgrade(engine)
        auth_server.keys.ensure_key()
        http = httpx.AsyncClient(timeout=10)  # the external identity provider's JWKS, if any
        plain = connectors or build_connectors(settings.agencies, transports)
        names = (
            None
            if connectors
            else {code: agency.name for code, agency in zip(plain, settings.agencies, strict=False)}
        )
        built = wrap_connectors(
            plain, settings.environ, names=names, metrics=metrics, secret=settings.pseudonym_key
        )
        tracing = configure_tracing(settings.environ)
        hub = Hub(settings=settings, engine=engine, connectors=built)
        hub_ref["verifier"] = build_verifier(
            auth_settings, engine, http, keys=auth_server.keys, offload=hub.offload
        )
        hub_ref["hub"] = hub
        app.state.hub = hub
        await hub.cases.start(audit=hub.audit.record)
        checkpoints = asyncio.create_task(_checkpoint_periodically(hub, settings))
        census = (
            asyncio.create_task(_census_periodically(hub, settings))
            if settings.census_seconds > 0
            else None
        )
        expiry = (
            asyncio.create_task(expire_periodically(hub, settings.consent_expiry_seconds))
            if settings.consent_expiry_seconds > 0
            else None
        )
        try:
            yield
        finally:
            checkpoints.cancel()
            for loop in (census, expiry):
                if loop is not None:
                    loop.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await loop
            await hub.aclose()
            await http.aclose()
            if oidc is not None:
                await oidc.aclose()
            await limiter.aclose()
            if login_throttle is not None:
                await login_throttle.aclose()
            engine.dispose()
            if tracing is not None:
                tracing.shutdown()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        hub = hub_ref.get("hub")
        if hub is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            await hub.offload(_ping, hub.engine)
            database = "ok"
        except Exception as exc:  # the probe reports; it must not fail
            log.warning("database not ready: %s", type(exc).__name__)
            database = "unavailable"
        checks = await hub.health()
        answering = sum(1 for c in checks if c.ok)
        try:
            unsealable = await hub.offload(auth_server.keys.unsealable)
            keys = "unreadable" if unsealable else "ok"
        except Exception as exc:  # the probe reports; it must not fail
            log.warning("signing keys not readable: %s", type(exc).__name__)
            keys = "unavailable"
        if database != "ok" or answering == 0:
            status, code = "down", 503
        elif answering < len(checks) or keys != "ok":
            status, code = "degraded", 200
        else:
            status, code = "ok", 200
        body = {
            "status": status,
            "database": database,
            "signingKeys": keys,
            "agencies": {c.agency: _agency_readiness(hub, c) for c in checks},
        }
        return JSONResponse(body, status_code=code)

    graphql = HubGraphQL(
        hub_ref,
        settings,
        limiter,
        refusals,
        graphql_ide="graphiql" if settings.dev else None,
        allow_queries_via_get=False,
    )
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", MetricsEndpoint(metrics), methods=["GET"]),
            *oauth_routes(
                auth_server,
                limit=OAuthLimit(limiter, refusals),
                oidc=oidc,
                audit=SignInRecorder(record_refusals),
                throttle=login_throttle,
            ),
            *console_routes(),
            *statistics_routes(lambda: hub_ref.get("hub")),
            *(graphiql_routes() if settings.dev else []),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(SecurityHeaders),
            Middleware(LastResort),  # no plain-text 500, no trace to the client
            Middleware(MetricsMiddleware, metrics=metrics),
            Middleware(DeadlineMiddleware, seconds=deadline),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
        ],
        exception_handlers={HTTPException: http_exception_response},  # typed 404, 405
        lifespan=lifespan,
    )


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _agency_readiness(hub: Hub, health: Health) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ok": health.ok,
        "latencyMs": health.latency_ms,
        "message": health.message,
    }
    status = agency_status(hub.connectors[health.agency])
    if status is not None:
        out.update(
            breaker=status.breaker.value,
            latencyP50Ms=status.latency_p50_ms,
            latencyP99Ms=status.latency_p99_ms,
        )
    return out
