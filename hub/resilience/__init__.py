"""The resilience layer between the hub and the agencies (docs/resilience.md).

``wrap_connectors(connectors, environ)`` puts every connector behind a ``ResilientConnector``:
a per-request deadline (``request_deadline`` / ``DeadlineMiddleware``), retries with full
jitter for idempotent reads, a circuit breaker, a bulkhead, coalescing of identical lookups,
and a response cache (memory, or Redis at ``HUB_REDIS_URL``) with stale-if-error.
"""

from __future__ import annotations

from collections.abc import Mapping

from connectors.kit.base import Connector
from hub.observability.metrics import HubMetrics, default_metrics
from hub.resilience.breaker import BreakerState, CircuitBreaker, CircuitOpen
from hub.resilience.cache import (
    CacheEntry,
    MemoryCache,
    RedisCache,
    ResponseCache,
    cache_from_environ,
)
from hub.resilience.connector import AgencyStatus, ResilientConnector, ResilientLicenseConnector
from hub.resilience.deadline import (
    DeadlineMiddleware,
    DeadlineReached,
    deadline_from_environ,
    remaining,
    request_deadline,
)
from hub.resilience.policy import POLICY_KEYS, ResiliencePolicy


def wrap_connectors(
    connectors: Mapping[str, Connector],
    environ: Mapping[str, str],
    *,
    names: Mapping[str, str] | None = None,
    cache: ResponseCache | None = None,
    metrics: HubMetrics | None = None,
    secret: bytes | None = None,
) -> dict[str, ResilientConnector]:
    """Each connector wrapped, same keys and order; one cache and one metrics registry shared.

    ``names`` maps an agency code to its name in ``HUB_CONNECTORS`` (``BPJS_KETENAGAKERJAAN`` ->
    ``bpjs``) so ``HUB_AGENCY_BPJS_<KEY>`` overrides apply; the agency code always works too.
    A connector that is already resilient is kept as it is. ``secret`` keys and seals the
    Redis cache's entries (the hub passes ``HUB_PSEUDONYM_KEY``).
    """
    shared = cache if cache is not None else cache_from_environ(environ, secret)
    metrics = metrics or default_metrics()
    out: dict[str, ResilientConnector] = {}
    for code, connector in connectors.items():
        if isinstance(connector, ResilientConnector):
            out[code] = connector
            continue
        agency = connector.agency
        aliases = tuple(n for n in ((names or {}).get(agency), agency, code) if n)
        policy = ResiliencePolicy.from_environ(environ, aliases)
        out[code] = ResilientConnector(connector, policy, shared, metrics=metrics)
    return out


def agency_status(connector: Connector) -> AgencyStatus | None:
    """Breaker state and recent latency of a wrapped connector; None for a bare one."""
    return connector.status() if isinstance(connector, ResilientConnector) else None


__all__ = [
    "POLICY_KEYS",
    "AgencyStatus",
    "BreakerState",
    "CacheEntry",
    "CircuitBreaker",
    "CircuitOpen",
    "DeadlineMiddleware",
    "DeadlineReached",
    "MemoryCache",
    "RedisCache",
    "ResiliencePolicy",
    "ResilientConnector",
    "ResilientLicenseConnector",
    "ResponseCache",
    "agency_status",
    "cache_from_environ",
    "deadline_from_environ",
    "remaining",
    "request_deadline",
    "wrap_connectors",
]
