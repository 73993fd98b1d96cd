"""Opaque page cursors: the last hit's (score, worker id), bound to the search they came from.

Keyset, not offset: a page starts strictly after the last hit of the one before in the order
(score descending, worker id ascending), so no worker appears twice across pages. A cursor
from another search (other text or filters) is refused rather than silently misapplied.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence

from hub.search.engine import Hit
from hub.search.query import SearchInputError, SearchQuery

VERSION = 1


def _search_key(query: SearchQuery) -> str:
    parts = [query.text.lower(), str(query.birth_date or ""), query.country or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def encode_cursor(query: SearchQuery, hit: Hit) -> str:
    body = {"v": VERSION, "k": _search_key(query), "s": hit.score, "w": hit.worker_id}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, query: SearchQuery) -> tuple[float, str]:
    """The (score, worker id) a page starts after; ``SearchInputError`` when unusable."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        position = (float(body["s"]), str(body["w"]))
        if body["v"] != VERSION or body["k"] != _search_key(query):
            raise SearchInputError(
                "Kursor ini milik pencarian lain",
                "This cursor belongs to another search",
                "after",
            )
        return position
    except SearchInputError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise SearchInputError(
            "Kursor tidak sah", "Invalid cursor: pass a cursor this search returned", "after"
        ) from None


def page_after(
    hits: Sequence[Hit], position: tuple[float, str] | None, first: int
) -> tuple[list[Hit], bool]:
    """The ``first`` hits after ``position`` and whether more follow."""
    rest = list(hits)
    if position is not None:
        score, worker = position
        rest = [h for h in hits if (-h.score, h.worker_id) > (-score, worker)]
    return rest[:first], len(rest) > first
