"""Per-request DataLoaders: one per connector, batching local ids into upstream calls."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from connectors.kit.base import Connector, LicenseRegistry
from connectors.kit.errors import AgencyRejected, ConnectorError
from hub.cache import TtlCache
from hub.graphql.upstream import UpstreamStats
from schema.enums import SourceState
from schema.records import LicenseRecord, RecordSet

K = TypeVar("K")
V = TypeVar("V")


def _state_of(exc: ConnectorError) -> SourceState:
    return SourceState.DENIED if isinstance(exc, AgencyRejected) else SourceState.UNAVAILABLE


def record_loader(connector: Connector, stats: UpstreamStats) -> DataLoader[str, RecordSet | None]:
    """``RecordSetsByLocalIdLoader``: everything an agency holds per local id."""

    async def load(local_ids: list[str]) -> Sequence[RecordSet | BaseException | None]:
        started = time.perf_counter()
        try:
            found = await connector.fetch(local_ids)
        except ConnectorError as exc:
            stats.of(connector.agency).record(_ms(started), _state_of(exc), exc.code)
            return [exc] * len(local_ids)
        stats.of(connector.agency).record(_ms(started), SourceState.OK)
        return [found.get(local_id) for local_id in local_ids]

    return DataLoader(load_fn=load, max_batch_size=connector.batch_size)


def license_loader(
    connector: Connector, stats: UpstreamStats, cache: TtlCache[str, LicenseRecord]
) -> DataLoader[str, LicenseRecord | None] | None:
    """``LicensesByNumberLoader`` over the connector that answers licences, if any, through
    the hub's licence cache."""
    if not isinstance(connector, LicenseRegistry):
        return None
    registry: LicenseRegistry = connector

    async def load(numbers: list[str]) -> Sequence[LicenseRecord | BaseException | None]:
        cached: dict[str, LicenseRecord] = cache.get_many(numbers)
        missing = [n for n in numbers if n not in cached]
        if missing:
            started = time.perf_counter()
            try:
                found = await registry.licenses(missing)
            except ConnectorError as exc:
                stats.of(connector.agency).record(_ms(started), _state_of(exc), exc.code)
                return [cached.get(n, exc) for n in numbers]
            stats.of(connector.agency).record(_ms(started), SourceState.OK)
            cache.put_many({n: lic for n, lic in found.items() if not lic.provenance.stale})
            cached.update(found)
        return [cached.get(number) for number in numbers]

    return DataLoader(load_fn=load, max_batch_size=connector.batch_size)


async def load_all(loader: DataLoader[K, V], keys: list[K]) -> list[V]:
    """``loader.load_many(keys)``, without waiting a turn of the event loop when every key
    is already loaded (a batch prefetched, hub.graphql.prefetch): gathering even finished
    futures suspends the caller once, which for a resolver means a task of its own."""
    futures = [loader.load(key) for key in keys]
    if all(future.done() for future in futures):  # type: ignore[attr-defined]
        return [future.result() for future in futures]  # type: ignore[attr-defined]
    return list(await asyncio.gather(*futures))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
