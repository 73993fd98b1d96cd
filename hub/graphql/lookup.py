"""Find workers by an agency identifier: the crosswalk first, then the agencies live.

A worker the crosswalk does not know yet (registered since the last sync) is looked up at the
agencies that can search by that identifier; their records are linked on the spot, so the
answer and every later one agree with what ``pmihub sync`` would have built.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlmodel import Session

from connectors.kit.base import LookupKey
from connectors.kit.errors import ConnectorError
from hub.crosswalk import Linker
from hub.search import index_records
from schema.enums import Agency

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

log = logging.getLogger("pmihub.lookup")

# argument name -> (crosswalk key kind, connector lookup key)
IDENTIFIERS: dict[str, tuple[str, LookupKey]] = {
    "nik": ("NIK", LookupKey.NIK),
    "passport": ("PASSPORT", LookupKey.PASSPORT),
    # BPJS's local id is the KPJ sealed (hub/crosswalk/record_ids.py): its own KPJ key finds it
    "kpj": (f"{Agency.BPJS_KETENAGAKERJAAN}:KPJ", LookupKey.KPJ),
    "pmiId": (f"{Agency.P2MI}:LOCAL_ID", LookupKey.PMI_ID),
}


async def find_by_identifier(ctx: HubContext, name: str, values: Sequence[str]) -> dict[str, str]:
    """Worker id per identifier value; values nobody knows are absent."""
    kind, key = IDENTIFIERS[name]
    found = ctx.hub.crosswalk.find(kind, values)
    missing = [v for v in values if v not in found]
    if not missing:
        return found
    records = []
    for connector in ctx.hub.connectors.values():
        if key not in connector.lookup_keys:
            continue
        try:
            matches = await connector.find(key, missing)
            local_ids = sorted({i for ids in matches.values() for i in ids})
            for start in range(0, len(local_ids), connector.batch_size):
                batch = local_ids[start : start + connector.batch_size]
                sets = await connector.fetch(batch)
                records.extend(s.person for s in sets.values())
        except ConnectorError as exc:
            log.warning("live lookup at %s failed: %s", connector.agency, exc.code)
            continue
    if records:
        with Session(ctx.hub.engine) as session:
            Linker(session, ctx.hub.pseudonymizer).link_many(records)
            index_records(session.connection(), records)
            session.commit()
        found.update(ctx.hub.crosswalk.find(kind, missing))
    return found
