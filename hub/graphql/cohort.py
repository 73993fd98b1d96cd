"""Query.cohort: crisis cohorts from the census, most urgent first.

Who: ``cohort:read`` with the purpose EMERGENCY or CASE_HANDLING (hub/graphql/policy.py); an
officer whose token names a mission (the ``mission`` claim) lists that mission's workers only.
Each node is a ``Worker``, so every section keeps its own scope. The request is recorded as
one bulk access naming the filter and the number of workers listed, not one entry per worker
(hub/graphql/audit.py); a page holds at most ``HUB_COHORT_MAX_PAGE`` workers. Each edge
carries the worker's latest crisis roll-call mark (hub/graphql/marks.py), part of that entry's
consular category.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info

from hub.cases import CaseError
from hub.census.cohort import (
    Cohort,
    CohortError,
    check_codes,
    check_country,
    check_text,
    counts_by_level,
    members,
)
from hub.census.marks import ContactMark as Mark
from hub.census.marks import latest_marks
from hub.graphql.errors import bad_input, hub_error
from hub.graphql.mission_scope import own_mission
from hub.graphql.worker import Worker, load_worker
from schema.graphql import types as t
from schema.graphql.types import PageInfo

if TYPE_CHECKING:
    from hub.graphql.context import HubContext


@strawberry.input(description="Who is in a crisis cohort; at least one criterion.")
class CohortFilter:
    country: str | None = strawberry.field(
        default=None, description="ISO alpha-2 destination (placement or mission country)."
    )
    mission_code: str | None = None
    city: str | None = strawberry.field(
        default=None, description="The employer's city or the lapor diri region, any case."
    )
    levels: list[t.ProtectionLevel] | None = None  # type: ignore[valid-type]
    phases: list[t.ProtectionPhase] | None = None  # type: ignore[valid-type]
    finding_codes: list[str] | None = None
    placement_agency_license: str | None = None
    last_contact_before: dt.date | None = strawberry.field(
        default=None, description="Last contact with the mission before this day, or none."
    )
    last_contact_older_than_days: int | None = strawberry.field(
        default=None, description="As lastContactBefore, counted back from today."
    )
    abroad: bool | None = strawberry.field(
        default=None, description="Only workers abroad now (true) or not (false)."
    )


@strawberry.type(description="A crisis roll call's mark: whether the mission reached the worker.")
class ContactMark:
    worker_id: strawberry.ID
    reached: bool
    marked_at: dt.datetime
    mission_code: str | None

    @classmethod
    def of(cls, mark: Mark) -> ContactMark:
        return cls(
            worker_id=strawberry.ID(mark.worker_id),
            reached=mark.reached,
            marked_at=mark.marked_at,
            mission_code=mark.mission_code,
        )


@strawberry.type
class CohortEdge:
    node: Worker
    cursor: str
    level: t.ProtectionLevel  # type: ignore[valid-type]
    last_contact_on: dt.date | None
    contact_mark: ContactMark | None = strawberry.field(
        description="The latest crisis roll-call mark (Mutation.markReached), if any."
    )


@strawberry.type
class LevelCount:
    level: t.ProtectionLevel  # type: ignore[valid-type]
    count: int


@strawberry.type
class CohortConnection:
    edges: list[CohortEdge]
    page_info: PageInfo
    total_count: int
    counts_by_level: list[LevelCount] = strawberry.field(
        description="How many of the cohort are at each level (all pages)."
    )


def checked_cohort(ctx: HubContext, given: CohortFilter) -> Cohort:
    """The filter checked, the mission of a mission-bound officer imposed; typed errors."""
    try:
        mission = given.mission_code
        if mission is not None:
            mission = ctx.hub.cases.missions.resolve(mission).code
        bound = own_mission(ctx.principal)
        if bound is not None:
            if mission is not None and mission != bound:
                ctx.audit_refused(None, reason=f"FORBIDDEN mission {mission}")
                raise hub_error(
                    "FORBIDDEN",
                    f"Hanya pekerja di wilayah perwakilan Anda ({bound})",
                    f"Only the workers of your own mission ({bound})",
                    argument="missionCode",
                )
            mission = bound
        before = given.last_contact_before
        days = given.last_contact_older_than_days
        if days is not None:
            if not 0 <= days <= 36_500:
                raise CohortError(
                    "lastContactOlderThanDays",
                    "lastContactOlderThanDays: 0 sampai 36500",
                    "lastContactOlderThanDays: 0 to 36500",
                )
            counted = ctx.today - dt.timedelta(days=days)
            before = min(before, counted) if before else counted
        cohort = Cohort(
            country=check_country(given.country),
            mission_code=mission,
            city=(check_text(given.city, "city") or "").lower() or None,
            levels=tuple(sorted({str(level.value) for level in given.levels or []})),
            phases=tuple(sorted({str(phase.value) for phase in given.phases or []})),
            finding_codes=check_codes(given.finding_codes),
            licence=check_text(given.placement_agency_license, "placementAgencyLicense"),
            last_contact_before=before,
            abroad=given.abroad,
        )
    except CohortError as exc:
        raise bad_input(exc.text_id, exc.text_en, exc.argument) from None
    except CaseError as exc:
        raise hub_error(exc.code, exc.text_id, exc.text_en, argument="missionCode") from None
    if cohort.empty():
        raise bad_input(
            "Berikan paling sedikit satu kriteria kohort",
            "Give at least one cohort criterion",
            "filter",
        )
    return cohort


async def cohort(
    info: Info, filter: CohortFilter, first: int | None = 50, after: str | None = None
) -> CohortConnection:
    ctx: HubContext = info.context
    limit = ctx.hub.settings.cohort_max_page
    first = 50 if first is None else first
    if not 1 <= first <= limit:
        raise bad_input(
            f"first: 1 sampai {limit} per permintaan",
            f"first: 1 to {limit} per request",
            "first",
        )
    chosen = checked_cohort(ctx, filter)
    engine = ctx.hub.engine
    try:
        (page, more, total), counts = await asyncio.gather(
            ctx.hub.offload(members, engine, chosen, first, after),
            ctx.hub.offload(counts_by_level, engine, chosen),
        )
    except CohortError as exc:
        raise bad_input(exc.text_id, exc.text_en, exc.argument) from None
    ids = [m.worker_id for m in page]
    workers, marks = await asyncio.gather(
        asyncio.gather(*(load_worker(ctx, w) for w in ids)),
        ctx.hub.offload(latest_marks, engine, ids),
    )
    edges = []
    for member, worker in zip(page, workers, strict=True):
        if worker is None:  # merged away since the census ran
            continue
        mark = marks.get(member.worker_id)
        edges.append(
            CohortEdge(
                node=worker,
                cursor=member.cursor,
                level=t.ProtectionLevel(member.level),
                last_contact_on=member.last_contact_on,
                contact_mark=ContactMark.of(mark) if mark is not None else None,
            )
        )
    ctx.bulk_access(f"cohort n={len(edges)} {chosen.describe()}", [str(e.node.id) for e in edges])
    end = page[-1].cursor if page else None
    return CohortConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=more, end_cursor=end),
        total_count=total,
        counts_by_level=[
            LevelCount(level=t.ProtectionLevel(level), count=n) for level, n in counts.items()
        ],
    )


__all__ = [
    "CohortConnection",
    "CohortEdge",
    "CohortFilter",
    "ContactMark",
    "LevelCount",
    "cohort",
]
