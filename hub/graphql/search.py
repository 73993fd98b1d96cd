"""``searchWorkers``: one box for a name (typos and variants), NIK, passport, KPJ or ID PMI.

Needs ``worker.identity:read`` and a declared purpose. Every worker a page returns is
recorded in the audit trail under ``identity`` (a search result says that this person matches
the name or number typed), whatever else the query selects; the sections selected on the
nodes are checked and recorded as for any other Worker.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

import anyio
import strawberry
from graphql import GraphQLError
from sqlalchemy.exc import SQLAlchemyError
from strawberry.types import Info

from hub.graphql.enforce import lookup_scope
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.lookup import IDENTIFIERS, find_by_identifier
from hub.graphql.worker import Worker, load_worker
from hub.search import (
    KEY_KINDS,
    Hit,
    SearchIndex,
    SearchInputError,
    SearchQuery,
    check_first,
    parse_query,
)
from hub.search.cursor import decode_cursor, encode_cursor, page_after
from hub.search.engine import rank
from schema.graphql.types import PageInfo

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


@strawberry.type(description="One worker found, with how well they match (1.0: exact).")
class WorkerEdge:
    node: Worker
    score: float
    cursor: str


@strawberry.type(description="A page of search results, best match first.")
class WorkerConnection:
    edges: list[WorkerEdge]
    page_info: PageInfo


def _unavailable() -> GraphQLError:
    return hub_error(
        "SEARCH_UNAVAILABLE",
        "Pencarian sedang tidak tersedia; coba lagi atau cari dengan NIK",
        "Search is unavailable; try again or look up by NIK",
    )


async def _identifier_hits(ctx: HubContext, query: SearchQuery) -> list[Hit]:
    """The crosswalk first, then the agencies live for the identifiers ``workerBy`` takes."""
    found: set[str] = set()
    for kind, value in query.identifiers:
        if kind in IDENTIFIERS:
            if lookup_scope(ctx, IDENTIFIERS[kind][0]) is None:
                found.update((await find_by_identifier(ctx, kind, [value])).values())
        else:  # an agency's number only where the token reads that agency (enforce.lookup_scope)
            for key_kind in KEY_KINDS[kind]:
                if lookup_scope(ctx, key_kind) is None:
                    found.update(ctx.hub.crosswalk.find(key_kind, [value]).values())
    return rank(dict.fromkeys(found, 1.0))


async def search_workers(
    info: Info,
    query: str,
    birth_date: date | None = None,
    country: str | None = None,
    first: int | None = 20,
    after: str | None = None,
) -> WorkerConnection:
    """Resolver for ``searchWorkers``; ranked by score, then worker id."""
    ctx: HubContext = info.context  # scope and purpose: checked before (hub/graphql/policy.py)
    try:
        parsed = parse_query(query, birth_date, country, today=ctx.today)
        first = check_first(20 if first is None else first)
        position = decode_cursor(after, parsed) if after is not None else None
    except SearchInputError as exc:
        raise bad_input(exc.text_id, exc.text_en, exc.argument) from None
    try:
        if parsed.identifiers:
            hits = await _identifier_hits(ctx, parsed)
        else:
            index = SearchIndex(ctx.hub.engine, ctx.hub.crosswalk)
            hits = await anyio.to_thread.run_sync(index.search, parsed)
    except SQLAlchemyError as exc:
        raise _unavailable() from exc
    page, has_next = page_after(hits, position, first)
    workers = await asyncio.gather(*(load_worker(ctx, hit.worker_id) for hit in page))
    edges: list[WorkerEdge] = []
    seen: set[str] = set()
    for hit, worker in zip(page, workers, strict=True):
        if worker is None or str(worker.id) in seen:  # not for this principal, or merged
            continue
        seen.add(str(worker.id))
        ctx.audit_returned(str(worker.id), "identity")
        edges.append(WorkerEdge(node=worker, score=hit.score, cursor=encode_cursor(parsed, hit)))
    end = encode_cursor(parsed, page[-1]) if page else None
    return WorkerConnection(edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end))
