"""Operability: Prometheus metrics, OpenTelemetry traces, structured logs with request ids."""

from __future__ import annotations

from hub.observability.logging import (
    JsonFormatter,
    RedactingFilter,
    RequestIdMiddleware,
    configure_logging,
    redact,
    request_id,
)
from hub.observability.metrics import (
    HubMetrics,
    MetricsEndpoint,
    MetricsMiddleware,
    default_metrics,
)
from hub.observability.tracing import configure_tracing, connector_span, hub_tracer

__all__ = [
    "HubMetrics",
    "JsonFormatter",
    "MetricsEndpoint",
    "MetricsMiddleware",
    "RedactingFilter",
    "RequestIdMiddleware",
    "configure_logging",
    "configure_tracing",
    "connector_span",
    "default_metrics",
    "hub_tracer",
    "redact",
    "request_id",
]
