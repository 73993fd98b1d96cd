"""The audit entries of consents that lapsed: one CHANGE entry each, by the hub itself.

The expiry loop (hub/partners/expiry.py) and a read that finds a lapse first
(hub/partners/ledger.py) record the same entries, in the transaction of the new versions.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hub.audit.entry import AccessEntry, Outcome

if TYPE_CHECKING:
    from hub.partners.ledger import Consent

OPERATION = "consentExpiry"


def lapse_entries(ended: Iterable[Consent]) -> list[AccessEntry]:
    """``consent expired cns_… of SBMI`` (or suspended) on each worker, one request id."""
    request = f"exp_{secrets.token_hex(8)}"
    return [
        AccessEntry(
            client_id="hub",
            subject="hub",
            operation=OPERATION,
            request_id=request,
            worker_id=c.worker_id,
            outcome=Outcome.CHANGE,
            reason=f"consent {c.status.lower()} {c.id} of {c.organisation}",
        )
        for c in ended
    ]


__all__ = ["OPERATION", "lapse_entries"]
