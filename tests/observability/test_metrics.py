"""Prometheus metrics: /metrics in the text format, requests timed, upstream calls counted."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from connectors.kit.errors import AgencyUnavailable
from hub.observability.metrics import HubMetrics, MetricsEndpoint, MetricsMiddleware
from hub.resilience import ResiliencePolicy, ResilientConnector
from tests.resilience.fakes import FakeConnector


def app_with(metrics: HubMetrics) -> MetricsMiddleware:
    async def ok(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    async def boom(request: Request) -> PlainTextResponse:
        return PlainTextResponse("no", status_code=503)

    routes = [
        Route("/graphql", ok, methods=["POST"]),
        Route("/readyz", boom),
        Route("/metrics", MetricsEndpoint(metrics)),
    ]
    return MetricsMiddleware(Starlette(routes=routes), metrics)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.mark.anyio
async def test_metrics_endpoint_reports_requests_and_upstream_calls() -> None:
    # given a hub with one agency that failed once, then answered
    metrics = HubMetrics()
    fake = FakeConnector.with_people("A", failures=[AgencyUnavailable("FAKE", "HTTP 503")])
    policy = ResiliencePolicy(retry_base=0.001, retry_max_wait=0.002)
    connector = ResilientConnector(fake, policy, metrics=metrics)
    await connector.fetch(["A"])
    await connector.fetch(["A"])  # a fresh cache hit
    app = app_with(metrics)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub.test"
    ) as client:
        await client.post("/graphql")
        await client.get("/readyz")
        await client.get("/somewhere/else")
        # when Prometheus scrapes
        response = await client.get("/metrics")
    # then the text format carries every family
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("pmihub_http_requests_total", (("route", "/graphql"), ("status", "200")))] == 1
    assert found[("pmihub_http_requests_total", (("route", "/readyz"), ("status", "503")))] == 1
    assert found[("pmihub_http_requests_total", (("route", "other"), ("status", "404")))] == 1
    assert found[("pmihub_http_request_duration_seconds_count", (("route", "/graphql"),))] == 1
    fetch = (("agency", "FAKE"), ("method", "fetch"))
    assert found[("pmihub_upstream_calls_total", (*fetch, ("outcome", "ok")))] == 1
    calls_503 = ("pmihub_upstream_calls_total", (*fetch, ("outcome", "SOURCE_UNAVAILABLE")))
    assert found[calls_503] == 1
    errors = (("agency", "FAKE"), ("code", "SOURCE_UNAVAILABLE"))
    assert found[("pmihub_upstream_errors_total", errors)] == 1
    assert found[("pmihub_upstream_call_duration_seconds_count", fetch)] == 2
    assert found[("pmihub_upstream_retries_total", fetch)] == 1
    hits = tuple(sorted((*fetch, ("kind", "fresh"))))
    assert found[("pmihub_cache_hits_total", hits)] == 1
    assert found[("pmihub_cache_misses_total", fetch)] == 1
    assert found[("pmihub_breaker_state", (("agency", "FAKE"),))] == 0


def test_lookup_key_names_stay_out_of_labels() -> None:
    metrics = HubMetrics()
    metrics.upstream("P2MI", "find:NIK", "ok", 0.01)
    metrics.cache("P2MI", "find:PASSPORT", fresh=2, missed=1)
    labels = {
        s.labels.get("method")
        for family in text_string_to_metric_families(metrics.render().decode())
        for s in family.samples
    }
    assert labels - {None} == {"find"}


def test_registries_are_independent() -> None:
    first, second = HubMetrics(), HubMetrics()
    first.retry("P2MI", "fetch")
    assert (
        second.registry.get_sample_value(
            "pmihub_upstream_retries_total", {"agency": "P2MI", "method": "fetch"}
        )
        is None
    )
