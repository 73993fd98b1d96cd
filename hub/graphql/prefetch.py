"""A query's workers' records asked for once, before their sections resolve.

``workers(ids: 1000)`` resolves seven sections per worker; each asks its agencies, the
break-glass grants and the hub's cases through DataLoaders, which batch them into one
upstream call per agency batch. Left to the sections, every one of those 7,000 resolvers waits
for its data and then resumes through the event loop. ``prefetch`` asks for exactly what the
selected sections will ask for, for every worker at once, and waits once; the sections then
find their records loaded and complete at once (hub.graphql.eager), with no task of their own.
For one worker it also saves a database round trip before the agencies are asked: what the
token reads without a break-glass grant is fetched beside the grant look-up, not after it.

It asks for nothing more than the sections would: a section the token may not read for a
worker (hub.graphql.policy, the same ``allowed`` check the section's wrapper makes) is not
fetched for it, and ``sources`` only names the agencies the token sees. It changes no answer:
a failure here is left for the sections, which meet the same cached failure and report it
exactly as before.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from auth.access import Access
from connectors.kit.errors import ConnectorError
from hub.graphql.enforce import agency_visible, allowed
from hub.graphql.policy import POLICY, Gate
from schema.records import RecordKind

if TYPE_CHECKING:
    from hub.graphql.context import HubContext
    from hub.graphql.worker import Worker

# What each section reads (the resolvers in hub/graphql/worker.py ask for the same)
SECTION_KINDS: dict[str, tuple[RecordKind, ...]] = {
    "identity": (RecordKind.PERSON,),
    "placements": (RecordKind.PLACEMENT, RecordKind.ENDORSEMENT),
    "socialSecurity": (RecordKind.MEMBERSHIP,),
    "consular": (RecordKind.CONSULAR_REPORT,),
    "cases": (RecordKind.CASE,),
}
EVERY_AGENCY = ("protection",)
VISIBLE_AGENCIES = ("sources",)
HUB_CASES = ("cases", "protection")
LICENCES = ("placements", "protection")


async def prefetch(info: Info, workers: Iterable[Worker | None]) -> None:
    """Ask for what the selected sections of these workers will read, and wait for it."""
    batch = [w for w in workers if w is not None]
    sections = _sections(info.selected_fields)
    ctx: HubContext = info.context
    if not batch or not sections or ctx.principal.is_partner:
        return  # a partner's reads depend on each worker's consent, looked up by its sections
    with contextlib.suppress(Exception):  # the sections meet the same failure and report it
        await _prefetch(ctx, batch, sections)


async def _prefetch(ctx: HubContext, batch: list[Worker], sections: set[str]) -> None:
    ids = [str(w.id) for w in batch]
    grants = ctx.grants.load_many(ids)
    own_cases = ctx.hub_cases.load_many(ids) if sections & set(HUB_CASES) else None
    # What the token reads without a break-glass grant it reads with one too (a grant only
    # lifts scopes): those fetches start now, beside the grant look-up, not after it.
    pending: list[asyncio.Future[Any]] = []
    decisions = ctx.decisions()
    for worker in batch:
        plain = Access(ctx.principal, str(worker.id), decisions=decisions)
        pending += worker.view.start(_readable(ctx, plain, sections))
    licensed: list[Worker] = []
    for worker, grant in zip(batch, await grants, strict=True):
        access = Access(ctx.principal, str(worker.id), grant, decisions=decisions)
        if grant is not None:
            pending += worker.view.start(_readable(ctx, access, sections))
        if any(_reads(access, s) for s in sections & set(LICENCES)):
            licensed.append(worker)
    if pending:
        await asyncio.wait(pending)
    if own_cases is not None:
        await own_cases
    await _licences(ctx, licensed)


def _readable(ctx: HubContext, access: Access, sections: set[str]) -> set[str]:
    """The agencies the sections ``access`` reads will ask."""
    return _agencies(ctx, access, {s for s in sections if _reads(access, s)})


def _reads(access: Access, section: str) -> bool:
    rule = POLICY.get(f"Worker.{section}")
    return rule is None or rule.gate is not Gate.SECTION or allowed(access, rule)


def _agencies(ctx: HubContext, access: Access, sections: set[str]) -> set[str]:
    hub = ctx.hub
    out: set[str] = set()
    for section in sections:
        if section in EVERY_AGENCY:
            out.update(hub.connectors)
        elif section in VISIBLE_AGENCIES:
            out.update(
                code
                for code, connector in hub.connectors.items()
                if agency_visible(access, connector.record_kinds)
            )
        else:
            for kind in SECTION_KINDS.get(section, ()):
                out.update(hub.agencies_with(kind))
    return out


async def _licences(ctx: HubContext, workers: list[Worker]) -> None:
    """The licences the placements name (the placements' and the verdict's next read)."""
    if ctx.licenses is None:
        return
    placing = ctx.hub.agencies_with(RecordKind.PLACEMENT)
    numbers: set[str] = set()
    for worker in workers:
        ready = worker.view.ready(placing)
        for result in (ready or {}).values():
            numbers.update(
                p.agency_license for s in result.sets for p in s.placements if p.agency_license
            )
    if numbers:
        with contextlib.suppress(ConnectorError):  # the sections meet it again and report it
            await ctx.licenses.load_many(sorted(numbers))


def _sections(selected: list[SelectedField]) -> set[str]:
    """The Worker fields selected under the root field (through fragments too); one under a
    directive (``@skip``, ``@include``) is left to itself, never fetched in advance."""
    out: set[str] = set()

    def walk(selections: list[Selection]) -> None:
        for selection in selections:
            if selection.directives:
                continue
            if isinstance(selection, SelectedField):
                out.add(selection.name)
            else:
                walk(selection.selections)

    for field in selected:
        walk(field.selections)
    return out


__all__ = ["SECTION_KINDS", "prefetch"]
