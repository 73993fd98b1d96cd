"""``searchWorkers``: one box for a name (typos and variants), NIK, passport, KPJ or ID PMI.

Needs ``worker.identity:read`` and a declared purpose. Every worker a page returns is
recorded in the audit trail under ``identity`` (a search result says that this person matches
the name or number typed), whatever else the query selects; the sections selected on the
nodes are checked and recorded as for any other Worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
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


@strawberry.enum(description="Why a search result matched: what of the query it shares.")
class MatchReason(StrEnum):
    NAME = "NAME"  # the name, as typed or within the spelling tolerance (score 1.0)
    NAME_SIMILAR = "NAME_SIMILAR"  # a near spelling (a typo, a variant)
    BIRTH_DATE = "BIRTH_DATE"  # the birthDate filter (or its day/month swap)
    COUNTRY = "COUNTRY"  # the country filter
    NIK = "NIK"
    PASSPORT = "PASSPORT"
    KPJ = "KPJ"
    PMI_ID = "PMI_ID"
    RECORD_ID = "RECORD_ID"


_IDENTIFIER_REASONS = {
    "nik": MatchReason.NIK,
    "passport": MatchReason.PASSPORT,
    "kpj": MatchReason.KPJ,
    "pmiId": MatchReason.PMI_ID,
    "recordId": MatchReason.RECORD_ID,
}


@strawberry.type(description="One worker found, with how well they match (1.0: exact).")
class WorkerEdge:
    node: Worker
    score: float
    cursor: str
    matched_on: list[MatchReason] = strawberry.field(
        description="Why this worker matched, strongest first (nothing the query did not hold)."
    )


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


async def _identifier_hits(
    ctx: HubContext, query: SearchQuery
) -> tuple[list[Hit], dict[str, list[MatchReason]]]:
    """The crosswalk first, then the agencies live for the identifiers ``workerBy`` takes;
    with, per worker, the kinds of identifier that found them."""
    found: dict[str, list[MatchReason]] = {}

    def add(workers: Iterable[str], kind: str) -> None:
        for worker in workers:
            reasons = found.setdefault(worker, [])
            if _IDENTIFIER_REASONS[kind] not in reasons:
                reasons.append(_IDENTIFIER_REASONS[kind])

    for kind, value in query.identifiers:
        if kind in IDENTIFIERS:
            if lookup_scope(ctx, IDENTIFIERS[kind][0]) is None:
                add((await find_by_identifier(ctx, kind, [value])).values(), kind)
        else:  # an agency's number only where the token reads that agency (enforce.lookup_scope)
            for key_kind in KEY_KINDS[kind]:
                if lookup_scope(ctx, key_kind) is None:
                    add(ctx.hub.crosswalk.find(key_kind, [value]).values(), kind)
    return rank(dict.fromkeys(found, 1.0)), found


def _name_reasons(query: SearchQuery, score: float) -> list[MatchReason]:
    reasons = [MatchReason.NAME if score >= 1.0 else MatchReason.NAME_SIMILAR]
    if query.birth_date is not None:
        reasons.append(MatchReason.BIRTH_DATE)
    if query.country is not None:
        reasons.append(MatchReason.COUNTRY)
    return reasons


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
    by_identifier: dict[str, list[MatchReason]] = {}
    try:
        if parsed.identifiers:
            hits, by_identifier = await _identifier_hits(ctx, parsed)
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
        reasons = by_identifier.get(hit.worker_id) or _name_reasons(parsed, hit.score)
        cursor = encode_cursor(parsed, hit)
        edges.append(WorkerEdge(node=worker, score=hit.score, cursor=cursor, matched_on=reasons))
    end = encode_cursor(parsed, page[-1]) if page else None
    return WorkerConnection(edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end))
