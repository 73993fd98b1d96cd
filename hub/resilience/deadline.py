"""The request's time budget: set once per GraphQL request, shared by every upstream call.

``with request_deadline(5.0): ...`` starts a budget for the code inside (a nested budget can
only shorten it); ``remaining()`` is what is left of it, ``inf`` outside any request. The
value lives in a context variable, so the DataLoader tasks a request starts inherit it.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

from connectors.kit.errors import AgencyTimeout
from hub.settings import SettingsError

DEFAULT_DEADLINE = 5.0
_deadline: ContextVar[float | None] = ContextVar("pmihub_request_deadline", default=None)


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[float]:
    """Run the block under a budget of ``seconds``; yields the absolute monotonic deadline."""
    ends = time.monotonic() + max(0.0, seconds)
    outer = _deadline.get()
    if outer is not None:
        ends = min(ends, outer)
    token = _deadline.set(ends)
    try:
        yield ends
    finally:
        _deadline.reset(token)


class DeadlineReached(AgencyTimeout):
    """The budget ran out before the agency was called: nothing is known of its health."""


def remaining() -> float:
    """Seconds left of the current request's budget (never negative); ``inf`` without one."""
    ends = _deadline.get()
    if ends is None:
        return math.inf
    return max(0.0, ends - time.monotonic())


def deadline_from_environ(environ: Mapping[str, str]) -> float:
    """``HUB_REQUEST_DEADLINE`` in seconds (default 5)."""
    raw = environ.get("HUB_REQUEST_DEADLINE")
    if raw is None:
        return DEFAULT_DEADLINE
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"HUB_REQUEST_DEADLINE must be seconds, got {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise SettingsError("HUB_REQUEST_DEADLINE must be a positive number of seconds")
    return value


class DeadlineMiddleware:
    """ASGI middleware giving every HTTP request under ``paths`` one budget of ``seconds``."""

    def __init__(
        self, app: ASGIApp, seconds: float, paths: tuple[str, ...] = ("/graphql",)
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            return await self.app(scope, receive, send)
        with request_deadline(self.seconds):
            await self.app(scope, receive, send)


__all__ = [
    "DEFAULT_DEADLINE",
    "DeadlineMiddleware",
    "DeadlineReached",
    "deadline_from_environ",
    "remaining",
    "request_deadline",
]
