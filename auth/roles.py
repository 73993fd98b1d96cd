"""The roles a hub user can have, and the scopes each grants: the one table docs/auth.md shows.

A user's scopes are their role's, or a narrower set the operator chose (``--scope``). An
officer belongs to a mission (a code of ``schema.missions``); staff roles sign in with a second
factor (TOTP); a worker signs in as one hub worker id and reads only their own record; a case
worker acts for one partner organisation (its code as agency; ``pmihub partners add-worker``
checks it is accredited) and reads only what workers consented to.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.scopes import READ_SCOPES, Scope


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    scopes: frozenset[str]
    text_id: str
    text_en: str
    agency: str  # the default agency its users act for
    mission: bool = False  # must belong to a mission
    second_factor: bool = True  # TOTP at sign-in
    worker: bool = False  # signs in as one worker (scope self, a worker id)
    organisation: bool = False  # acts for a partner organisation (its code as agency)


S = Scope
ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(
            "officer",
            frozenset(READ_SCOPES | {S.CASE_WRITE, S.EMERGENCY}),
            "Petugas pelindungan di perwakilan RI",
            "Protection officer at a mission",
            agency="EMBASSY",
            mission=True,
        ),
        Role(
            "auditor",
            frozenset({S.AUDIT_READ, S.CASE_READ}),
            "Pemeriksa jejak akses (audit)",
            "Auditor of the access trail",
            agency="PMIHUB",
        ),
        Role(
            "identity-reviewer",
            frozenset({S.IDENTITY_ADMIN, S.WORKER_IDENTITY_READ}),
            "Peninjau keterkaitan identitas",
            "Reviewer of identity links",
            agency="PMIHUB",
        ),
        Role(
            "case-worker",
            frozenset({S.PARTNER}),
            "Pendamping di organisasi mitra (serikat/LSM), atas persetujuan pekerja",
            "Case worker of a partner organisation (union/NGO), with workers' consent",
            agency="",
            organisation=True,
        ),
        Role(
            "worker",
            frozenset({S.SELF}),
            "Pekerja migran (data sendiri)",
            "Migrant worker (own record)",
            agency="",
            second_factor=False,
            worker=True,
        ),
    )
}


class UnknownRole(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"role must be one of {', '.join(ROLES)}, got {name[:40]!r}")


def find_role(name: str) -> Role:
    found = ROLES.get(name)
    if found is None:
        raise UnknownRole(name)
    return found


def role_for(scopes: frozenset[str]) -> Role | None:
    """The first role (in table order) whose scopes cover ``scopes``."""
    return next((r for r in ROLES.values() if scopes <= r.scopes), None)


__all__ = ["ROLES", "Role", "UnknownRole", "find_role", "role_for"]
