"""The protection verdicts over the 10,000-person demo population, read through the real
connectors from the sandboxes: level and finding counts, and the engine time per worker."""

from __future__ import annotations

import argparse
import asyncio
from collections import defaultdict

from sqlmodel import Session, select

from bench.harness import demo_stack
from hub.crosswalk import AgencyRecordRow
from hub.demo import Demo
from hub.protection import WorkerFacts, profile
from hub.registry import build_connectors
from hub.settings import Settings
from hub.storage import make_engine
from schema.enums import SourceState
from schema.records import LicenseRecord, RecordSet


async def _facts(demo: Demo) -> list[WorkerFacts]:
    settings = Settings.from_environ(demo.hub_env)
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        rows = session.exec(select(AgencyRecordRow)).all()
    engine.dispose()
    connectors = build_connectors(settings.agencies)
    by_worker: dict[str, list[RecordSet]] = defaultdict(list)
    linked: dict[str, set[str]] = defaultdict(set)
    licenses: dict[str, LicenseRecord] = {}
    try:
        for code, connector in connectors.items():
            ids = [(r.worker_id, r.local_id) for r in rows if r.agency == code]
            owner = dict((local, worker) for worker, local in ids)
            for start in range(0, len(ids), connector.batch_size):
                batch = [local for _, local in ids[start : start + connector.batch_size]]
                for local_id, record_set in (await connector.fetch(batch)).items():
                    by_worker[owner[local_id]].append(record_set)
                    linked[owner[local_id]].add(code)
        kemnaker = connectors.get("KEMNAKER")
        numbers = sorted(
            {
                p.agency_license
                for sets in by_worker.values()
                for s in sets
                for p in s.placements
                if p.agency_license
            }
        )
        if kemnaker is not None:
            for start in range(0, len(numbers), kemnaker.batch_size):
                batch = numbers[start : start + kemnaker.batch_size]
                licenses.update(await kemnaker.licenses(batch))  # type: ignore[attr-defined]
    finally:
        for connector in connectors.values():
            await connector.aclose()
    facts = []
    for worker, sets in by_worker.items():
        sources = {
            code: SourceState.OK if code in linked[worker] else SourceState.NOT_FOUND
            for code in connectors
        }
        facts.append(WorkerFacts.assemble(sets, licenses, sources))
    return facts


def run(demo: Demo) -> None:
    facts = asyncio.run(_facts(demo))
    result = profile(facts)
    print(f"protection: {len(facts):,} workers of the demo population")
    print(result.format())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.protection")
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args(argv)
    with demo_stack(args.people) as demo:
        run(demo)


if __name__ == "__main__":
    main()
