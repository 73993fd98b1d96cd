"""Waiting, in tests, for what another thread or process does: poll a condition until it holds
or a generous limit (a slow CI machine's, not a timing target) runs out."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    limit = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > limit:
            raise AssertionError(f"condition not met within {seconds:g} s")
        time.sleep(0.05)
