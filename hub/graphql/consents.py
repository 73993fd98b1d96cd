"""Consents in the API: ``consents``, ``grantConsent``, ``revokeConsent`` and ``referCase``.

Who may call each is declared in hub/graphql/policy.py and checked before these resolvers run:

- ``grantConsent``: the worker signed in (a ``self`` token) only; capture channel SELF, the
  token's id recorded as the authentication event;
- ``revokeConsent``: the worker (their own consent), or an officer with ``case:write`` (an
  assisted revocation at a mission, the officer recorded);
- ``consents``: a worker's own; a partner's, those given to it; an officer's (``case:read``),
  one worker's;
- ``referCase``: a partner holding a consent in force that opens ``case``; the case routes to
  the mission of the worker's country and shows the organisation as its pendamping.

Each mutation commits with its audit entry or not at all (``commit_audited``): a consent
granted or revoked is a CHANGE entry naming it, so AUDIT_UNAVAILABLE leaves no consent given,
none revoked and no organisation told. Bad input gets a typed error and changes nothing; a
consent no longer in force answers CONSENT_REVOKED.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from auth.purpose import Purpose
from hub.audit import Outcome
from hub.audit.trail import AuditedChange
from hub.cases import Actor, CaseError, CaseEvent
from hub.edge.idempotency import IdempotencyError
from hub.graphql.audit import commit_audited
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.idempotent import arguments_of, idempotency, idempotency_error
from hub.partners.ledger import ASSISTED, SELF, Capture, ConsentError
from hub.partners.ledger import Consent as ConsentRecord
from hub.partners.text import consent_text
from hub.view.sections import hub_case
from schema.enums import Severity
from schema.graphql import types as t

if TYPE_CHECKING:
    from hub.graphql.audit import Entry
    from hub.graphql.context import HubContext


CATEGORY = "case"  # a consent read is recorded as the worker's case data (Query.consents)


@strawberry.enum(description="Why a partner organisation may see the data (closed list).")
class ConsentPurpose(Enum):
    CASE_ASSISTANCE = "CASE_ASSISTANCE"
    CLAIM_ASSISTANCE = "CLAIM_ASSISTANCE"
    LEGAL_AID = "LEGAL_AID"
    REPATRIATION_SUPPORT = "REPATRIATION_SUPPORT"
    REINTEGRATION = "REINTEGRATION"


@strawberry.enum
class ConsentStatus(Enum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    SUSPENDED = "SUSPENDED"


@strawberry.type(description="The receipt: the exact text shown, in Indonesian and English.")
class ConsentReceipt:
    text_id: str
    text_en: str
    text_hash: str = strawberry.field(description="sha256 of the text shown; the ledger's.")
    signature: str = strawberry.field(description="The hub's Ed25519 signature (base64).")
    key_id: str


@strawberry.type(description="A worker's consent to a partner organisation (VIEW only).")
class Consent:
    id: strawberry.ID
    version: int
    worker_id: strawberry.ID
    organisation: str
    organisation_name: str
    purpose: ConsentPurpose
    categories: list[str]
    include_next_of_kin: bool
    valid_from: dt.datetime
    valid_until: dt.datetime
    status: ConsentStatus
    case_id: strawberry.ID | None
    channel: str = strawberry.field(description="SELF or ASSISTED_AT_MISSION.")
    officer: str | None = strawberry.field(description="The witnessing officer, if assisted.")
    receipt: ConsentReceipt

    @classmethod
    def of(cls, c: ConsentRecord, name: str) -> Consent:
        text = consent_text(
            name,
            c.purpose,
            list(c.categories),
            c.valid_until,
            next_of_kin=c.include_next_of_kin,
            case_id=c.case_id,
        )
        return cls(
            id=strawberry.ID(c.id),
            version=c.version,
            worker_id=strawberry.ID(c.worker_id),
            organisation=c.organisation,
            organisation_name=name,
            purpose=ConsentPurpose(c.purpose.value),
            categories=list(c.categories),
            include_next_of_kin=c.include_next_of_kin,
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            status=ConsentStatus(c.status),
            case_id=strawberry.ID(c.case_id) if c.case_id else None,
            channel=c.channel,
            officer=c.officer,
            receipt=ConsentReceipt(
                text_id=text.id,
                text_en=text.en,
                text_hash=c.text_hash,
                signature=c.signature,
                key_id=c.key_id,
            ),
        )


@strawberry.input
class GrantConsentInput:
    organisation: str
    purpose: ConsentPurpose
    categories: list[str]
    days: int = 90
    case_id: strawberry.ID | None = None
    include_next_of_kin: bool = False
    language: str = strawberry.field(default="id", description="id or en: the text read.")


@strawberry.type(description="The exact text a worker is shown before consenting, and its hash.")
class ConsentText:
    text_id: str
    text_en: str
    text_hash: str


async def consent_text_for(info: Info, input: GrantConsentInput) -> ConsentText:
    """Resolver of ``Query.consentText`` (self only): the words ``grantConsent`` will record
    the hash of, for the same terms (the console shows them before the worker agrees)."""
    ctx: HubContext = info.context
    try:
        text, _, _ = await ctx.hub.offload(
            partial(
                ctx.hub.consents.terms_text,
                input.organisation[:40],
                Purpose(input.purpose.value),
                [c[:40] for c in input.categories[:20]],
                input.days,
                include_next_of_kin=input.include_next_of_kin,
                case_id=str(input.case_id)[:40] if input.case_id else None,
            )
        )
    except ConsentError as exc:
        raise consent_error(exc) from None
    return ConsentText(text_id=text.id, text_en=text.en, text_hash=text.hash)


def consent_error(exc: ConsentError) -> GraphQLError:
    extra = {"argument": exc.argument} if exc.argument else {}
    return hub_error(exc.code, exc.text_id, exc.text_en, **extra)


async def _views(ctx: HubContext, found: list[ConsentRecord]) -> list[Consent]:
    names = {o.code: o.name for o in await ctx.hub.offload(ctx.hub.partners.list)}
    return [Consent.of(c, names.get(c.organisation, c.organisation)) for c in found]


def _kick(ctx: HubContext) -> None:
    deliverer = ctx.hub.cases.deliverer
    if deliverer is not None:
        deliverer.kick()


async def consents(info: Info, worker_id: strawberry.ID | None = None) -> list[Consent]:
    """Resolver of ``Query.consents`` (the policy has let the caller in)."""
    from hub.graphql.cases import _canonical_worker  # cases -> live -> limits -> query -> here

    ctx: HubContext = info.context
    principal = ctx.principal
    ledger = ctx.hub.consents
    if principal.is_self:
        own = str(principal.worker_id)
        if worker_id is not None and await _canonical_worker(ctx, str(worker_id)) != own:
            return []
        read = [own]
        found = await ctx.hub.offload(ledger.for_worker, own)
    elif principal.is_partner:
        wanted = await _canonical_worker(ctx, str(worker_id)) if worker_id else None
        found = await ctx.hub.offload(ledger.for_organisation, principal.agency or "", wanted)
        read = [c.worker_id for c in found]
        for c in found:  # the partner's read names the consent it saw (the data tracker)
            ctx.grants_used.setdefault(c.worker_id, c.id)
    else:
        if worker_id is None:
            raise bad_input("Sebutkan workerId", "Give a workerId", "workerId")
        read = [await _canonical_worker(ctx, str(worker_id))]
        found = await ctx.hub.offload(ledger.for_worker, read[0])
    for worker in read:  # which organisations accompany a worker is the worker's data
        ctx.audit_returned(worker, CATEGORY)
    return await _views(ctx, found)


@strawberry.type
class ConsentMutations:
    @strawberry.mutation(
        description="The worker, signed in, consents to a partner organisation seeing the "
        "chosen categories for one purpose (self token only). VIEW only; at most 90 days."
    )
    async def grant_consent(self, info: Info, input: GrantConsentInput) -> Consent:
        ctx: HubContext = info.context
        worker = str(ctx.principal.worker_id)
        capture = Capture(SELF, worker, auth_event=ctx.principal.token_id, language=input.language)
        idem = idempotency(ctx, "grantConsent", arguments_of(input))

        def change(unit: AuditedChange, entry: Entry) -> ConsentRecord | str:
            at = ctx.hub.consents.clock()
            if idem is not None and (prior := idem.prior(unit.session, at)) is not None:
                return prior  # a retry: the consent the first attempt gave
            given = ctx.hub.consents.grant(
                worker,
                input.organisation[:40],
                Purpose(input.purpose.value),
                [c[:40] for c in input.categories[:20]],
                capture,
                days=input.days,
                include_next_of_kin=input.include_next_of_kin,
                case_id=str(input.case_id)[:40] if input.case_id else None,
                session=unit.session,
            )
            reason = f"consent granted {given.id} to {given.organisation}"
            unit.record(entry(worker_id=worker, outcome=Outcome.CHANGE, reason=reason))
            if idem is not None:
                idem.keep(unit.session, given.id, at)
            return given

        try:
            given = await commit_audited(ctx, change)
        except ConsentError as exc:
            raise consent_error(exc) from None
        except IdempotencyError as exc:
            ctx.audit_refused(worker, reason=exc.code)
            raise idempotency_error(exc) from None
        if isinstance(given, str):
            found = await ctx.hub.offload(ctx.hub.consents.get, given)
            assert found is not None  # the ledger is append-only
            given = found
        return (await _views(ctx, [given]))[0]

    @strawberry.mutation(
        description="End a consent at once: the worker's own, or at a mission by an officer "
        "(case:write). The organisation's webhook is told."
    )
    async def revoke_consent(self, info: Info, id: strawberry.ID) -> Consent:
        ctx: HubContext = info.context
        principal = ctx.principal
        if principal.is_self:
            by, owner = str(principal.worker_id), principal.worker_id
        else:
            by, owner = f"{principal.agency or '-'}:{principal.subject}", None

        def change(unit: AuditedChange, entry: Entry) -> ConsentRecord:
            revoked = ctx.hub.consents.revoke(
                str(id)[:40], by, worker_id=owner, session=unit.session
            )
            reason = f"consent revoked {revoked.id} of {revoked.organisation}"
            unit.record(entry(worker_id=revoked.worker_id, outcome=Outcome.CHANGE, reason=reason))
            return revoked

        try:
            revoked = await commit_audited(ctx, change)
        except ConsentError as exc:
            raise consent_error(exc) from None
        _kick(ctx)
        return (await _views(ctx, [revoked]))[0]

    @strawberry.mutation(
        description="A partner organisation refers a worker's case to the hub, under a "
        "consent in force that opens case: routed to the mission of the worker's country."
    )
    async def refer_case(
        self,
        info: Info,
        worker_id: strawberry.ID,
        consent_id: strawberry.ID,
        kind: t.CaseKind,  # type: ignore[valid-type]
        summary: str,
    ) -> t.Case:
        from hub.graphql.cases import _canonical_worker, _mission_and_agencies, case_error

        ctx: HubContext = info.context
        principal = ctx.principal
        worker = await _canonical_worker(ctx, str(worker_id))
        consent = await ctx.consent(worker)
        if consent is None or consent.id != str(consent_id):
            lapsed = [  # this consent, for this purpose, no longer in force (another purpose:
                c  # not found, as a read under it would be)
                for c in await ctx.partner_consents.load(worker)
                if c.id == str(consent_id) and c.purpose == principal.purpose
            ]
            ctx.audit_refused(worker, "case", reason="CONSENT_REVOKED" if lapsed else "NOT_FOUND")
            if lapsed:
                raise hub_error(
                    "CONSENT_REVOKED",
                    "Persetujuan pekerja sudah dicabut atau tidak berlaku lagi",
                    "The worker's consent was revoked or is no longer in force",
                    consentId=lapsed[0].id,
                    status=lapsed[0].status,
                )
            raise hub_error(
                "NOT_FOUND",
                "Persetujuan tidak ditemukan untuk pekerja dan tujuan ini",
                "No such consent for this worker and purpose",
                argument="consentId",
            )
        if not consent.opens("case"):
            ctx.audit_refused(worker, "case", reason="FORBIDDEN case")
            raise hub_error(
                "FORBIDDEN",
                "Persetujuan ini tidak mencakup kasus",
                "This consent does not open cases",
                scope="case",
            )
        mission, _ = await _mission_and_agencies(ctx, worker, None)
        idem = idempotency(
            ctx,
            "referCase",
            {"workerId": worker, "consentId": consent.id, "kind": kind.value, "summary": summary},
        )
        actor = Actor(
            client_id=principal.client_id,
            subject=principal.subject,
            agency=None,
            purpose=principal.purpose.value if principal.purpose else None,
        )

        def change(unit: AuditedChange, entry: Entry) -> CaseEvent | str:
            at = ctx.hub.cases.service.clock()
            if idem is not None and (prior := idem.prior(unit.session, at)) is not None:
                return prior  # a retry: the case the first attempt referred
            opened = ctx.hub.cases.service.open(
                actor,
                worker,
                kind,
                Severity.MEDIUM,
                summary,
                mission,
                (),
                session=unit.session,
                partner_org=principal.agency,
            )
            # read under the consent: the worker's data tracker names it
            unit.record(
                entry(worker_id=worker, categories=frozenset({"case"}), grant_id=consent.id)
            )
            if idem is not None:
                idem.keep(unit.session, opened.case.id, at)
            return opened

        try:
            event = await commit_audited(ctx, change)
        except CaseError as exc:
            raise case_error(exc) from None
        except IdempotencyError as exc:
            ctx.audit_refused(worker, "case", reason=exc.code)
            raise idempotency_error(exc) from None
        if isinstance(event, str):  # the retry reads the case under the consent
            ctx.grants_used[worker] = consent.id
            ctx.audit_returned(worker, "case")
            stored = await ctx.hub.offload(ctx.hub.cases.service.get, event)
        else:
            ctx.hub.cases.announce(event)
            stored = await ctx.hub.offload(ctx.hub.cases.service.get, event.case.id)
        assert stored is not None  # just made, or made by the first attempt
        case = hub_case(stored)
        for entry in case.history:
            entry.note = None
        return case


__all__ = [
    "ASSISTED",
    "Consent",
    "ConsentMutations",
    "ConsentPurpose",
    "ConsentReceipt",
    "ConsentStatus",
    "ConsentText",
    "GrantConsentInput",
    "consent_text_for",
    "consents",
]
