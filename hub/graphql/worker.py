"""The Worker entity: one migrant worker, one view across agencies."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from auth.access import SECTION_SCOPES
from auth.errors import Forbidden
from hub.graphql.errors import source_error
from hub.graphql.guard import auth_error, check_section, require_purpose
from hub.graphql.protection import ProtectionStatus
from hub.view import sections
from hub.view.verdict import load_licenses, verdict_for
from hub.view.worker_view import AgencyResult, WorkerView
from schema.graphql import types as t
from schema.records import RecordKind, RecordSet

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


def _path(info: Info) -> list[str | int]:
    return list(info.path.as_list())


def _requested(info: Info, name: str) -> bool:
    """Whether the query selects ``name`` under this field, aliased or inside fragments."""

    def walk(selections: list[Selection]) -> bool:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name == name:
                    return True
            elif walk(selection.selections):  # fragment spread or inline fragment
                return True
        return False

    return any(walk(field.selections) for field in info.selected_fields)


@strawberry.federation.type(
    keys=["id"], description="One migrant worker, one view across agencies."
)
class Worker:
    id: strawberry.ID
    view: strawberry.Private[WorkerView]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Worker | None:
        # Called once per representation: the crosswalk loader batches them into one query.
        require_purpose(info.context)
        return await load_worker(info.context, str(id))

    async def _results(
        self, info: Info, kind: RecordKind, *, partial: bool
    ) -> dict[str, AgencyResult]:
        """Results of the agencies holding ``kind``. A failed agency nulls the section unless
        ``partial``, where the others still answer and the failure is reported beside."""
        ctx: HubContext = info.context
        results = await self.view.agencies(ctx.hub.agencies_with(kind))
        failed = [r for r in results.values() if r.error is not None]
        if failed and (not partial or len(failed) == len(results)):
            raise source_error(failed[0].error)  # type: ignore[arg-type]
        for r in failed:
            ctx.note(r.error, _path(info))  # type: ignore[arg-type]
        return {code: r for code, r in results.items() if r.error is None}

    @strawberry.field
    async def identity(self, info: Info) -> t.Identity | None:
        ctx: HubContext = info.context
        await check_section(ctx, str(self.id), "identity")
        results = await self._results(info, RecordKind.PERSON, partial=True)
        identity = sections.build_identity(results.values(), self.view.links, ctx.hub.regencies)
        if identity is None:
            return None
        access = await ctx.access(str(self.id))
        ctx.audit_returned(str(self.id), "identity")
        if identity.nik:
            identity.nik = access.nik(identity.nik)
            if identity.nik.isdigit() and _requested(info, "nik"):
                ctx.audit_returned(str(self.id), "nik")
        if (
            identity.next_of_kin is not None
            and _requested(info, "nextOfKin")
            and access.section("nextOfKin")
        ):
            ctx.audit_returned(str(self.id), "contact")
        if not access.section("nextOfKin"):
            identity.next_of_kin = None
            if _requested(info, "nextOfKin"):
                ctx.audit_refused(str(self.id), "contact")
                ctx.soft_errors.append(
                    auth_error(Forbidden(SECTION_SCOPES["nextOfKin"]), [*_path(info), "nextOfKin"])
                )
        return identity

    @strawberry.field
    async def placements(self, info: Info) -> list[t.Placement] | None:
        await check_section(info.context, str(self.id), "placements")
        ctx: HubContext = info.context
        # The missions' endorsements are fetched alongside the placements, not after them.
        results, endorsing = await asyncio.gather(
            self._results(info, RecordKind.PLACEMENT, partial=False),
            self.view.agencies(ctx.hub.agencies_with(RecordKind.ENDORSEMENT)),
        )
        sets = [s for r in results.values() for s in r.sets]
        licenses = await load_licenses(ctx, sets, lambda exc: ctx.note(exc, _path(info)))
        endorsements: dict[str, list[RecordSet]] | None = {}
        for code, result in endorsing.items():
            if result.error is not None:
                endorsements = None
                ctx.note(result.error, _path(info))
                break
            endorsements[code] = result.sets
        ctx.audit_returned(str(self.id), "placement")
        return sections.build_placements(sets, licenses, endorsements)

    @strawberry.field
    async def protection(self, info: Info) -> ProtectionStatus | None:
        """The verdict over every agency's records; a source that failed makes it
        incomplete (never PROTECTED) and is named in the findings."""
        await check_section(info.context, str(self.id), "protection")
        ctx: HubContext = info.context
        verdict = await verdict_for(ctx, self.view, lambda exc: ctx.note(exc, _path(info)))
        ctx.audit_returned(str(self.id), "protection")
        return ProtectionStatus.of(verdict)

    @strawberry.field
    async def social_security(self, info: Info) -> t.SocialSecurity | None:
        await check_section(info.context, str(self.id), "socialSecurity")
        results = await self._results(info, RecordKind.MEMBERSHIP, partial=False)
        sets = [s for r in results.values() for s in r.sets]
        info.context.audit_returned(str(self.id), "social_security")
        return sections.build_social_security(sets, info.context.today)

    @strawberry.field
    async def consular(self, info: Info) -> t.ConsularRecord | None:
        await check_section(info.context, str(self.id), "consular")
        results = await self._results(info, RecordKind.CONSULAR_REPORT, partial=False)
        info.context.audit_returned(str(self.id), "consular")
        return sections.build_consular(results.values())

    @strawberry.field
    async def cases(self, info: Info) -> list[t.Case] | None:
        ctx: HubContext = info.context
        await check_section(ctx, str(self.id), "cases")
        # The hub's own cases stand even when every mission is unreachable (reported beside).
        results, own = await asyncio.gather(
            self.view.agencies(ctx.hub.agencies_with(RecordKind.CASE)),
            ctx.hub_cases.load(str(self.id)),
        )
        for result in results.values():
            if result.error is not None:
                ctx.note(result.error, _path(info))
        answered = [r for r in results.values() if r.error is None]
        ctx.audit_returned(str(self.id), "case")
        return sections.build_cases(answered, own, str(self.id))

    @strawberry.field
    async def sources(self, info: Info) -> list[t.SourceStatus]:
        ctx: HubContext = info.context
        results = await self.view.agencies(list(ctx.hub.connectors))
        return [
            t.SourceStatus(
                agency=t.AgencyEnum(code),
                state=result.state,
                fetched_at=result.fetched_at,
                message=result.error.code if result.error is not None else None,
            )
            for code, result in results.items()
        ]


async def load_worker(ctx: HubContext, worker_id: str | None) -> Worker | None:
    """The worker, or None when unknown, or when a ``self`` principal asks for anyone else
    (answered exactly as for a worker that does not exist)."""
    if worker_id is None:
        return None
    found = await ctx.workers.load(worker_id)
    if found is None:
        return None
    canonical, links = found
    if not ctx.principal.may_read_worker(canonical):
        return None
    return Worker(id=strawberry.ID(canonical), view=WorkerView(canonical, links, ctx.records))
