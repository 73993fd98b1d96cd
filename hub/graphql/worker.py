"""The Worker entity: one migrant worker, one view across agencies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from auth.access import Access
from auth.errors import Forbidden
from auth.purpose import Purpose
from connectors.kit.errors import ConnectorError
from hub.crosswalk import Link
from hub.graphql.eager import eager
from hub.graphql.enforce import agency_visible, field_allowed
from hub.graphql.errors import hub_error, source_error
from hub.graphql.guard import auth_error, require_purpose, why
from hub.graphql.policy import KIND_SCOPES, POLICY, SCOPE_SECTIONS
from hub.graphql.protection import ProtectionStatus
from hub.graphql.redact import redact
from hub.view import sections
from hub.view.verdict import load_licenses, verdict_for
from hub.view.worker_view import AgencyResult, WorkerView
from schema.graphql import types as t
from schema.identifiers import mask_nik
from schema.records import MissionRecord, RecordKind, RecordSet

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


def _path(info: Info) -> list[str | int]:
    return list(info.path.as_list())


def _requested(info: Info, name: str) -> bool:
    """Whether the query selects ``name`` under this field, aliased or inside fragments
    (worked out once per request and selection, not once per worker of a batch)."""
    key = (name, *map(id, info._raw_info.field_nodes))
    known: dict[tuple[object, ...], bool] = info.context.requested
    found = known.get(key)
    if found is None:
        found = known[key] = _selects(info, name)
    return found


def _selects(info: Info, name: str) -> bool:
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
        self, info: Info, kind: RecordKind, *, partial: bool, hidden: frozenset[str] = frozenset()
    ) -> dict[str, AgencyResult]:
        """Results of the agencies holding ``kind``. A failed agency nulls the section unless
        ``partial``, where the others still answer and the failure is reported beside (unless
        the agency is ``hidden``: that it holds a record of the worker is its section's data)."""
        ctx: HubContext = info.context
        results = await self.view.agencies(ctx.hub.agencies_with(kind))
        failed = [r for r in results.values() if r.error is not None]
        if failed and (not partial or len(failed) == len(results)):
            raise source_error(failed[0].error)  # type: ignore[arg-type]
        note = _noter(ctx, info, hidden)
        for r in failed:
            note(r.error)  # type: ignore[arg-type]
        return {code: r for code, r in results.items() if r.error is None}

    @strawberry.field
    async def identity(self, info: Info) -> t.Identity | None:
        ctx: HubContext = info.context
        worker_id = str(self.id)
        access = await ctx.access(worker_id)
        hidden = _hidden_agencies(ctx, access)
        results = await self._results(info, RecordKind.PERSON, partial=True, hidden=hidden)
        links = _visible_links(ctx, access, self.view.links)
        identity = sections.build_identity(results.values(), links, ctx.hub.regencies)
        if identity is None:
            return None
        ctx.audit_returned(worker_id, "identity")
        if ctx.principal.is_partner:  # a partner: passport numbers partly masked
            for passport in identity.passports:
                passport.number = "*" * max(len(passport.number) - 4, 0) + passport.number[-4:]
        if identity.nik:
            if not field_allowed(access, "Identity.nik"):
                identity.nik = mask_nik(identity.nik)
            elif _requested(info, "nik"):
                ctx.audit_returned(worker_id, POLICY["Identity.nik"].category or "nik")
        for name, attribute in (("phone", "phone"), ("nextOfKin", "next_of_kin")):
            rule = POLICY[f"Identity.{name}"]
            asked = _requested(info, name)
            if not field_allowed(access, f"Identity.{name}"):
                setattr(identity, attribute, None)
                if asked:
                    error = Forbidden(rule.scope or "self")
                    ctx.audit_refused(worker_id, rule.category or "contact", reason=why(error))
                    ctx.soft_errors.append(auth_error(error, [*_path(info), name]))
            elif asked and getattr(identity, attribute) is not None:
                ctx.audit_returned(worker_id, rule.category or "contact")
        return identity

    @strawberry.field
    async def placements(self, info: Info) -> list[t.Placement] | None:
        ctx: HubContext = info.context
        # The missions' endorsements are fetched alongside the placements, not after them.
        missions = ctx.hub.agencies_with(RecordKind.ENDORSEMENT)
        self.view.start(missions)
        results = await self._results(info, RecordKind.PLACEMENT, partial=False)
        endorsing = await self.view.agencies(missions)
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
        placements = sections.build_placements(sets, licenses, endorsements)
        if ctx.principal.is_partner and ctx.principal.purpose is not Purpose.LEGAL_AID:
            for placement in placements:  # where the worker is: withheld from partners
                if placement.employer is not None:
                    placement.employer.city = placement.employer.phone = None
        return placements

    @strawberry.field
    async def protection(self, info: Info) -> ProtectionStatus | None:
        """The verdict over every agency's records; a source that failed makes it
        incomplete (never PROTECTED) and is named in the findings. The findings carry only
        what the token may read (hub.graphql.redact)."""
        ctx: HubContext = info.context
        access = await ctx.access(str(self.id))
        hidden = _hidden_agencies(ctx, access)
        verdict = await verdict_for(ctx, self.view, _noter(ctx, info, hidden))
        missions = await self._case_missions(ctx) if access.own_record else {}
        ctx.audit_returned(str(self.id), "protection")
        findings = redact(verdict.findings, access, missions, hidden)
        return ProtectionStatus.of(verdict, findings)

    async def _case_missions(self, ctx: HubContext) -> dict[str, MissionRecord]:
        """Each open case's record id -> its mission (the verdict has fetched them already)."""
        own_cases = ctx.hub_cases.load(str(self.id))
        results = await self.view.agencies(ctx.hub.agencies_with(RecordKind.CASE))
        own = await own_cases
        cases = [c for r in results.values() for s in r.sets for c in s.cases]
        cases += [c.as_record() for c in own]
        return {c.provenance.record_id: c.mission for c in cases if c.mission is not None}

    @strawberry.field
    async def social_security(self, info: Info) -> t.SocialSecurity | None:
        results = await self._results(info, RecordKind.MEMBERSHIP, partial=False)
        sets = [s for r in results.values() for s in r.sets]
        info.context.audit_returned(str(self.id), "social_security")
        return sections.build_social_security(sets, info.context.today)

    @strawberry.field
    async def consular(self, info: Info) -> t.ConsularRecord | None:
        results = await self._results(info, RecordKind.CONSULAR_REPORT, partial=False)
        info.context.audit_returned(str(self.id), "consular")
        record = sections.build_consular(results.values())
        if info.context.principal.is_partner:  # where the worker lives: never to a partner
            record.address_abroad = None
        return record

    @strawberry.field
    async def cases(self, info: Info) -> list[t.Case] | None:
        ctx: HubContext = info.context
        if ctx.principal.is_partner:
            return await self._partner_cases(ctx)
        # The hub's own cases stand even when every mission is unreachable (reported beside).
        missions = ctx.hub.agencies_with(RecordKind.CASE)
        self.view.start(missions)
        own = await ctx.hub_cases.load(str(self.id))
        results = await self.view.agencies(missions)
        for result in results.values():
            if result.error is not None:
                ctx.note(result.error, _path(info))
        answered = [r for r in results.values() if r.error is None]
        ctx.audit_returned(str(self.id), "case")
        return sections.build_cases(answered, own, str(self.id))

    async def _partner_cases(self, ctx: HubContext) -> list[t.Case]:
        """A partner's view of the cases: the hub's own (the consented case only, when the
        consent is bound to one), their status history without the officers' notes."""
        consent = await ctx.consent(str(self.id))
        own = await ctx.hub_cases.load(str(self.id))
        if consent is not None and consent.case_id is not None:
            own = [c for c in own if c.id == consent.case_id]
        ctx.audit_returned(str(self.id), "case")
        cases = sections.build_cases([], own, str(self.id))
        for case in cases:
            for entry in case.history:
                entry.note = None
        return cases

    @strawberry.field(
        description="Each agency whose section the token reads: does it hold "
        "this worker's records, and could it be read."
    )
    def sources(self, info: Info) -> list[t.SourceStatus]:
        return eager(self._sources(info))  # type: ignore[return-value]  # see hub.graphql.eager

    async def _sources(self, info: Info) -> list[t.SourceStatus]:
        ctx: HubContext = info.context
        worker_id = str(self.id)
        access = await ctx.access(worker_id)
        connectors = ctx.hub.connectors
        visible = [c for c, conn in connectors.items() if agency_visible(access, conn.record_kinds)]
        results = await self.view.agencies(visible)
        for code, result in results.items():
            if result.sets:  # that the agency holds records is that section's data
                ctx.audit_returned(worker_id, *_categories(access, connectors[code].record_kinds))
        return [
            t.SourceStatus(
                agency=t.AgencyEnum(code),
                state=result.state,
                fetched_at=result.fetched_at,
                message=result.error.code if result.error is not None else None,
            )
            for code, result in results.items()
        ]


def _hidden_agencies(ctx: HubContext, access: Access) -> frozenset[str]:
    """The agencies whose section the token does not read."""
    connectors = ctx.hub.connectors.items()
    return frozenset(c for c, conn in connectors if not agency_visible(access, conn.record_kinds))


def _noter(ctx: HubContext, info: Info, hidden: frozenset[str]) -> Callable[[ConnectorError], None]:
    """Reports a source failure beside the answer, unless it names a hidden agency (the
    verdict's ``complete: false`` still says something is missing)."""

    def note(exc: ConnectorError) -> None:
        if exc.agency not in hidden:
            ctx.note(exc, _path(info))

    return note


def _visible_links(ctx: HubContext, access: Access, links: list[Link]) -> list[Link]:
    """The crosswalk links of agencies whose section the token reads (a local id is a KPJ,
    an ID PMI…; that an agency holds one at all is that agency's data)."""
    if not field_allowed(access, "Identity.links"):
        return []
    connectors = ctx.hub.connectors
    return [
        link
        for link in links
        if link.agency in connectors
        and agency_visible(access, connectors[link.agency].record_kinds)
    ]


def _categories(access: Access, kinds: frozenset[RecordKind]) -> set[str]:
    sections = {SCOPE_SECTIONS[KIND_SCOPES[k]] for k in kinds if k in KIND_SCOPES}
    sections = sections or {"Worker.identity"}  # an agency of person records only
    return {POLICY[s].category or "" for s in sections if field_allowed(access, s)} - {""}


async def consented(ctx: HubContext, worker_id: str) -> bool:
    """Whether a partner holds a consent in force from this worker for its purpose. None
    at all answers as an unknown worker does; one that lapsed (revoked, expired, suspended)
    is CONSENT_REVOKED, from the first read after it lapsed."""
    if await ctx.consent(worker_id) is not None:
        return True
    purpose = ctx.principal.purpose
    lapsed = [c for c in await ctx.partner_consents.load(worker_id) if c.purpose == purpose]
    if not lapsed:
        return False
    ctx.audit_refused(worker_id, "identity", reason=f"CONSENT_REVOKED {lapsed[0].status}")
    raise hub_error(
        "CONSENT_REVOKED",
        "Persetujuan pekerja sudah dicabut atau tidak berlaku lagi; akses dihentikan",
        "The worker's consent was revoked or is no longer in force; access has stopped",
        consentId=lapsed[0].id,
        status=lapsed[0].status,
    )


async def load_worker(ctx: HubContext, worker_id: str | None) -> Worker | None:
    """The worker, or None when unknown, or when a ``self`` principal asks for anyone else
    (answered exactly as for a worker that does not exist), or a partner holds no consent."""
    if worker_id is None:
        return None
    return await _consented(ctx, _worker(ctx, await ctx.workers.load(worker_id)))


async def load_workers(ctx: HubContext, worker_ids: list[str | None]) -> list[Worker | None]:
    """``load_worker`` for a batch, in one crosswalk read and no task per worker."""
    wanted = [i for i in dict.fromkeys(worker_ids) if i is not None]
    found = dict(zip(wanted, await ctx.workers.load_many(wanted), strict=True))
    workers = [_worker(ctx, found[i]) if i is not None else None for i in worker_ids]
    if ctx.principal.is_partner:  # one consent look-up for the batch (a DataLoader)
        workers = list(await asyncio.gather(*(_consented(ctx, w) for w in workers)))
    return workers


def _worker(ctx: HubContext, found: tuple[str, list[Link]] | None) -> Worker | None:
    if found is None:
        return None
    canonical, links = found
    if not ctx.principal.may_read_worker(canonical):
        return None
    return Worker(id=strawberry.ID(canonical), view=WorkerView(canonical, links, ctx.records))


async def _consented(ctx: HubContext, worker: Worker | None) -> Worker | None:
    if worker is None or not ctx.principal.is_partner:
        return worker
    return worker if await consented(ctx, str(worker.id)) else None
