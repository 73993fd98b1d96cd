"""``python -m bench.peer.serve NAME PORT``: one subgraph of the Apollo peer under uvicorn,
configured by the hub's own ``HUB_*`` settings (the same agencies and database as the hub),
with the hub's garbage-collector tuning (hub/gc_tuning.py), as ``pmihub serve`` has it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from strawberry.asgi import GraphQL

from bench.peer.records import SUBGRAPHS, AgencyContext, AgencyService, agency_of
from bench.peer.subgraphs import CrosswalkContext, CrosswalkService, build_schema
from hub.gc_tuning import tune_gc
from hub.settings import Settings
from hub.storage import make_engine


class Subgraph(GraphQL):  # type: ignore[type-arg]
    def __init__(self, name: str, context: Callable[[], object]) -> None:
        super().__init__(build_schema(name), graphql_ide=None)
        self._context = context

    async def get_context(self, request: Any, response: Any) -> Any:
        return self._context()


def subgraph(name: str, settings: Settings) -> Subgraph:
    if name == "crosswalk":
        service = CrosswalkService.of(make_engine(settings.database_url), settings.pseudonym_key)
        return Subgraph(name, lambda: CrosswalkContext(service))
    agency = AgencyService.of(settings, agency_of(name))
    return Subgraph(name, lambda: AgencyContext(agency))


def main(argv: list[str]) -> None:
    name, port = argv
    if name not in SUBGRAPHS:
        raise SystemExit(f"unknown subgraph {name!r}: one of {', '.join(SUBGRAPHS)}")
    settings = Settings.from_environ(os.environ)
    app = subgraph(name, settings)
    tune_gc(settings.environ)
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
