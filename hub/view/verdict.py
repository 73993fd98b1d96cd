"""The protection verdict for one worker view: the engine over every agency's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from connectors.kit.errors import ConnectorError
from hub.protection import Verdict, WorkerFacts, evaluate
from hub.view.loaders import load_all
from hub.view.worker_view import WorkerView
from schema.enums import SourceState
from schema.records import LicenseRecord, RecordSet

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

Note = Callable[[ConnectorError], None]


async def load_licenses(
    ctx: HubContext, sets: list[RecordSet], note: Note
) -> dict[str, LicenseRecord | None] | None:
    """The licences the placements name, from the registry; None when it cannot be read."""
    numbers = sorted({p.agency_license for s in sets for p in s.placements if p.agency_license})
    if not numbers or ctx.licenses is None:
        return {}
    try:
        found = await load_all(ctx.licenses, numbers)
    except ConnectorError as exc:
        note(exc)
        return None
    return dict(zip(numbers, found, strict=True))


async def verdict_for(ctx: HubContext, view: WorkerView, note: Note) -> Verdict:
    """A source that failed makes the verdict incomplete (never PROTECTED) and is named in
    its findings; ``note`` hears about each failure. Cases opened through the hub count like
    the missions' own (a detention opened at the hub is an emergency at once)."""
    own_cases = ctx.hub_cases.load(view.worker_id)
    results = await view.agencies(list(ctx.hub.connectors))
    hub_cases = await own_cases
    sets = [s for r in results.values() for s in r.sets]
    sources = {code: r.state for code, r in results.items()}
    for result in results.values():
        if result.error is not None:
            note(result.error)
    licenses = await load_licenses(ctx, sets, note)
    if licenses is None:
        registry = ctx.hub.license_registry
        if registry is not None:
            sources[registry.agency] = SourceState.UNAVAILABLE
        licenses = {}
    known = {number: lic for number, lic in licenses.items() if lic is not None}
    facts = WorkerFacts.assemble(sets, known, sources, [c.as_record() for c in hub_cases])
    return evaluate(facts, today=ctx.today)
