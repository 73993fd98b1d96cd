"""``Query.coverageStatistics`` and ``Query.statisticsTables`` (scope ``statistics:read``).

They serve stored releases only: counts after disclosure control, no person. No purpose of use
is asked (there is no personal data to declare one for) and nothing is recorded per person.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from hub.graphql.errors import bad_input, hub_error
from hub.statistics.releases import Release, ReleaseError, Releases
from hub.statistics.rules import Rules

TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
RELEASE_ID = re.compile(r"^stat-\d{4}-\d{2}-\d{2}-v\d{1,6}$")


@strawberry.type(description="One category of one dimension; TOTAL is the sum over it.")
class StatisticsDimension:
    name: str
    value: str


@strawberry.type(description="A published cell; count and amount are null when suppressed.")
class StatisticsCell:
    dimensions: list[StatisticsDimension]
    count: int | None
    suppressed: bool
    amount: int | None = strawberry.field(description="Rupiah, for amount tables.")
    rate: float | None = strawberry.field(
        description="Share of this category in its margin (0..1), only over 50 or more."
    )


@strawberry.type(description="How fresh one agency's answers were during the run.")
class StatisticsSource:
    agency: str
    oldest_fetch: str | None
    newest_fetch: str | None
    answered: int
    unavailable: int


@strawberry.type(description="Share of linked agency records per match method, in percent.")
class StatisticsLinkage:
    method: str
    percent: float


@strawberry.type(description="One table of a statistics release, after disclosure control.")
class StatisticsTable:
    release: strawberry.ID
    table: str
    reference_date: date
    rules_version: str
    disclosure_rule: str
    disclosure_rule_id: str = strawberry.field(
        description="The disclosure rule in Indonesian (disclosureRule is the English one)."
    )
    cells: list[StatisticsCell]
    total: int | None
    title_id: str
    title_en: str
    dimension_names: list[str]
    sources: list[StatisticsSource]
    linkage: list[StatisticsLinkage]


def statistics_table(release: Release, body: dict[str, Any]) -> StatisticsTable:
    names = body["dimensions"]
    cells = [
        StatisticsCell(
            dimensions=[
                StatisticsDimension(name=n, value=v) for n, v in zip(names, c["key"], strict=True)
            ],
            count=c["count"],
            suppressed=c["count"] is None,
            amount=c.get("amount"),
            rate=c.get("rate"),
        )
        for c in body["cells"]
    ]
    sources = []
    for agency, fresh in sorted(release.meta.get("freshness", {}).items()):
        answers = fresh.get("answers", {})
        sources.append(
            StatisticsSource(
                agency=agency,
                oldest_fetch=fresh.get("oldestFetch"),
                newest_fetch=fresh.get("newestFetch"),
                answered=sum(n for s, n in answers.items() if s in ("OK", "STALE", "NOT_FOUND")),
                unavailable=sum(n for s, n in answers.items() if s in ("UNAVAILABLE", "DENIED")),
            )
        )
    linkage = [
        StatisticsLinkage(method=m, percent=p)
        for m, p in sorted(release.meta.get("linkage", {}).get("byMethod", {}).items())
    ]
    return StatisticsTable(
        release=strawberry.ID(release.id),
        table=body["table"],
        reference_date=release.reference_date,
        rules_version=release.rules_version,
        disclosure_rule=body["disclosureRule"],
        disclosure_rule_id=Rules.from_dict(release.rules).describe("ID"),
        cells=cells,
        total=body["total"],
        title_id=body["title"]["id"],
        title_en=body["title"]["en"],
        dimension_names=list(names),
        sources=sources,
        linkage=linkage,
    )


@strawberry.type(description="A partner query's answer: every count with differential privacy.")
class NoisyStatisticsTable:
    release: strawberry.ID
    table: str
    reference_date: date
    cells: list[StatisticsCell]
    noise_scale: float = strawberry.field(description="The discrete Gaussian's sigma, per cell.")
    rho: float = strawberry.field(description="The privacy cost of this answer (zCDP).")
    budget_remaining: float = strawberry.field(description="rho left this calendar year.")
    privacy: str = strawberry.field(description="The mechanism and budget, in words.")


def _error(exc: ReleaseError) -> GraphQLError:
    return hub_error(exc.code, exc.text_id, exc.text_en)


def _read(releases: Releases, release_id: str | None, table: str) -> StatisticsTable | None:
    if release_id is None and releases.latest() is None:
        return None  # nothing released yet: like an unknown table
    release = releases.resolve(release_id)
    body = releases.table(release.id, table)
    return statistics_table(release, body) if body is not None else None


def _names(releases: Releases) -> list[str]:
    release = releases.latest()
    return releases.table_names(release.id) if release is not None else []


def _noisy(queries: Any, client: str, table: str, rho: float, release: str | None) -> Any:
    from schema.clock import now

    if release is None and queries.releases.latest() is None:
        return None  # nothing released yet: nothing to ask, nothing spent
    answer = queries.answer(client, table, rho, now(), release)
    names = answer.dimensions
    return NoisyStatisticsTable(
        release=strawberry.ID(answer.release.id),
        table=answer.table,
        reference_date=answer.release.reference_date,
        cells=[
            StatisticsCell(
                dimensions=[
                    StatisticsDimension(name=n, value=v) for n, v in zip(names, key, strict=True)
                ],
                count=count,
                suppressed=False,
                amount=None,
                rate=None,
            )
            for key, count in answer.cells
        ],
        noise_scale=answer.noise_scale,
        rho=answer.rho,
        budget_remaining=answer.remaining,
        privacy=answer.describe(),
    )


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="One table of a statistics release (the latest published when `release` "
        "is not given); null when the release has no such table or none is released yet "
        "(statistics:read)."
    )
    async def coverage_statistics(
        self, info: Info, table: str, release: strawberry.ID | None = None
    ) -> StatisticsTable | None:
        if not TABLE_NAME.fullmatch(table):
            raise bad_input("Nama tabel tidak sah", "Malformed table name", "table")
        if release is not None and not RELEASE_ID.fullmatch(str(release)):
            raise bad_input(
                "ID rilis tidak sah (stat-YYYY-MM-DD-vN)",
                "Malformed release id (stat-YYYY-MM-DD-vN)",
                "release",
            )
        ctx: Any = info.context
        releases = Releases(ctx.hub.engine)
        try:
            return await ctx.hub.offload(
                _read, releases, str(release) if release is not None else None, table
            )
        except ReleaseError as exc:
            raise _error(exc) from None

    @strawberry.field(
        description="A partner query: every count of a table (of the latest release when "
        "`release` is not given) with differential privacy, spending `rho` of the caller's "
        "yearly budget; null before the first release (statistics:read; docs/statistics.md)."
    )
    async def partner_statistics(
        self, info: Info, table: str, rho: float = 0.05, release: strawberry.ID | None = None
    ) -> NoisyStatisticsTable | None:
        from hub.statistics.privacy import PartnerQueries

        if not TABLE_NAME.fullmatch(table):
            raise bad_input("Nama tabel tidak sah", "Malformed table name", "table")
        if release is not None and not RELEASE_ID.fullmatch(str(release)):
            raise bad_input("ID rilis tidak sah", "Malformed release id", "release")
        ctx: Any = info.context
        queries = PartnerQueries(ctx.hub.engine)
        try:
            return await ctx.hub.offload(
                _noisy,
                queries,
                ctx.principal.client_id,
                table,
                rho,
                str(release) if release is not None else None,
            )
        except ReleaseError as exc:
            raise _error(exc) from None

    @strawberry.field(
        description="The tables of the latest published statistics release (statistics:read)."
    )
    async def statistics_tables(self, info: Info) -> list[str]:
        ctx: Any = info.context
        return await ctx.hub.offload(_names, Releases(ctx.hub.engine))


__all__ = ["StatisticsQueries", "StatisticsTable", "statistics_table"]
