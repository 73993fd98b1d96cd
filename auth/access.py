"""What one principal may see of one worker's record: decided once per request and worker.

- a ``self`` principal reads its own record only, and there only what the hub's access
  policy marks ``self_reads`` (``hub/graphql/policy.py``): never officers' case notes nor
  next of kin; its NIK unmasked (it is theirs);
- an active break-glass grant for that worker lifts every field (read) scope;
- a ``partner`` principal reads only what the worker's ``consent`` to its organisation opens
  (decided per field by ``hub.graphql.enforce.allowed``; nothing by scope here);
- otherwise each field needs its scope (the NIK unmasked: ``worker.nik:read``).

The GraphQL layer resolves a refused field to null with ``Forbidden(scope).extensions()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from auth.breakglass import BreakGlass
from auth.errors import Forbidden
from auth.principal import Principal
from auth.scopes import READ_SCOPES


class ConsentTerms(Protocol):
    """What access needs of a consent (hub.partners.ledger.Consent)."""

    id: str

    @property
    def purpose(self) -> object: ...

    def opens(self, category: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Access:
    principal: Principal
    worker_id: str
    grant: BreakGlass | None = None
    consent: ConsentTerms | None = None  # a partner's: the worker's consent in force
    # Decisions shared by one request's Access objects that cannot decide differently from
    # one worker to the next (hub.graphql.enforce.allowed); None: decide every time.
    decisions: dict[Any, Any] | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def own_record(self) -> bool:
        return self.principal.is_self and self.principal.worker_id == self.worker_id

    def allows(self, scope: str | None, *, self_reads: bool = False) -> bool:
        """Whether a field needing ``scope`` (None: no scope) is visible; ``self_reads``:
        whether a self token reads that field on its own record."""
        if self.principal.is_self:
            return self.own_record and self_reads
        if self.principal.is_partner:
            return False  # consent categories, never scopes (hub.graphql.enforce.allowed)
        if scope is None:
            return True
        if self.grant is not None and scope in READ_SCOPES:
            return True
        return self.principal.has(scope)

    def check(self, scope: str, *, self_reads: bool = False) -> None:
        """Raise ``Forbidden`` naming ``scope`` unless it is allowed."""
        if not self.allows(scope, self_reads=self_reads):
            raise Forbidden(scope)


__all__ = ["Access", "ConsentTerms"]
