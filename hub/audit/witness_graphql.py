"""``Query.auditCheckpoints`` and ``Mutation.witnessAuditCheckpoints``: the signed checkpoints
for the agencies that witness the trail (``audit:read``). No personal data: a checkpoint is a
sequence number, a hash, a time, a key id and a signature."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.errors import Forbidden
from auth.scopes import Scope
from hub.audit.entry import AuditUnavailable, Outcome
from hub.audit.publish import MAX_PAGE, checkpoints_after, subscribe
from hub.audit.trail import AuditedChange
from hub.audit.witness import WitnessCheckpoint
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.guard import auth_error
from schema.clock import now


@strawberry.type(
    description="A signed audit checkpoint, as witnesses archive it (one JSON line each: "
    "docs/audit.md)."
)
class AuditCheckpoint:
    id: int = strawberry.field(description="Order of signing; pass the last to `after`.")
    seq: int
    head_hash: str
    signed_at: datetime
    key_id: str
    signature: str
    purged_before_seq: int | None
    next_public_key: str | None = strawberry.field(
        description="A hand-over: the next signing key (raw Ed25519 public key, base64)."
    )

    @classmethod
    def of(cls, number: int, cp: WitnessCheckpoint) -> AuditCheckpoint:
        return cls(
            id=number,
            seq=cp.seq,
            head_hash=cp.head_hash,
            signed_at=cp.signed_at,
            key_id=cp.key_id,
            signature=cp.signature,
            purged_before_seq=cp.purged_before_seq,
            next_public_key=cp.next_public_key,
        )


def _witness(info: Info) -> Any:
    ctx: Any = info.context
    if ctx.principal.is_self or not ctx.principal.has(Scope.AUDIT_READ):
        raise auth_error(Forbidden(Scope.AUDIT_READ))
    return ctx


def _unavailable() -> GraphQLError:
    error = AuditUnavailable()
    return hub_error(error.code, error.message_id, error.message_en)


@strawberry.type
class WitnessQueries:
    @strawberry.field(
        description="Signed audit checkpoints after the `after`-th, in the order signed, at "
        f"most `first` (1..{MAX_PAGE}) (audit:read)."
    )
    async def audit_checkpoints(
        self, info: Info, after: int = 0, first: int = 100
    ) -> list[AuditCheckpoint]:
        ctx = _witness(info)
        if not 1 <= first <= MAX_PAGE:
            raise bad_input(f"first harus 1..{MAX_PAGE}", f"first must be 1..{MAX_PAGE}", "first")
        if after < 0:
            raise bad_input("after tidak boleh negatif", "after must not be negative", "after")
        try:
            found = await ctx.hub.offload(checkpoints_after, ctx.hub.engine, after, first)
        except Exception as exc:  # the database: never a stack trace to the client
            raise _unavailable() from exc
        return [AuditCheckpoint.of(number, cp) for number, cp in found]


@strawberry.type
class WitnessMutations:
    @strawberry.mutation(
        description="Receive every signed audit checkpoint at one of your webhooks as the "
        "event `audit.checkpoint`, to archive as a witness (audit:read)."
    )
    async def witness_audit_checkpoints(self, info: Info, webhook_id: strawberry.ID) -> bool:
        ctx = _witness(info)
        client, hook = ctx.principal.client_id, str(webhook_id)[:40]

        def change(unit: AuditedChange, entry: Entry) -> bool:
            done = subscribe(unit.session.connection(), hook, client, now())
            if done:
                unit.record(entry(outcome=Outcome.CHANGE, reason=f"witness added {hook}"))
            return done

        try:
            done = await commit_audited(ctx, change)
        except GraphQLError:
            raise  # AUDIT_UNAVAILABLE: nothing changed
        except Exception as exc:
            raise _unavailable() from exc
        if not done:
            raise hub_error(
                "NOT_FOUND",
                "Webhook tidak ditemukan di antara webhook aktif Anda",
                "No such active webhook of yours",
                argument="webhookId",
            )
        return True


__all__ = ["AuditCheckpoint", "WitnessMutations", "WitnessQueries"]
