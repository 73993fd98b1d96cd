"""The verdict profile of a generated population: levels and the most frequent findings.

``python -m bench.verdict_profile [--people 10000] [--seed 2026] [--top 15] [--scenario FILE]``

Each person of the generated scenario is served by the four real sandboxes (in-process,
through ASGITransport) and read by the four real connectors; records are grouped by the
scenario's own people (the ground truth of identity, so the linker plays no part) and judged
by the protection engine on the scenario's ``asOf`` day (``HUB_TODAY`` when pinned). The README
section "Protection verdicts of the demo population" was written from this command's output,
before and after the rules followed the law of 2023-2025.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
from collections import defaultdict
from datetime import date
from typing import Any

import httpx

from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from hub.protection import Profile, WorkerFacts, profile
from schema import clock
from schema.enums import SourceState
from schema.population.generator import build_scenario
from schema.records import LicenseRecord, RecordSet
from schema.scenario.loader import load_scenario, validate_scenario

AGENCIES = {
    "KEMNAKER": ("connectors.kemnaker", "kemnaker", "jobSeekerId", "http://siapkerja.test"),
    "P2MI": ("connectors.p2mi", "p2mi", "pmiId", "http://siskop2mi.test"),
    "BPJS_KETENAGAKERJAAN": ("connectors.bpjs", "bpjs", "kpj", "http://bpjs.test"),
    "EMBASSY": ("connectors.embassy", "embassy", "recordId", "https://peduliwni.test"),
}
BATCH = 100


async def facts_of(scenario: Any) -> list[WorkerFacts]:
    data = SandboxData(scenario)
    sets: dict[str, list[RecordSet]] = defaultdict(list)
    known: dict[str, set[str]] = defaultdict(set)
    licenses: dict[str, LicenseRecord] = {}
    for code, (package, block, key, base_url) in AGENCIES.items():
        module: Any = importlib.import_module(package)
        sandbox: Any = importlib.import_module(f"{package}.sandbox")
        credentials = dict(sandbox.DEV_CREDENTIALS)
        app = sandbox.create_app(data, SandboxConfig(credentials=credentials))
        connector = module.connect(base_url, credentials, transport=httpx.ASGITransport(app=app))
        owner = {
            getattr(record, key): person.key
            for person in scenario.people
            for record in getattr(person, block)
        }
        ids = list(owner)
        try:
            for start in range(0, len(ids), BATCH):
                found = await connector.fetch(ids[start : start + BATCH])
                for local_id, record_set in found.items():
                    sets[owner[local_id]].append(record_set)
                    known[owner[local_id]].add(code)
            if code == "KEMNAKER":
                numbers = sorted({a.licenseNumber for a in scenario.placementAgencies})
                for start in range(0, len(numbers), BATCH):
                    licenses.update(await connector.licenses(numbers[start : start + BATCH]))
        finally:
            await connector.aclose()
    return [
        WorkerFacts.assemble(
            sets[person.key],
            licenses,
            {
                c: SourceState.OK if c in known[person.key] else SourceState.NOT_FOUND
                for c in AGENCIES
            },
        )
        for person in scenario.people
    ]


def run(people: int, seed: int, today: date, path: str | None = None) -> Profile:
    """The profile of the generated population, or of the scenario file ``path``."""
    if path is not None:
        scenario = load_scenario(path)
    else:
        raw = build_scenario(people=people, seed=seed, as_of=today)
        scenario = validate_scenario(raw, source="generated population")
    return profile(asyncio.run(facts_of(scenario)), today=today)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.verdict_profile", description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--scenario", help="a scenario file instead of a generated population")
    args = parser.parse_args(argv)
    today = clock.today()
    result = run(args.people, args.seed, today, args.scenario)
    print(
        f"verdicts of {result.workers:,} generated people (seed {args.seed}) on {today}, "
        f"{result.microseconds_per_worker:.0f} µs per worker in the engine"
    )
    for level, count in result.levels.most_common():
        print(f"  {level.value:<12} {count:>6}  {100 * count / result.workers:5.1f}%")
    print("most frequent findings (findings, share of people):")
    for code, count in result.codes.most_common(args.top):
        print(f"  {code:<36} {count:>6}  {100 * count / result.workers:5.1f}%")


if __name__ == "__main__":
    main()
