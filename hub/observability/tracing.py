"""OpenTelemetry traces: a span per connector call, exported as configured.

``HUB_OTEL_EXPORTER`` is ``none`` (default: the API's no-op tracer, nearly free), ``console``
(spans as JSON on stdout) or ``otlp`` (OTLP over HTTP to ``HUB_OTEL_ENDPOINT``; needs the
optional package ``opentelemetry-exporter-otlp-proto-http``). Spans carry the agency, the
method, how many ids and the outcome, never the ids themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from connectors.kit.errors import ConnectorError
from hub.settings import SettingsError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

EXPORTERS = ("none", "console", "otlp")


def configure_tracing(environ: Mapping[str, str]) -> TracerProvider | None:
    """Install the process's tracer provider; None when tracing is off. Call once at start-up
    and ``shutdown()`` the provider at exit so the last spans are flushed."""
    name = environ.get("HUB_OTEL_EXPORTER", "none").strip().lower()
    if name not in EXPORTERS:
        raise SettingsError(f"HUB_OTEL_EXPORTER must be one of {', '.join(EXPORTERS)}")
    if name == "none":
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    exporter: Any
    if name == "console":
        exporter = ConsoleSpanExporter()
    else:
        exporter = _otlp_exporter(environ.get("HUB_OTEL_ENDPOINT"))
    service = environ.get("HUB_OTEL_SERVICE_NAME", "pmihub")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def _otlp_exporter(endpoint: str | None) -> Any:
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found]
            OTLPSpanExporter,
        )
    except ImportError:
        raise SettingsError(
            "HUB_OTEL_EXPORTER=otlp needs the package opentelemetry-exporter-otlp-proto-http "
            "(pip install opentelemetry-exporter-otlp-proto-http==1.45.2)"
        ) from None
    return OTLPSpanExporter(endpoint=endpoint) if endpoint else OTLPSpanExporter()


def hub_tracer() -> Tracer:
    """The hub's tracer; a proxy until a provider is configured, then that provider's."""
    return trace.get_tracer("pmihub")


@contextlib.contextmanager
def connector_span(tracer: Tracer, agency: str, method: str, ids: int) -> Iterator[Span]:
    """A client span around one connector call; a ``ConnectorError`` marks it failed."""
    attributes = {"pmihub.agency": agency, "pmihub.method": method, "pmihub.ids": ids}
    with tracer.start_as_current_span(
        f"{agency} {method}",
        kind=SpanKind.CLIENT,
        attributes=attributes,
        record_exception=False,  # messages stay in logs; spans get the stable code only
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except ConnectorError as exc:
            span.set_attribute("pmihub.error", exc.code)
            span.set_status(Status(StatusCode.ERROR, exc.code))
            raise


__all__ = ["EXPORTERS", "configure_tracing", "connector_span", "hub_tracer"]
