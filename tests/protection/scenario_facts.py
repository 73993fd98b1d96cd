"""Test helper: a scenario person as the real connectors hand it to the engine.

The person is served by the four real sandboxes (in-process, through ASGITransport) and read
by the four real connectors, with their own mappings, so that engine tests read like
scenarios (a JSON-ish person dict in, ``WorkerFacts`` out) and a connector mapping that drifts
breaks them (code review L12). An agency marked unavailable or denied is not asked and
contributes no records, as when its connector fails; a stale one's records carry
``stale=True``, as the hub's cache serves them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import anyio
import httpx

from connectors import bpjs, embassy, kemnaker, p2mi
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from hub.protection.facts import BPJS, EMBASSY, KEMNAKER, P2MI, WorkerFacts
from schema.enums import SourceState
from schema.records import LicenseRecord, Provenance, RecordSet
from schema.scenario import Scenario
from schema.scenario.loader import validate_scenario
from schema.scenario.models import Person

BLOCKS = {KEMNAKER: "kemnaker", P2MI: "p2mi", BPJS: "bpjs", EMBASSY: "embassy"}
LOCAL_IDS = {KEMNAKER: "jobSeekerId", P2MI: "pmiId", BPJS: "kpj", EMBASSY: "recordId"}
SANDBOXES: Mapping[str, Any] = {
    KEMNAKER: (kemnaker, "connectors.kemnaker.sandbox", "http://siapkerja.test"),
    P2MI: (p2mi, "connectors.p2mi.sandbox", "http://siskop2mi.test"),
    BPJS: (bpjs, "connectors.bpjs.sandbox", "http://bpjs.test"),
    EMBASSY: (embassy, "connectors.embassy.sandbox", "https://peduliwni.test"),
}

MISSIONS = [
    {"code": "HKG", "name": "KJRI Hong Kong", "city": "Hong Kong", "country": "HK"},
    {"code": "KUL", "name": "KBRI Kuala Lumpur", "city": "Kuala Lumpur", "country": "MY"},
    {"code": "RUH", "name": "KBRI Riyadh", "city": "Riyadh", "country": "SA"},
    {"code": "PNH", "name": "KBRI Phnom Penh", "city": "Phnom Penh", "country": "KH"},
]
PLACEMENT_AGENCIES = [
    {"licenseNumber": "KEP.045/2021", "name": "PT Mitra Karya Migran", "status": "ACTIVE"},
    {"licenseNumber": "KEP.123/2022", "name": "PT Sinar Jaya Abadi", "status": "REVOKED"},
    {"licenseNumber": "KEP.077/2023", "name": "PT Bunga Harapan", "status": "SUSPENDED"},
    {"licenseNumber": "KEP.010/2015", "name": "PT Lama Sekali", "status": "EXPIRED"},
    {"licenseNumber": "KEP.999/2020", "name": "PT Tanpa Jejak", "status": "UNKNOWN"},
]


def facts_for(
    person: dict[str, Any],
    *,
    unavailable: Iterable[str] = (),
    denied: Iterable[str] = (),
    stale: Iterable[str] = (),
    unregistered: Iterable[str] = (),
) -> WorkerFacts:
    """``person`` in the scenario format (SCENARIO.md), against this module's missions and
    placement agencies; ``unregistered`` licence numbers are missing from Kemnaker's registry."""
    raw = {
        "asOf": "2026-11-24",
        "missions": MISSIONS,
        "placementAgencies": PLACEMENT_AGENCIES,
        "people": [copy.deepcopy(person)],
    }
    scenario = validate_scenario(raw, source="test person")
    return facts_of(
        scenario.people[0],
        scenario,
        unavailable=unavailable,
        denied=denied,
        stale=stale,
        unregistered=unregistered,
    )


def facts_of(
    person: Person,
    scenario: Scenario,
    *,
    unavailable: Iterable[str] = (),
    denied: Iterable[str] = (),
    stale: Iterable[str] = (),
    unregistered: Iterable[str] = (),
) -> WorkerFacts:
    failed = {**dict.fromkeys(unavailable, SourceState.UNAVAILABLE)}
    failed.update(dict.fromkeys(denied, SourceState.DENIED))
    stale = set(stale)
    asked = [a for a in BLOCKS if a not in failed]
    sets, licenses = anyio.run(_read, person, scenario, asked)
    sources: dict[str, SourceState] = dict(failed)
    for agency in asked:
        found = sets[agency]
        sources[agency] = (
            SourceState.NOT_FOUND
            if not found
            else SourceState.STALE
            if agency in stale
            else SourceState.OK
        )
        if agency in stale:
            sets[agency] = [_staled(s) for s in found]
    kept = {n: _staled_licence(r) if KEMNAKER in stale else r for n, r in licenses.items()}
    kept = {n: r for n, r in kept.items() if n not in set(unregistered)}
    return WorkerFacts.assemble([s for a in asked for s in sets[a]], kept, sources)


async def _read(
    person: Person, scenario: Scenario, agencies: Sequence[str]
) -> tuple[dict[str, list[RecordSet]], dict[str, LicenseRecord]]:
    """Each agency's record sets of ``person`` and the licences of its placements, read by the
    real connectors from the real sandboxes."""
    data = SandboxData(scenario)
    sets: dict[str, list[RecordSet]] = {}
    licenses: dict[str, LicenseRecord] = {}
    for agency in agencies:
        package, sandbox_module, base_url = SANDBOXES[agency]
        module = __import__(sandbox_module, fromlist=["create_app"])
        credentials = dict(module.DEV_CREDENTIALS)
        app = module.create_app(data, SandboxConfig(credentials=credentials))
        transport = httpx.ASGITransport(app=app)
        connector = package.connect(base_url, credentials, transport=transport)
        try:
            ids = [getattr(r, LOCAL_IDS[agency]) for r in getattr(person, BLOCKS[agency])]
            found = await connector.fetch(ids) if ids else {}
            sets[agency] = [found[i] for i in ids if i in found]
            if agency == KEMNAKER:
                numbers = sorted(
                    {p.agencyLicense for r in person.p2mi for p in r.placements if p.agencyLicense}
                )
                licenses = dict(await connector.licenses(numbers)) if numbers else {}
        finally:
            await connector.aclose()
    return sets, licenses


def _stale_provenance(p: Provenance) -> Provenance:
    return replace(p, stale=True)


def _staled(found: RecordSet) -> RecordSet:
    """The record set as the hub's cache serves it: every provenance marked stale."""
    return replace(
        found,
        person=replace(found.person, provenance=_stale_provenance(found.person.provenance)),
        placements=tuple(
            replace(x, provenance=_stale_provenance(x.provenance)) for x in found.placements
        ),
        memberships=tuple(
            replace(x, provenance=_stale_provenance(x.provenance)) for x in found.memberships
        ),
        reports=tuple(
            replace(x, provenance=_stale_provenance(x.provenance)) for x in found.reports
        ),
        endorsements=tuple(
            replace(x, provenance=_stale_provenance(x.provenance)) for x in found.endorsements
        ),
        cases=tuple(replace(x, provenance=_stale_provenance(x.provenance)) for x in found.cases),
    )


def _staled_licence(record: LicenseRecord) -> LicenseRecord:
    return replace(record, provenance=_stale_provenance(record.provenance))
