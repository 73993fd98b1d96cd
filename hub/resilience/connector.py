"""``ResilientConnector``: any connector, behind deadline, retry, breaker, bulkhead,
coalescing and a response cache with stale-if-error.

It is itself a ``Connector`` (and a ``LicenseRegistry`` when the wrapped connector is one), so
the hub uses it in place of the connector it wraps. ``fetch``, ``find`` and ``licenses`` are
idempotent reads: answered from a fresh cache entry when there is one, else asked upstream
(identical calls in flight share one), and when the agency fails, answered from an expired
entry still within the stale window, every record marked ``provenance.stale``. ``changes``
gets the deadline, breaker and retries but no cache; ``health`` passes through with a short
timeout and names a breaker that is not closed.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from opentelemetry.trace import Tracer

from connectors.kit.base import ChangesPage, Connector, Health, LicenseRegistry, LookupKey
from connectors.kit.errors import AgencyRejected, AgencyTimeout, ConnectorError, RecordNotFound
from hub.observability.metrics import HubMetrics
from hub.observability.tracing import connector_span, hub_tracer
from hub.resilience.breaker import BreakerState, CircuitBreaker
from hub.resilience.cache import CacheEntry, MemoryCache, ResponseCache
from hub.resilience.coalesce import Coalescer
from hub.resilience.codec import CacheValue
from hub.resilience.deadline import remaining
from hub.resilience.guard import CallGuard
from hub.resilience.policy import ResiliencePolicy
from hub.resilience.retry import Sleep
from hub.resilience.stale import mark_stale
from schema.records import LicenseRecord, RecordSet

log = logging.getLogger("pmihub.resilience")

Upstream = Callable[[list[str]], Awaitable[Mapping[str, CacheValue]]]


@dataclass(frozen=True, slots=True)
class AgencyStatus:
    """What ``sources`` and ``/readyz`` show of an agency besides its health probe."""

    agency: str
    breaker: BreakerState
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    in_flight: int

    @property
    def breaker_open(self) -> bool:
        return self.breaker is BreakerState.OPEN


class ResilientConnector:
    def __new__(cls, inner: Connector, *args: Any, **kwargs: Any) -> ResilientConnector:
        if cls is ResilientConnector and isinstance(inner, LicenseRegistry):
            cls = ResilientLicenseConnector
        return super().__new__(cls)

    def __init__(
        self,
        inner: Connector,
        policy: ResiliencePolicy | None = None,
        cache: ResponseCache | None = None,
        breaker: CircuitBreaker | None = None,
        metrics: HubMetrics | None = None,
        *,
        tracer: Tracer | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.inner = inner
        self.agency = inner.agency
        self.system = inner.system
        self.lookup_keys = inner.lookup_keys
        self.record_kinds = inner.record_kinds
        self.batch_size = inner.batch_size
        self.policy = policy or ResiliencePolicy()
        self.cache: ResponseCache = cache if cache is not None else MemoryCache()
        p = self.policy
        self.breaker = breaker or CircuitBreaker(
            self.agency,
            failures=p.breaker_failures,
            recovery=p.breaker_recovery,
            half_open_calls=p.breaker_half_open_calls,
        )
        self.metrics = metrics or HubMetrics()
        self.metrics.watch_breaker(self.agency, lambda: self.breaker.state.level)
        self.tracer = tracer or hub_tracer()
        self.guard = CallGuard(self.agency, p, self.breaker, self.metrics, sleep=sleep)
        self._flights: Coalescer[dict[str, CacheValue]] = Coalescer()

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        found = await self._read("fetch", local_ids, self.inner.fetch)  # type: ignore[arg-type]
        return found  # type: ignore[return-value]

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        async def upstream(wanted: list[str]) -> Mapping[str, CacheValue]:
            matches = await self.inner.find(key, wanted)
            return {v: tuple(matches[v]) for v in wanted if matches.get(v)}

        found = await self._read(f"find:{key}", values, upstream)
        return {value: list(ids) for value, ids in found.items()}  # type: ignore[arg-type]

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        with connector_span(self.tracer, self.agency, "changes", 0):
            return await self.guard.call("changes", lambda: self.inner.changes(cursor, limit))

    async def health(self) -> Health:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.policy.health_timeout):
                health = await self.inner.health()
        except TimeoutError:
            health = Health(self.agency, ok=False, message=AgencyTimeout.code)
        except ConnectorError as exc:
            health = Health(self.agency, ok=False, message=exc.code)
        except Exception as exc:  # a probe reports; it must not fail
            health = Health(self.agency, ok=False, message=type(exc).__name__)
        if health.latency_ms is None:
            health = replace(health, latency_ms=(time.perf_counter() - started) * 1000)
        state = self.breaker.state
        if state is not BreakerState.CLOSED:
            note = f"breaker {state}"
            health = replace(
                health, message=f"{health.message}; {note}" if health.message else note
            )
        return health

    def status(self) -> AgencyStatus:
        return AgencyStatus(
            agency=self.agency,
            breaker=self.breaker.state,
            latency_p50_ms=self.guard.latency.p50,
            latency_p99_ms=self.guard.latency.p99,
            in_flight=self.guard.bulkhead.in_use,
        )

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            await self.cache.aclose()  # shared caches close idempotently

    async def _read(
        self, method: str, asked: Sequence[str], upstream: Upstream
    ) -> dict[str, CacheValue]:
        """Values for ``asked`` (None-valued ids dropped): cache, then one shared upstream call,
        then stale entries when the agency fails."""
        ids = [i for i in dict.fromkeys(asked) if isinstance(i, str)]
        if not ids:
            return {}
        with connector_span(self.tracer, self.agency, method, len(ids)) as span:
            keys = {i: self.cache.key(self.agency, method, i) for i in ids}
            entries: dict[str, CacheEntry] = {}
            if self.policy.cache_enabled:
                stored = await self.cache.get_many(list(keys.values()))
                entries = {i: stored[k] for i, k in keys.items() if k in stored}
            now = time.time()
            fresh = {i: e.value for i, e in entries.items() if e.fresh(now)}
            missing = [i for i in ids if i not in fresh]
            self.metrics.cache(self.agency, method, fresh=len(fresh), missed=len(missing))
            result = {i: v for i, v in fresh.items() if v is not None}
            span.set_attribute("pmihub.cache", "hit" if not missing else "miss")
            if not missing:
                return result
            try:
                found = await self._shared_call(method, missing, keys, upstream)
            except ConnectorError as exc:
                stale = self._stale_fallback(exc, method, missing, entries)
                if stale is None:
                    raise
                span.set_attribute("pmihub.cache", "stale")
                span.set_attribute("pmihub.error", exc.code)
                result.update(stale)
                return result
            result.update(found)
            return result

    async def _shared_call(
        self, method: str, ids: list[str], keys: Mapping[str, str], upstream: Upstream
    ) -> dict[str, CacheValue]:
        async def call_and_store() -> dict[str, CacheValue]:
            answer = await self.guard.call(method, lambda: upstream(ids))
            values = {i: answer.get(i) for i in ids}
            if self.policy.cache_enabled:
                p = self.policy
                await self.cache.put_many(
                    {keys[i]: v for i, v in values.items()},
                    p.cache_ttl,
                    p.cache_ttl + p.cache_stale,
                )
            return {i: v for i, v in values.items() if v is not None}

        left = remaining()  # a joiner waits no longer than its own budget
        try:
            async with asyncio.timeout(None if math.isinf(left) else left):
                return await self._flights.run(
                    (method, tuple(sorted(ids))),
                    call_and_store,
                    on_join=lambda: self.metrics.coalesce(self.agency, method),
                )
        except TimeoutError:
            raise AgencyTimeout(self.agency, "no answer within the deadline") from None

    def _stale_fallback(
        self, exc: ConnectorError, method: str, ids: list[str], entries: Mapping[str, CacheEntry]
    ) -> dict[str, CacheValue] | None:
        """Expired entries for every id, marked stale; None when they cannot stand in."""
        if isinstance(exc, AgencyRejected | RecordNotFound) or any(i not in entries for i in ids):
            return None
        self.metrics.cache(self.agency, method, stale=len(ids))
        log.warning(
            "%s %s failed (%s): serving %d cached answer(s) marked stale",
            self.agency,
            method.split(":", 1)[0],
            exc.code,
            len(ids),
        )
        values = {i: mark_stale(entries[i].value) for i in ids}
        return {i: v for i, v in values.items() if v is not None}


class ResilientLicenseConnector(ResilientConnector):
    """A ``ResilientConnector`` over a connector that also answers placement-company licences."""

    async def licenses(self, numbers: Sequence[str]) -> Mapping[str, LicenseRecord]:
        registry: LicenseRegistry = self.inner  # type: ignore[assignment]
        found = await self._read("licenses", numbers, registry.licenses)  # type: ignore[arg-type]
        return found  # type: ignore[return-value]


__all__ = ["AgencyStatus", "ResilientConnector", "ResilientLicenseConnector"]
