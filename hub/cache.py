"""A small in-process TTL cache for reference data (placement-company licences).

Licences change rarely and every placement names one, so caching them removes a second,
sequential round trip to Kemnaker from most requests. Cached records keep the provenance of
the answer they came from: ``fetchedAt`` says how old the fact is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self, ttl: float, maxsize: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self.clock = clock
        self._items: dict[K, tuple[float, V]] = {}

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        now = self.clock()
        found: dict[K, V] = {}
        for key in keys:
            item = self._items.get(key)
            if item is not None and item[0] > now:
                found[key] = item[1]
        return found

    def put_many(self, items: dict[K, V]) -> None:
        if self.ttl <= 0:
            return
        expires = self.clock() + self.ttl
        if len(self._items) + len(items) > self.maxsize:
            now = self.clock()
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
            while len(self._items) + len(items) > self.maxsize and self._items:
                self._items.pop(next(iter(self._items)))
        for key, value in items.items():
            self._items[key] = (expires, value)
