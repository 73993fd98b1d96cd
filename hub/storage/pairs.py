"""``(a, b) IN (pairs)`` that every database answers from an index.

SQLAlchemy renders ``tuple_(a, b).in_(pairs)`` on SQLite as ``(a, b) IN (VALUES ...)``, and
SQLite (3.40) answers that with a scan of the whole table, whatever index covers ``(a, b)``:
the crosswalk's per-page lookups then cost time in proportion to everything linked so far.
``pairs_in`` writes the same condition as ``(a = ? AND b IN (...)) OR ...``, one branch per
distinct first value (a handful: agencies, key kinds), which SQLite and PostgreSQL both answer
by index searches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement


def pairs_in(first: Any, second: Any, pairs: Iterable[tuple[Any, Any]]) -> ColumnElement[bool]:
    """The condition "``(first, second)`` is one of ``pairs``" (false for no pairs)."""
    grouped: dict[Any, list[Any]] = {}
    for a, b in pairs:
        grouped.setdefault(a, []).append(b)
    if not grouped:
        return false()
    return or_(*(and_(first == a, second.in_(bs)) for a, bs in grouped.items()))


__all__ = ["pairs_in"]
