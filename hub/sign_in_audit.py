"""Sign-ins, in the hub's audit trail: through the external OpenID Connect provider, and hub
users' at the login page (auth/routes.py).

One entry per sign-in (outcome ``SIGN_IN``) or refusal (``REFUSED``): operation
``oauth:<method>:<outcome>[:<mission>]`` (``oauth:oidc:signedIn:HKG``,
``oauth:oidc:unmappedGroups``, ``oauth:password:signedIn:HKG``, ``oauth:password:wrongCode``...),
the console's client id, the
subject (``oidc:<sub>``, ``unknown`` before the ID token is verified, or the hub user's), and
for a sign-in the user's agency. No worker is
involved: ``worker_id`` is empty, so these entries never appear in a worker's access log.
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
            operation=":".join(filter(None, ("oauth", event.method, event.outcome, event.mission)))[
                :120
            ],
            request_id=request_id.get() or secrets.token_hex(8),
            agency=None if event.refused else event.agency,
            outcome=Outcome.REFUSED if event.refused else Outcome.SIGN_IN,
        )
        try:
            await self.record([entry])
        except AuditUnavailable:
            log.error("audit trail unavailable: a sign-in went unrecorded")
            return False
        return True


__all__ = ["SignInRecorder"]
