"""Who may change a case: the client that opened it, officers of the case's mission, and
supervisors holding ``case:admin``.

A machine client (client credentials: its subject is the client) changes the cases it opened;
an officer signed in changes the cases they opened and every case of their own mission (the
token's ``mission`` claim); ``case:admin`` changes any case. Anyone else is refused with
FORBIDDEN and the attempt is recorded in the audit trail (hub/graphql/cases.py).
"""

from __future__ import annotations

from hub.cases.lifecycle import CaseError
from hub.cases.records import Actor


def may_change(actor: Actor, mission_code: str | None, opener: tuple[str, str]) -> bool:
    """``opener`` is the (client id, subject) that opened the case."""
    if actor.admin:
        return True
    if actor.mission is not None and actor.mission == mission_code:
        return True
    return (actor.client_id, actor.subject) == opener


def not_owner(case_id: str) -> CaseError:
    return CaseError(
        "FORBIDDEN",
        "Kasus ini hanya dapat diubah oleh instansi yang membukanya, petugas perwakilan "
        "kasus ini, atau pemegang case:admin",
        "Only the agency that opened this case, officers of its mission, or case:admin "
        "may change it",
        "id",
    )


__all__ = ["may_change", "not_owner"]
