"""Prometheus metrics: HTTP requests, upstream calls per agency, breakers, the response cache.

``HubMetrics`` owns its own ``CollectorRegistry`` (tests make as many as they like); the hub
uses ``default_metrics()``. ``MetricsEndpoint`` serves ``/metrics`` and ``MetricsMiddleware``
counts and times requests. Labels carry agency codes, method and route names, never ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UPSTREAM_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _Breakers(Collector):
    """Breaker state read at scrape time: 0 closed, 1 half-open, 2 open."""

    def __init__(self) -> None:
        self.levels: dict[str, Callable[[], int]] = {}

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "pmihub_breaker_state",
            "Circuit breaker per agency: 0 closed, 1 half-open, 2 open",
            labels=["agency"],
        )
        for agency, level in sorted(self.levels.items()):
            gauge.add_metric([agency], level())
        yield gauge


class HubMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "pmihub_http_requests", "HTTP requests answered", ["route", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "pmihub_http_request_duration_seconds",
            "HTTP request latency",
            ["route"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.upstream_calls = Counter(
            "pmihub_upstream_calls",
            "Upstream calls (each attempt) by agency, method and outcome (ok or error code)",
            ["agency", "method", "outcome"],
            registry=r,
        )
        self.upstream_errors = Counter(
            "pmihub_upstream_errors", "Failed upstream calls", ["agency", "code"], registry=r
        )
        self.upstream_seconds = Histogram(
            "pmihub_upstream_call_duration_seconds",
            "Upstream call latency",
            ["agency", "method"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.retries = Counter(
            "pmihub_upstream_retries", "Retried upstream calls", ["agency", "method"], registry=r
        )
        self.shed = Counter(
            "pmihub_upstream_shed",
            "Calls refused without asking the agency (breaker, rate_limit, bulkhead)",
            ["agency", "reason"],
            registry=r,
        )
        self.coalesced = Counter(
            "pmihub_upstream_coalesced",
            "Lookups that joined an identical call in flight",
            ["agency", "method"],
            registry=r,
        )
        self.cache_hits = Counter(
            "pmihub_cache_hits",
            "Ids answered from the response cache (fresh, or stale after a failure)",
            ["agency", "method", "kind"],
            registry=r,
        )
        self.cache_misses = Counter(
            "pmihub_cache_misses", "Ids not fresh in the cache", ["agency", "method"], registry=r
        )
        self.break_glass_alerts = Counter(
            "pmihub_break_glass_alerts",
            "Break-glass requests refused as an alert (LIMIT: over an officer's hourly limit; "
            "HUMAN_ONLY: a machine client)",
            ["reason"],
            registry=r,
        )
        self._breakers = _Breakers()
        r.register(self._breakers)

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        self.request_seconds.labels(route).observe(seconds)

    def upstream(self, agency: str, method: str, outcome: str, seconds: float) -> None:
        method = _method(method)
        self.upstream_calls.labels(agency, method, outcome).inc()
        self.upstream_seconds.labels(agency, method).observe(seconds)
        if outcome != "ok":
            self.upstream_errors.labels(agency, outcome).inc()

    def retry(self, agency: str, method: str) -> None:
        self.retries.labels(agency, _method(method)).inc()

    def shed_call(self, agency: str, reason: str) -> None:
        self.shed.labels(agency, reason).inc()

    def coalesce(self, agency: str, method: str) -> None:
        self.coalesced.labels(agency, _method(method)).inc()

    def cache(
        self, agency: str, method: str, *, fresh: int = 0, stale: int = 0, missed: int = 0
    ) -> None:
        method = _method(method)
        if fresh:
            self.cache_hits.labels(agency, method, "fresh").inc(fresh)
        if stale:
            self.cache_hits.labels(agency, method, "stale").inc(stale)
        if missed:
            self.cache_misses.labels(agency, method).inc(missed)

    def watch_breaker(self, agency: str, level: Callable[[], int]) -> None:
        self._breakers.levels[agency] = level

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _method(method: str) -> str:
    return method.split(":", 1)[0]  # "find:NIK" -> "find": key names stay out of labels


_default: HubMetrics | None = None


def default_metrics() -> HubMetrics:
    """The process's metrics, created on first use."""
    global _default
    if _default is None:
        _default = HubMetrics()
    return _default


class MetricsEndpoint:
    """ASGI app answering ``GET /metrics`` in Prometheus' text format."""

    def __init__(self, metrics: HubMetrics) -> None:
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self.metrics.render()
        headers = [(b"content-type", CONTENT_TYPE_LATEST.encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class MetricsMiddleware:
    """Counts and times HTTP requests; routes outside ``routes`` are labelled ``other``."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: HubMetrics,
        routes: tuple[str, ...] = ("/graphql", "/healthz", "/readyz", "/metrics"),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = frozenset(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        route = scope["path"] if scope["path"] in self.routes else "other"
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.observe_request(route, status, time.perf_counter() - started)


__all__ = ["HubMetrics", "MetricsEndpoint", "MetricsMiddleware", "default_metrics"]
