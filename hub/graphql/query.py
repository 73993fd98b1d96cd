"""Query: find workers by hub id or by the agencies' identifiers.

Who may ask, for what purpose and what is recorded is declared in hub/graphql/policy.py and
checked before these resolvers run (hub/graphql/enforce.py): an identifier lookup needs
``worker.identity:read``, so a caller without it never reaches the live agency search.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info

from auth.errors import Forbidden
from hub.audit.graphql import AccessLogConnection, access_log
from hub.audit.witness_graphql import WitnessQueries
from hub.graphql.alerts import AlertQueries
from hub.graphql.cohort import CohortConnection, cohort
from hub.graphql.consents import Consent, ConsentText, consent_text_for, consents
from hub.graphql.eager import OneByOne
from hub.graphql.enforce import lookup_scope
from hub.graphql.errors import bad_input
from hub.graphql.guard import refuse
from hub.graphql.identity_review import MatchCandidateConnection, match_candidates
from hub.graphql.lookup import IDENTIFIERS, find_by_identifier
from hub.graphql.prefetch import prefetch
from hub.graphql.search import WorkerConnection, search_workers
from hub.graphql.worker import Worker, load_worker, load_workers
from hub.resilience import agency_status
from hub.statistics.graphql import StatisticsQueries
from schema.enums import SourceState
from schema.graphql import types as t
from schema.identifiers import (
    is_valid_kpj,
    is_valid_nik,
    is_valid_passport,
    is_valid_pmi_id,
    normalize_passport,
)
from schema.missions import MISSIONS

if TYPE_CHECKING:
    from hub.graphql.context import HubContext

WORKER_ID = re.compile(r"^wk_[0-9a-f]{20}$")


def check_worker_id(worker_id: str) -> str:
    if not WORKER_ID.fullmatch(worker_id):
        raise bad_input(
            "ID pekerja tidak sah (format wk_ diikuti 20 karakter heksadesimal)",
            "Malformed worker id (expected wk_ followed by 20 hex characters)",
            "id",
        )
    return worker_id


def check_nik(nik: str) -> str:
    if not is_valid_nik(nik):
        raise bad_input(
            "NIK tidak sah: 16 digit dengan kode wilayah dan tanggal lahir yang benar",
            "Invalid NIK: 16 digits with a valid region code and birth date",
            "nik",
        )
    return nik


@strawberry.type
class Principal:
    client_id: str
    subject: str | None
    scopes: list[str]
    purpose: str | None


@strawberry.type
class Query(WitnessQueries, StatisticsQueries, AlertQueries):
    @strawberry.field(description="One worker by the hub's opaque id; null when unknown.")
    async def worker(self, info: Info, id: strawberry.ID) -> Worker | None:
        worker = await load_worker(info.context, check_worker_id(str(id)))
        await prefetch(info, [worker])
        return worker

    @strawberry.field(description="One worker by exactly one agency identifier.")
    async def worker_by(
        self,
        info: Info,
        nik: str | None = None,
        passport: str | None = None,
        kpj: str | None = None,
        pmi_id: str | None = None,
    ) -> Worker | None:
        given = {
            k: v
            for k, v in {"nik": nik, "passport": passport, "kpj": kpj, "pmiId": pmi_id}.items()
            if v is not None
        }
        if len(given) != 1:
            raise bad_input(
                "Berikan tepat satu pengenal: nik, passport, kpj atau pmiId",
                "Give exactly one identifier: nik, passport, kpj or pmiId",
            )
        ((name, value),) = given.items()
        if name == "nik":
            check_nik(value)
        elif name == "passport":
            if not is_valid_passport(value):
                raise bad_input("Nomor paspor tidak sah", "Invalid passport number", "passport")
            value = normalize_passport(value)
        elif name == "kpj":
            if not is_valid_kpj(value):
                raise bad_input("KPJ harus 11 digit", "KPJ must be 11 digits", "kpj")
        elif not is_valid_pmi_id(value):
            raise bad_input("ID PMI tidak sah", "Invalid ID PMI", "pmiId")
        ctx: HubContext = info.context
        missing = lookup_scope(ctx, IDENTIFIERS[name][0])
        if missing is not None:  # a KPJ that matches is BPJS membership
            raise refuse(ctx, Forbidden(missing), None, "identity")
        worker_id = await find_by_identifier(ctx, name, [value])
        found = worker_id.get(value)
        worker = await load_worker(ctx, found) if found else None
        await prefetch(info, [worker])
        return worker

    @strawberry.field(description="A batch of workers by hub id, same order; null where unknown.")
    async def workers(self, info: Info, ids: list[strawberry.ID]) -> list[Worker | None]:
        ctx: HubContext = info.context
        _check_batch(len(ids), ctx.hub.settings.max_batch_ids, "ids")
        checked = [check_worker_id(str(i)) for i in ids]
        workers = await load_workers(ctx, checked)
        await prefetch(info, workers)
        return OneByOne(workers) if len(workers) > 1 else workers

    @strawberry.field(description="A batch of workers by NIK, same order; null where unknown.")
    async def workers_by_nik(self, info: Info, niks: list[str]) -> list[Worker | None]:
        ctx: HubContext = info.context
        _check_batch(len(niks), ctx.hub.settings.max_batch_ids, "niks")
        checked = [check_nik(n) for n in niks]
        found = await find_by_identifier(ctx, "nik", checked)
        workers = await load_workers(ctx, [found.get(n) for n in checked])
        await prefetch(info, workers)
        return OneByOne(workers) if len(workers) > 1 else workers

    search_workers: WorkerConnection = strawberry.field(
        resolver=search_workers,
        description="Workers by name (typos and variants), NIK, passport, KPJ or ID PMI, "
        "best match first (worker.identity:read).",
    )

    match_candidates: MatchCandidateConnection = strawberry.field(
        resolver=match_candidates,
        description="Pairs waiting for an identity officer (identity:admin), oldest first.",
    )

    cohort: CohortConnection = strawberry.field(
        resolver=cohort,
        description="Workers matching a crisis filter, most urgent first (cohort:read; "
        "purpose EMERGENCY or CASE_HANDLING); one bulk audit entry per request.",
    )

    @strawberry.field(
        description="Who looked at a worker's data, when and why (audit:read, or the worker)."
    )
    async def access_log(
        self, info: Info, worker_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> AccessLogConnection:
        check_worker_id(str(worker_id))  # never a malformed id into the audit trail
        return await access_log(info, worker_id, first, after)

    consents: list[Consent] = strawberry.field(
        resolver=consents,
        description="Consents to partner organisations: a worker's own (self), those given "
        "to a partner (partner), or one worker's (case:read).",
    )

    consent_text: ConsentText = strawberry.field(
        resolver=consent_text_for,
        description="The exact consent text for these terms, shown to the worker before "
        "grantConsent (self token only).",
    )

    @strawberry.field(description="Who is asking, as the hub sees the access token.")
    def me(self, info: Info) -> Principal:
        principal = info.context.principal
        return Principal(
            client_id=principal.client_id,
            subject=principal.subject,
            scopes=sorted(principal.scopes),
            purpose=principal.purpose.value if principal.purpose else None,
        )

    @strawberry.field(description="The Indonesian missions, with their public numbers.")
    def missions(self) -> list[t.Mission]:
        return [
            t.Mission(code=m.code, name=m.name, city=m.city, country=m.country, phone=m.phone)
            for m in MISSIONS
        ]

    @strawberry.field(description="Each agency's state as the hub sees it.")
    async def sources(self, info: Info) -> list[t.SourceHealth]:
        ctx: HubContext = info.context
        out = []
        for health in await ctx.hub.health():
            stats = ctx.hub.stats.of(health.agency)
            status = agency_status(ctx.hub.connectors[health.agency])
            p50 = status.latency_p50_ms if status and status.latency_p50_ms is not None else None
            if p50 is None:
                p50 = stats.p50 if stats.p50 is not None else health.latency_ms
            out.append(
                t.SourceHealth(
                    agency=t.AgencyEnum(health.agency),
                    state=SourceState.OK if health.ok else SourceState.UNAVAILABLE,
                    breaker_open=status.breaker_open if status else False,
                    latency_ms_p50=p50,
                )
            )
        return out


def _check_batch(size: int, limit: int, argument: str) -> None:
    if size > limit:
        raise bad_input(
            f"Paling banyak {limit} pengenal per permintaan",
            f"At most {limit} identifiers per request",
            argument,
        )
