"""Import every module that defines hub tables, so SQLModel.metadata holds them all."""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "hub.crosswalk.tables",
    "auth.models",
    "auth.oidc.models",
    "hub.audit.tables",
    "hub.cases.tables",
    "hub.audit.publish",
    "hub.identity.tables",
    "hub.search.tables",
    "hub.census.tables",
    "hub.statistics.tables",
    "hub.partners.tables",
    "hub.edge.idempotency",
)


def load_tables() -> None:
    for module in TABLE_MODULES:
        importlib.import_module(module)
