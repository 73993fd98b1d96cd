"""The peer's five subgraphs (Strawberry federation v2), each its own process.

- ``crosswalk``: ``worker(id)`` (the hub's crosswalk: which local ids each agency holds of a
  worker, ``<agency>Ids``), and the sections that merge agencies or need the hub's database,
  from the records the agency subgraphs hand over (``@requires``): ``identity``,
  ``placements``, ``cases`` (the missions' and the hub's own register) and ``sources``;
- ``kemnaker``, ``p2mi``, ``bpjs``, ``embassy``: one per agency, over the project's connector
  for that agency, each answering ``<agency>Records`` and the sections only its agency holds
  (``socialSecurity`` at BPJS, ``consular`` at the embassy); P2MI names the placements'
  licences (``licenseNumbers``) and Kemnaker answers them (``placementLicenses``).

Every section is built by the hub's own builders (hub/view/sections.py), so where the schemas
are the same the answers are too. The internal fields are ``@inaccessible``: the gateway's
public schema has the hub's names only. What the peer does not do that the hub does:
authentication, purposes, audit entries, access rules, the resilience layer (retries, breakers,
response cache), partial answers reported beside the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import strawberry
from sqlalchemy.engine import Engine
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.federation.schema_directives import Shareable
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition

from bench.peer.records import PREFIXES, AgencyContext, dump, dump_licenses, load, load_licenses
from connectors.kit.errors import ConnectorError
from hub.cases.missions import MissionCatalog
from hub.cases.records import HubCase
from hub.cases.service import CaseService
from hub.crosswalk import CrosswalkReader, Link, Pseudonymizer
from hub.graphql.errors import source_error
from hub.storage.offload import Offload
from hub.view import sections
from hub.view.loaders import load_all
from hub.view.worker_view import AgencyResult
from schema.clock import today
from schema.graphql import types as t
from schema.regions import regency_names

federated = strawberry.federation.field
external: Any = {"external": True}


@dataclass
class CrosswalkService:
    engine: Engine
    reader: CrosswalkReader
    cases: CaseService
    offload: Offload
    regencies: dict[str, str] = field(default_factory=lambda: dict(regency_names()))

    @classmethod
    def of(cls, engine: Engine, pseudonym_key: bytes) -> CrosswalkService:
        reader = CrosswalkReader(engine, Pseudonymizer(pseudonym_key))
        cases = CaseService(engine, MissionCatalog.default())
        return cls(engine, reader, cases, Offload.for_engine(engine))


@dataclass
class CrosswalkContext:
    service: CrosswalkService
    today: date = field(default_factory=today)

    def __post_init__(self) -> None:
        self.workers: DataLoader[str, tuple[str, list[Link]] | None] = DataLoader(self._load)
        self.hub_cases: DataLoader[str, list[HubCase]] = DataLoader(self._load_cases)

    async def _load_cases(self, ids: list[str]) -> list[list[HubCase]]:
        found = await self.service.offload(self.service.cases.for_workers, ids)
        return [found.get(i, []) for i in ids]

    async def _load(self, ids: list[str]) -> list[tuple[str, list[Link]] | None]:
        canonical, links = await self.service.offload(self.service.reader.canonical_links, ids)
        return [
            (canonical[i], links.get(canonical[i], [])) if i in canonical else None for i in ids
        ]


def _results(**records: str) -> dict[str, AgencyResult]:
    """The agency subgraphs' records, by agency code, in the hub's configuration order."""
    return {
        code: load(code, text) for code, prefix in PREFIXES.items() if (text := records.get(prefix))
    }


@strawberry.federation.type(name="Worker", keys=["id"])
class CrosswalkWorker:
    id: strawberry.ID
    kemnaker_ids: list[str] = federated(inaccessible=True, default_factory=list)
    p2mi_ids: list[str] = federated(inaccessible=True, default_factory=list)
    bpjs_ids: list[str] = federated(inaccessible=True, default_factory=list)
    embassy_ids: list[str] = federated(inaccessible=True, default_factory=list)
    kemnaker_records: str = federated(default="", **external)
    p2mi_records: str = federated(default="", **external)
    bpjs_records: str = federated(default="", **external)
    embassy_records: str = federated(default="", **external)
    placement_licenses: str = federated(default="", **external)
    decoded: strawberry.Private[dict[str, AgencyResult] | None] = None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **given: Any) -> CrosswalkWorker:
        names = ("kemnaker", "p2mi", "bpjs", "embassy")
        records = {f"{n}_records": given.get(f"{n}Records", "") for n in names}
        return cls(id=id, placement_licenses=given.get("placementLicenses", ""), **records)

    def _records(self) -> dict[str, AgencyResult]:
        """The records handed over, decoded once for all the fields of one fetch."""
        if self.decoded is None:
            self.decoded = _results(
                kemnaker=self.kemnaker_records,
                p2mi=self.p2mi_records,
                bpjs=self.bpjs_records,
                embassy=self.embassy_records,
            )
        return self.decoded

    @federated(requires=["kemnakerRecords p2miRecords bpjsRecords embassyRecords"])
    async def identity(self, info: Info) -> t.Identity | None:
        ctx: CrosswalkContext = info.context
        found = await ctx.workers.load(str(self.id))
        links = [link for link in found[1] if link.agency in PREFIXES] if found else []
        answered = [r for r in self._records().values() if r.error is None]
        return sections.build_identity(answered, links, ctx.service.regencies)

    @federated(requires=["p2miRecords embassyRecords placementLicenses"])
    def placements(self) -> list[t.Placement] | None:
        results = self._records()
        placed = results["P2MI"]
        if placed.error is not None:
            raise source_error(placed.error)
        endorsing = results["EMBASSY"]
        endorsements = None if endorsing.error is not None else {"EMBASSY": endorsing.sets}
        licenses = load_licenses(self.placement_licenses or "{}")
        return sections.build_placements(placed.sets, licenses, endorsements)

    @federated(requires=["p2miRecords embassyRecords"])
    async def cases(self, info: Info) -> list[t.Case] | None:
        """The cases P2MI and the missions hold (those that answered) and the hub's own
        register, as the hub has them."""
        ctx: CrosswalkContext = info.context
        results = self._records()
        missions = [results[c] for c in ("P2MI", "EMBASSY") if results[c].error is None]
        own = await ctx.hub_cases.load(str(self.id))
        return sections.build_cases(missions, own, str(self.id))

    @federated(requires=["kemnakerRecords p2miRecords bpjsRecords embassyRecords"])
    def sources(self) -> list[t.SourceStatus]:
        return [
            t.SourceStatus(
                agency=t.AgencyEnum(code),
                state=result.state,
                fetched_at=result.fetched_at,
                message=result.error.code if result.error is not None else None,
            )
            for code, result in self._records().items()
        ]


@strawberry.type
class Query:
    @strawberry.field
    async def worker(self, info: Info, id: strawberry.ID) -> CrosswalkWorker | None:
        found = await info.context.workers.load(str(id))
        if found is None:
            return None
        canonical, links = found

        def ids(code: str) -> list[str]:
            return [link.local_id for link in links if link.agency == code]

        return CrosswalkWorker(
            id=strawberry.ID(canonical),
            kemnaker_ids=ids("KEMNAKER"),
            p2mi_ids=ids("P2MI"),
            bpjs_ids=ids("BPJS_KETENAGAKERJAAN"),
            embassy_ids=ids("EMBASSY"),
        )


async def _records(info: Info, local_ids: list[str]) -> str:
    ctx: AgencyContext = info.context
    return dump(await ctx.result(local_ids))


def _reference(cls: Any, id: strawberry.ID, given: dict[str, Any], **names: str) -> Any:
    """An entity from the gateway's representation: camelCase keys -> the class's fields."""
    return cls(id=id, **{attr: given[key] for attr, key in names.items() if key in given})


@strawberry.federation.type(name="Worker", keys=["id"])
class KemnakerWorker:
    id: strawberry.ID
    kemnaker_ids: list[str] = federated(default_factory=list, **external)
    license_numbers: list[str] = federated(default_factory=list, **external)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **given: Any) -> KemnakerWorker:
        names = {"kemnaker_ids": "kemnakerIds", "license_numbers": "licenseNumbers"}
        return _reference(cls, id, given, **names)

    @federated(requires=["kemnakerIds"], inaccessible=True)
    async def kemnaker_records(self, info: Info) -> str:
        return await _records(info, self.kemnaker_ids)

    @federated(requires=["licenseNumbers"], inaccessible=True)
    async def placement_licenses(self, info: Info) -> str:
        """The licences P2MI's placements name (as the hub's ``load_licenses``)."""
        ctx: AgencyContext = info.context
        numbers = self.license_numbers
        if not numbers or ctx.licenses is None:
            return dump_licenses({})
        try:
            found = await load_all(ctx.licenses, numbers)
        except ConnectorError:
            return dump_licenses(None)
        return dump_licenses(dict(zip(numbers, found, strict=True)))


@strawberry.federation.type(name="Worker", keys=["id"])
class P2miWorker:
    id: strawberry.ID
    p2mi_ids: list[str] = federated(default_factory=list, **external)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **given: Any) -> P2miWorker:
        return _reference(cls, id, given, p2mi_ids="p2miIds")

    @federated(requires=["p2miIds"], inaccessible=True)
    async def p2mi_records(self, info: Info) -> str:
        return await _records(info, self.p2mi_ids)

    @federated(requires=["p2miIds"], inaccessible=True)
    async def license_numbers(self, info: Info) -> list[str]:
        """The placement agencies' licence numbers, for Kemnaker's registry."""
        sets = (await info.context.result(self.p2mi_ids)).sets
        return sorted({p.agency_license for s in sets for p in s.placements if p.agency_license})


@strawberry.federation.type(name="Worker", keys=["id"])
class BpjsWorker:
    id: strawberry.ID
    bpjs_ids: list[str] = federated(default_factory=list, **external)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **given: Any) -> BpjsWorker:
        return _reference(cls, id, given, bpjs_ids="bpjsIds")

    @federated(requires=["bpjsIds"], inaccessible=True)
    async def bpjs_records(self, info: Info) -> str:
        return await _records(info, self.bpjs_ids)

    @federated(requires=["bpjsIds"])
    async def social_security(self, info: Info) -> t.SocialSecurity | None:
        ctx: AgencyContext = info.context
        result = await ctx.result(self.bpjs_ids)
        if result.error is not None:
            raise source_error(result.error)
        return sections.build_social_security(result.sets, ctx.today)


@strawberry.federation.type(name="Worker", keys=["id"])
class EmbassyWorker:
    id: strawberry.ID
    embassy_ids: list[str] = federated(default_factory=list, **external)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **given: Any) -> EmbassyWorker:
        return _reference(cls, id, given, embassy_ids="embassyIds")

    @federated(requires=["embassyIds"], inaccessible=True)
    async def embassy_records(self, info: Info) -> str:
        return await _records(info, self.embassy_ids)

    @federated(requires=["embassyIds"])
    async def consular(self, info: Info) -> t.ConsularRecord | None:
        result = await info.context.result(self.embassy_ids)
        if result.error is not None:
            raise source_error(result.error)
        return sections.build_consular([result])


WORKERS: dict[str, type] = {
    "crosswalk": CrosswalkWorker,
    "kemnaker": KemnakerWorker,
    "p2mi": P2miWorker,
    "bpjs": BpjsWorker,
    "embassy": EmbassyWorker,
}


def build_schema(name: str) -> strawberry.federation.Schema:
    """One subgraph's schema. The value types (``Provenance``, ``Mission``…) are the hub's
    own, and more than one subgraph answers some of them: federation v2 wants them
    ``@shareable``, so this marks every object type but ``Worker`` so, in this process only
    (a subgraph process; the hub's schema is not built here)."""

    def build() -> strawberry.federation.Schema:
        query = Query if name == "crosswalk" else None
        # The gateway sends the same few documents again and again: parse and validate each
        # once (Strawberry's own extensions; the hub caches its validation too).
        return strawberry.federation.Schema(
            query=query, types=[WORKERS[name]], extensions=[ParserCache(), ValidationCache()]
        )

    schema = build()
    for definition in schema.schema_converter.type_map.values():
        kind = definition.definition
        if (
            isinstance(kind, StrawberryObjectDefinition)
            and kind.name not in {"Worker", "Query", "_Service"}
            and not kind.is_input
            and not any(isinstance(d, Shareable) for d in kind.directives or ())
        ):
            kind.directives = [*(kind.directives or ()), Shareable()]
    return build()
