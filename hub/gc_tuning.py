"""The garbage collector tuned for a server: ``HUB_GC_THRESHOLD`` (``pmihub serve`` applies it).

CPython collects its youngest generation every 700 net allocations. Answering
``workers(ids: 1,000)`` allocates millions of short-lived objects (GraphQL results, futures,
records), which triggered about 940 collections per answer, many of them walking the whole
heap (every module, the schema, the caches): measured on the bench machine, half the CPU of
the answer and most of its wall time. After start-up the long-lived objects are frozen
(``gc.freeze``: never traversed again) and the thresholds raised to 50,000 / 20 / 100: the
same answer then costs about 10 collections and half the CPU. Reference counting still frees
everything that is not in a cycle at once; cycles wait a little longer.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping

from hub.settings import SettingsError

DEFAULT_THRESHOLD = (50_000, 20, 100)


def gc_threshold(environ: Mapping[str, str]) -> tuple[int, int, int] | None:
    """The thresholds ``HUB_GC_THRESHOLD`` asks for (``a,b,c``); None for ``python`` (keep
    CPython's own)."""
    raw = environ.get("HUB_GC_THRESHOLD", "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    if raw.lower() == "python":
        return None
    try:
        values = tuple(int(part) for part in raw.split(","))
    except ValueError:
        values = ()
    if len(values) != 3 or min(values) < 1:
        raise SettingsError(
            f"HUB_GC_THRESHOLD must be three positive whole numbers (a,b,c) or python, got {raw!r}"
        )
    return values  # type: ignore[return-value]


def tune_gc(environ: Mapping[str, str]) -> None:
    """Freeze what start-up built and apply the thresholds (call once the app is built)."""
    threshold = gc_threshold(environ)
    if threshold is None:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)


__all__ = ["DEFAULT_THRESHOLD", "gc_threshold", "tune_gc"]
