"""The review queue in GraphQL, for identity officers (scope ``identity:admin``).

``matchCandidates`` lists the pairs between the thresholds: which agency record may be which
worker, the confidence and the evidence per attribute (levels and weights, no personal data:
the officer opens both workers with ``worker(id)``, audited as usual). ``confirmMatch`` and
``rejectMatch`` decide one pair; ``splitWorker`` moves records out of a worker that holds two
people. Decisions are kept and survive every later sync (hub.identity.review); each is
recorded in the audit trail against the workers it touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import strawberry
from graphql import GraphQLError
from sqlmodel import Session
from strawberry.types import Info

from auth.scopes import Scope
from hub.audit.trail import AuditedChange
from hub.crosswalk.linker import canonical_id
from hub.graphql.audit import Entry, commit_audited
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.guard import require_purpose, require_scope
from hub.identity.review import Candidate, ReviewError, ReviewQueue

T = TypeVar("T")

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

CANDIDATE_ID = re.compile(r"^mc_([1-9][0-9]{0,17})$")
MAX_FIRST = 100
MAX_SPLIT_RECORDS = 100


@strawberry.type(description="One attribute's comparison: its level and its match weight.")
class MatchEvidence:
    attribute: str
    level: str
    weight: float


@strawberry.type(description="An agency record, by the agency's own key.")
class AgencyRecordRef:
    agency: str
    local_id: str


@strawberry.input(description="An agency record, by the agency's own key.")
class AgencyRecordInput:
    agency: str
    local_id: str


@strawberry.type(description="A record that may be a worker, waiting for an identity officer.")
class MatchCandidate:
    id: strawberry.ID
    record: AgencyRecordRef
    record_worker_id: strawberry.ID = strawberry.field(
        description="The worker the record belongs to now."
    )
    worker_id: strawberry.ID = strawberry.field(description="The worker it may be.")
    confidence: float
    weight: float = strawberry.field(description="Fellegi-Sunter match weight (log2).")
    ambiguous: bool = strawberry.field(description="Another worker was as close.")
    status: str = strawberry.field(description="PENDING, CONFIRMED, REJECTED or SUPERSEDED.")
    evidence: list[MatchEvidence]
    created_at: datetime

    @classmethod
    def of(cls, c: Candidate) -> MatchCandidate:
        return cls(
            id=strawberry.ID(f"mc_{c.id}"),
            record=AgencyRecordRef(agency=c.agency, local_id=c.local_id),
            record_worker_id=strawberry.ID(c.record_worker_id),
            worker_id=strawberry.ID(c.worker_id),
            confidence=c.confidence,
            weight=c.weight,
            ambiguous=c.ambiguous,
            status=c.status,
            evidence=[
                MatchEvidence(attribute=k, level=str(v["level"]), weight=float(v["weight"]))  # type: ignore[arg-type]
                for k, v in c.evidence.items()
            ],
            created_at=c.created_at,
        )


@strawberry.type
class MatchCandidateEdge:
    node: MatchCandidate
    cursor: str


@strawberry.type
class MatchCandidatePageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Pending match candidates, oldest first.")
class MatchCandidateConnection:
    edges: list[MatchCandidateEdge]
    page_info: MatchCandidatePageInfo
    total_count: int


@strawberry.type(description="The worker split in two: the records named moved to a new one.")
class SplitResult:
    worker_id: strawberry.ID
    new_worker_id: strawberry.ID


def _candidate_id(value: str, argument: str) -> int:
    match = CANDIDATE_ID.fullmatch(value)
    if not match:
        raise bad_input(
            "ID kandidat tidak sah (format mc_ diikuti angka)",
            "Malformed candidate id (expected mc_ followed by digits)",
            argument,
        )
    return int(match.group(1))


def _review_error(exc: ReviewError) -> GraphQLError:
    extra = {"argument": exc.argument} if exc.argument else {}
    return hub_error(exc.code, exc.text_id, exc.text_en, **extra)


def _unavailable() -> GraphQLError:
    return hub_error(
        "STORAGE_UNAVAILABLE",
        "Basis data hub tidak dapat dibaca saat ini",
        "The hub database cannot be reached right now",
    )


def _officer(ctx: HubContext) -> str:
    principal = ctx.principal
    return (
        f"{principal.client_id}:{principal.subject}" if principal.subject else principal.client_id
    )


def _guard(info: Info) -> tuple[HubContext, ReviewQueue]:
    ctx: HubContext = info.context
    require_purpose(ctx)
    require_scope(ctx, Scope.IDENTITY_ADMIN)
    return ctx, ReviewQueue(ctx.hub.engine)


async def _run(ctx: HubContext, function, *args):  # type: ignore[no-untyped-def]
    try:
        return await ctx.hub.offload(function, *args)
    except ReviewError as exc:
        raise _review_error(exc) from None
    except GraphQLError:
        raise
    except Exception as exc:  # the database: never a stack trace to the client
        raise _unavailable() from exc


async def match_candidates(
    info: Info, first: int = 20, after: str | None = None
) -> MatchCandidateConnection:
    """Resolver for ``matchCandidates(first, after)``."""
    ctx, queue = _guard(info)
    if not 1 <= first <= MAX_FIRST:
        raise bad_input(
            f"first harus antara 1 dan {MAX_FIRST}", f"first must be 1 to {MAX_FIRST}", "first"
        )
    last = _candidate_id(after, "after") if after is not None else None
    page = await _run(ctx, queue.pending, first, last)
    if any(f.name == "edges" for s in info.selected_fields for f in s.selections):  # type: ignore[union-attr]
        for candidate in page.items:  # agencies' local ids (KPJ, ID PMI) of these workers
            for worker_id in {candidate.worker_id, candidate.record_worker_id} - {""}:
                ctx.audit_returned(worker_id, "identity")
    edges = [MatchCandidateEdge(node=MatchCandidate.of(c), cursor=f"mc_{c.id}") for c in page.items]
    return MatchCandidateConnection(
        edges=edges,
        page_info=MatchCandidatePageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
        ),
        total_count=page.total,
    )


async def _decide(ctx: HubContext, decide: Callable[[Session], tuple[T, set[str]]]) -> T:
    """A review decision and the identity entries of the workers it concerns, in one
    transaction (``commit_audited``): no decision survives AUDIT_UNAVAILABLE."""

    def change(unit: AuditedChange, entry: Entry) -> T:
        result, workers = decide(unit.session)
        categories = frozenset({"identity"})
        unit.record(*(entry(worker_id=w, categories=categories) for w in sorted(workers - {""})))
        return result

    try:
        return await commit_audited(ctx, change)
    except ReviewError as exc:
        raise _review_error(exc) from None
    except GraphQLError:
        raise
    except Exception as exc:  # the database: never a stack trace to the client
        raise _unavailable() from exc


async def confirm_match(info: Info, id: strawberry.ID) -> MatchCandidate:
    """Resolver for ``confirmMatch(id)``."""
    ctx, queue = _guard(info)
    wanted, officer = _candidate_id(str(id), "id"), _officer(ctx)

    def decide(session: Session) -> tuple[Candidate, set[str]]:
        candidate = queue.confirm(wanted, officer, session)
        return candidate, {candidate.worker_id}

    return MatchCandidate.of(await _decide(ctx, decide))


async def reject_match(info: Info, id: strawberry.ID) -> MatchCandidate:
    """Resolver for ``rejectMatch(id)``."""
    ctx, queue = _guard(info)
    wanted, officer = _candidate_id(str(id), "id"), _officer(ctx)

    def decide(session: Session) -> tuple[Candidate, set[str]]:
        candidate = queue.reject(wanted, officer, session)
        return candidate, {candidate.worker_id, candidate.record_worker_id}

    return MatchCandidate.of(await _decide(ctx, decide))


async def split_worker(
    info: Info, worker_id: strawberry.ID, records: list[AgencyRecordInput]
) -> SplitResult:
    """Resolver for ``splitWorker(workerId, records)``."""
    from hub.graphql.query import check_worker_id  # here: query.py imports this module

    ctx, queue = _guard(info)
    wanted = check_worker_id(str(worker_id))
    if len(records) > MAX_SPLIT_RECORDS:
        raise bad_input(
            f"Paling banyak {MAX_SPLIT_RECORDS} rekaman",
            f"At most {MAX_SPLIT_RECORDS} records",
            "records",
        )
    refs = [(r.agency.strip(), r.local_id.strip()) for r in records]
    if any(not a or not i or len(a) > 40 or len(i) > 80 for a, i in refs):
        raise bad_input(
            "Rekaman harus menyebut instansi dan ID lokal",
            "Each record needs an agency and a local id",
            "records",
        )
    officer = _officer(ctx)

    def decide(session: Session) -> tuple[tuple[str, str], set[str]]:
        new = queue.split(wanted, refs, officer, session)
        return (canonical_id(session, wanted), new), {canonical_id(session, wanted), new}

    canonical, new = await _decide(ctx, decide)
    return SplitResult(worker_id=strawberry.ID(canonical), new_worker_id=strawberry.ID(new))


@strawberry.type
class IdentityReviewMutations:
    """The review decisions; the schema's Mutation inherits them."""

    confirm_match: MatchCandidate = strawberry.mutation(
        resolver=confirm_match, description="The record is that worker (identity:admin)."
    )
    reject_match: MatchCandidate = strawberry.mutation(
        resolver=reject_match, description="The record is not that worker (identity:admin)."
    )
    split_worker: SplitResult = strawberry.mutation(
        resolver=split_worker,
        description="Move records out of a worker holding two people (identity:admin).",
    )


__all__ = [
    "IdentityReviewMutations",
    "MatchCandidate",
    "MatchCandidateConnection",
    "SplitResult",
    "confirm_match",
    "match_candidates",
    "reject_match",
    "split_worker",
]
