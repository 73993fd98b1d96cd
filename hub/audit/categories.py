"""Which categories of personal data a GraphQL result returned, per worker.

A Worker object in the result is any object whose ``id`` starts with ``wk_`` and which holds at
least one non-null section. Keys are matched as the schema names them: a query that aliases
Worker fields is not recognised here (see docs/audit.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SECTIONS: dict[str, str] = {
    "identity": "identity",
    "placements": "placement",
    "socialSecurity": "social_security",
    "consular": "consular",
    "cases": "case",
    "protection": "protection",
}
WORKER_PREFIX = "wk_"


def section_categories(worker: Mapping[str, Any]) -> set[str]:
    found = {category for key, category in SECTIONS.items() if worker.get(key) is not None}
    identity = worker.get("identity")
    if isinstance(identity, Mapping):
        nik = identity.get("nik")
        if isinstance(nik, str) and nik and "*" not in nik:
            found.add("nik")
        if identity.get("nextOfKin") is not None:
            found.add("contact")
    return found


def categories_from_result(data: Any) -> dict[str, set[str]]:
    """``{worker_id: categories}`` for every Worker in a GraphQL result's ``data``."""
    out: dict[str, set[str]] = {}
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            worker_id = node.get("id")
            if isinstance(worker_id, str) and worker_id.startswith(WORKER_PREFIX):
                found = section_categories(node)
                if found:
                    out.setdefault(worker_id, set()).update(found)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


__all__ = ["SECTIONS", "categories_from_result", "section_categories"]
