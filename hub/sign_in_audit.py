"""Sign-ins through the external OpenID Connect provider, in the hub's audit trail.

One entry per sign-in (outcome ``SIGN_IN``) or refusal (``REFUSED``): operation
``oauth:oidc:<outcome>[:<mission>]`` (``signedIn:HKG``, ``unmappedGroups``, ``stateInvalid``,
``idTokenAudience``...), the console's client id, the subject ``oidc:<sub>`` (or ``unknown``
before the ID token is verified), and for a sign-in the role's agency (``EMBASSY`` for
officers). No worker is involved: ``worker_id`` is empty, so these entries never appear in a
worker's access log.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from auth.oidc.routes import SignInEvent
from hub.audit import AccessEntry, AuditUnavailable, Outcome
from hub.observability import request_id

log = logging.getLogger("pmihub.audit")


class SignInRecorder:
    def __init__(self, record: Callable[[list[AccessEntry]], Awaitable[None]]) -> None:
        """``record`` writes entries off the event loop (the hub's ``offload``)."""
        self.record = record

    async def __call__(self, event: SignInEvent) -> bool:
        entry = AccessEntry(
            client_id=event.client_id[:80],
            subject=event.subject[:120],
            operation=":".join(filter(None, ("oauth:oidc", event.outcome, event.mission)))[:120],
            request_id=request_id.get() or secrets.token_hex(8),
            agency=event.agency,
            outcome=Outcome.REFUSED if event.refused else Outcome.SIGN_IN,
        )
        try:
            await self.record([entry])
        except AuditUnavailable:
            log.error("audit trail unavailable: a sign-in went unrecorded")
            return False
        return True


__all__ = ["SignInRecorder"]
