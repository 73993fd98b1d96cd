"""What one principal may see of one worker's record: decided once per request and worker.

- a ``self`` principal sees every section of its own record (NIK unmasked: it is theirs) and
  nothing of anyone else's;
- an active break-glass grant for that worker lifts every field (read) scope;
- otherwise each section needs its scope (``SECTION_SCOPES``), and the NIK is masked unless
  ``worker.nik:read`` (``schema.identifiers.mask_nik``).

The GraphQL layer resolves a refused field to null with ``Forbidden(scope).extensions()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.breakglass import BreakGlass
from auth.errors import Forbidden
from auth.principal import Principal
from auth.scopes import READ_SCOPES, Scope
from schema.identifiers import mask_nik

SECTION_SCOPES: dict[str, Scope] = {
    "identity": Scope.WORKER_IDENTITY_READ,
    "nextOfKin": Scope.WORKER_CONTACT_READ,
    "placements": Scope.PLACEMENT_READ,
    "socialSecurity": Scope.SOCIAL_SECURITY_READ,
    "consular": Scope.CONSULAR_READ,
    "cases": Scope.CASE_READ,
    "protection": Scope.PROTECTION_READ,
}


@dataclass(frozen=True, slots=True)
class Access:
    principal: Principal
    worker_id: str
    grant: BreakGlass | None = None

    @property
    def own_record(self) -> bool:
        return self.principal.is_self and self.principal.worker_id == self.worker_id

    def allows(self, scope: str) -> bool:
        if self.principal.is_self:
            return self.own_record and scope in READ_SCOPES
        if self.grant is not None and scope in READ_SCOPES:
            return True
        return self.principal.has(scope)

    def check(self, scope: str) -> None:
        """Raise ``Forbidden`` naming ``scope`` unless it is allowed."""
        if not self.allows(scope):
            raise Forbidden(scope)

    def section(self, name: str) -> bool:
        """Whether the Worker section ``name`` (``placements``, ``socialSecurity``…) is visible."""
        return self.allows(SECTION_SCOPES[name])

    def nik(self, nik: str) -> str:
        return nik if self.allows(Scope.WORKER_NIK_READ) else mask_nik(nik)


__all__ = ["SECTION_SCOPES", "Access"]
