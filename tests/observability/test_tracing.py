"""OpenTelemetry: off by default, a span per connector call with codes and never ids."""

from __future__ import annotations

from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from connectors.kit.errors import AgencyUnavailable
from hub.observability.tracing import configure_tracing
from hub.resilience import ResiliencePolicy, ResilientConnector
from hub.resilience.cache import MemoryCache
from hub.settings import SettingsError
from tests.resilience.fakes import FakeConnector

NIK = "3506124508900003"


@pytest.fixture
def spans() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def connector(inner: Any, provider: TracerProvider) -> ResilientConnector:
    policy = ResiliencePolicy(retry_base=0.001, retry_max_wait=0.002, cache_ttl=0)
    clock_cache = MemoryCache()
    return ResilientConnector(inner, policy, clock_cache, tracer=provider.get_tracer("test"))


def test_off_by_default() -> None:
    assert configure_tracing({}) is None
    assert configure_tracing({"HUB_OTEL_EXPORTER": "none"}) is None


def test_unknown_exporter_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="HUB_OTEL_EXPORTER"):
        configure_tracing({"HUB_OTEL_EXPORTER": "jaeger"})


def test_otlp_without_its_package_says_what_to_install() -> None:
    try:
        import opentelemetry.exporter.otlp.proto.http  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        with pytest.raises(SettingsError, match="opentelemetry-exporter-otlp-proto-http"):
            configure_tracing({"HUB_OTEL_EXPORTER": "otlp"})
    else:
        pytest.skip("the OTLP exporter is installed here")


def test_console_installs_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    installed: list[Any] = []
    monkeypatch.setattr(trace, "set_tracer_provider", installed.append)
    provider = configure_tracing({"HUB_OTEL_EXPORTER": "console", "HUB_OTEL_SERVICE_NAME": "hub-a"})
    assert provider is not None and installed == [provider]
    assert provider.resource.attributes["service.name"] == "hub-a"
    provider.shutdown()


@pytest.mark.anyio
async def test_one_client_span_per_connector_call(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    fake = FakeConnector.with_people(NIK, failures=[AgencyUnavailable("FAKE", "HTTP 503")])
    wrapped = connector(fake, provider)
    await wrapped.fetch([NIK])
    (span,) = exporter.get_finished_spans()
    assert span.name == "FAKE fetch" and span.kind is SpanKind.CLIENT
    assert span.attributes is not None
    assert span.attributes["pmihub.agency"] == "FAKE"
    assert span.attributes["pmihub.ids"] == 1
    assert span.attributes["pmihub.attempts"] == 2
    assert span.attributes["pmihub.cache"] == "miss"
    assert NIK not in str(dict(span.attributes)) and NIK not in span.name


@pytest.mark.anyio
async def test_a_failed_call_marks_its_span_with_the_code(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    fake = FakeConnector(error=AgencyUnavailable("FAKE", f"HTTP 503 for {NIK}"))
    with pytest.raises(AgencyUnavailable):
        await connector(fake, provider).fetch([NIK])
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "SOURCE_UNAVAILABLE"
    assert span.attributes is not None and span.attributes["pmihub.error"] == "SOURCE_UNAVAILABLE"
    assert not span.events  # no exception event: messages stay out of traces
