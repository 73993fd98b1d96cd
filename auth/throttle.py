"""The login throttle: it slows password guessing without locking the real officer out.

Two counters of recent failures (each forgotten ``window`` seconds after its last failure):

- per address: past ``free`` failures, an address must wait ``base * 2**(n - free)`` seconds
  (at most ``cap``) after its last failure before it may try again; earlier tries are refused
  (429 with Retry-After). This is what stops one machine guessing or spraying names.
- per user name: past ``free`` failures, every attempt on that name is held
  ``base * 2**(n - free)`` seconds (at most ``hold_cap``) before the password is checked: an
  attempt is slowed, never refused, so guesses from elsewhere cannot lock the officer out. An
  address that has itself failed ``free`` times also queues behind the name's earlier attempts,
  so many parallel guesses from it are spread out, not run at once (and refused once that
  queue is ``hold_cap`` long).

``LoginThrottle`` keeps the counters in this process; memory is bounded: each table keeps its
``max_entries`` most recently failed keys (the oldest is dropped first; the table is never
cleared wholesale). With several processes, ``Throttle`` is what the login page needs: the hub
passes one whose counters live in Redis (hub/login_throttle.py, outside auth/, which imports
nothing of the hub), so N processes throttle together.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Throttle(Protocol):
    """What the login page asks (auth.routes); all seconds."""

    hold_cap: float

    async def refused(self, address: str) -> float: ...

    async def hold(self, address: str, username: str) -> float: ...

    async def failed(self, address: str, username: str) -> None: ...

    async def succeeded(self, address: str, username: str) -> None: ...


def delay(count: int, free: int, base: float, cap: float) -> float:
    """The wait after ``count`` failures: ``base * 2**(count - free)``, at most ``cap``."""
    return min(cap, base * 2 ** min(30, count - free))


@dataclass
class _Failures:
    count: int
    last: float
    next_slot: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        *,
        free: int = 3,
        base: float = 1.0,
        cap: float = 300.0,
        hold_cap: float = 8.0,
        window: float = 900.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap, self.hold_cap = free, base, cap, hold_cap
        self.window, self.max_entries, self.clock = window, max_entries, clock
        self._addresses: OrderedDict[str, _Failures] = OrderedDict()
        self._users: OrderedDict[str, _Failures] = OrderedDict()

    async def refused(self, address: str) -> float:
        """Seconds ``address`` must still wait before it may try (0: it may)."""
        entry = self._get(self._addresses, address)
        if entry is None or entry.count < self.free:
            return 0.0
        return max(0.0, entry.last + self._delay(entry.count, self.cap) - self.clock())

    async def hold(self, address: str, username: str) -> float:
        """Seconds to hold this attempt before checking the password. For an address that has
        not failed ``free`` times this is never a refusal; for one that has, ``inf`` when the
        name's queue is already ``hold_cap`` long (refuse it, as ``refused`` would)."""
        user = self._get(self._users, username)
        if user is None or user.count < self.free:
            return 0.0
        delay = self._delay(user.count, self.hold_cap)
        now = self.clock()
        origin = self._get(self._addresses, address)
        if origin is None or origin.count < self.free:
            return delay  # a clean address: slowed, never queued behind the guesses
        slot = max(now, user.next_slot)
        if slot + delay - now > self.hold_cap:
            return math.inf  # the queue is full: this address (which has failed) must wait
        user.next_slot = slot + delay
        return slot + delay - now

    async def failed(self, address: str, username: str) -> None:
        self._count(self._addresses, address)
        self._count(self._users, username)

    async def succeeded(self, address: str, username: str) -> None:
        self._addresses.pop(address, None)
        self._users.pop(username, None)

    def _delay(self, count: int, cap: float) -> float:
        return delay(count, self.free, self.base, cap)

    def _get(self, table: OrderedDict[str, _Failures], key: str) -> _Failures | None:
        entry = table.get(key)
        if entry is not None and self.clock() - entry.last > self.window:
            del table[key]
            return None
        return entry

    def _count(self, table: OrderedDict[str, _Failures], key: str) -> None:
        now = self.clock()
        entry = self._get(table, key)
        if entry is None:
            table[key] = _Failures(1, now)
        else:
            entry.count += 1
            entry.last = now
            table.move_to_end(key)
        while len(table) > self.max_entries:
            table.popitem(last=False)


__all__ = ["LoginThrottle", "Throttle", "delay"]
