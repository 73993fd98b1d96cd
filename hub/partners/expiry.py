"""Consents end on the hub's own schedule: ``expire_consents`` ends every consent that lapsed
(its time ran out, its case closed, its organisation was suspended) with its new version, the
organisation's webhook event and a CHANGE audit entry, in one transaction (or none).

The app runs it every ``HUB_CONSENT_EXPIRY_SECONDS`` (``expire_periodically``, started and
stopped with the app like the census loop); ``pmihub consents expire`` runs it once. A read
that finds a lapse first still ends it there, with the same entry (hub/partners/ledger.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from hub.audit.trail import AuditTrail
from hub.partners.lapses import lapse_entries
from hub.partners.ledger import Consent, ConsentLedger

if TYPE_CHECKING:
    from hub.service import Hub

log = logging.getLogger("pmihub.consents")


def expire_consents(ledger: ConsentLedger, trail: AuditTrail) -> list[Consent]:
    """The consents that lapsed, ended now; AuditUnavailable leaves them as they were."""
    with trail.unit() as unit:
        ended = ledger.sweep(session=unit.session)
        unit.record(*lapse_entries(ended))
    return ended


async def expire_periodically(hub: Hub, seconds: float) -> None:
    """Every ``seconds``: end the lapsed consents and wake the webhook deliverer."""
    while True:
        try:
            ended = await hub.offload(expire_consents, hub.consents, hub.audit)
            if ended:
                log.info("consents ended: %d", len(ended))
                if hub.cases.deliverer is not None:
                    hub.cases.deliverer.kick()
        except Exception as exc:  # the next round tries again
            log.error("consent expiry round failed: %s", type(exc).__name__)
        await asyncio.sleep(seconds)


__all__ = ["expire_consents", "expire_periodically"]
