"""Live linking beside ``pmihub sync``: no error, no duplicate worker, no lost link.

People registered at the agencies after the last sync are asked for by NIK, each twice and
from eight threads at once, while ``pmihub sync`` (the real command, its own process) links
the same people from the feeds. Afterwards every person is one worker holding all four of
their agency records, and every answer named that worker (or one merged into it).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from hub.crosswalk import CrosswalkReader, Pseudonymizer
from hub.crosswalk.record_ids import PREFIX, RecordIdCipher
from hub.crosswalk.tables import AgencyRecordRow
from hub.settings import Settings
from hub.storage import make_engine
from schema.enums import Agency
from schema.scenario import Scenario
from tests.databases import throwaway_postgres
from tests.e2e.newcomers import newcomer, register_at_agencies
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.e2e
PEOPLE = 120
BY_NIK = "query($n: String!) { workerBy(nik: $n) { id identity { nik } } }"
PMIHUB = Path(sys.executable).with_name("pmihub")


@pytest.fixture(params=["sqlite", "postgres"])
def race_stack(
    request: pytest.FixtureRequest,
    small_scenario: Scenario,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    with ExitStack() as resources:
        url = None
        if request.param == "postgres":
            url = resources.enter_context(throwaway_postgres("pmihub_race"))
        folder = tmp_path_factory.mktemp(f"race-{request.param}")
        yield resources.enter_context(running_stack(small_scenario, folder, database_url=url))


def records_of(person: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (str(Agency.KEMNAKER), person["kemnaker"]["jobSeekerId"]),
        (str(Agency.P2MI), person["p2mi"]["pmiId"]),
        (str(Agency.BPJS_KETENAGAKERJAAN), person["bpjs"]["kpj"]),
        (str(Agency.EMBASSY), person["embassy"]["recordId"]),
    }


def test_live_links_and_the_sync_agree(race_stack: Stack) -> None:
    # given people the agencies registered after the last sync
    people = [newcomer(i, region="350618") for i in range(PEOPLE)]
    register_at_agencies(race_stack, people)
    asks = [p["nik"] for p in people] * 2
    random.Random(7).shuffle(asks)
    race_stack.token()  # signed in before the race

    # when pmihub sync runs while eight clients ask for them by NIK
    env = {**os.environ, **race_stack.environ}
    sync = subprocess.Popen(
        [str(PMIHUB), "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda nik: race_stack.graphql(BY_NIK, {"n": nik}), asks))
    output, _ = sync.communicate(timeout=300)

    # then the sync succeeded and every answer is a worker, with no error
    assert sync.returncode == 0, output.decode()
    bodies = [a.json() for a in answers]
    assert all(a.status_code == 200 for a in answers)
    assert [b.get("errors") for b in bodies if b.get("errors")] == []
    answered = {}
    for nik, body in zip(asks, bodies, strict=True):
        worker = body["data"]["workerBy"]
        assert worker is not None and worker["identity"]["nik"] == nik
        answered.setdefault(nik, set()).add(worker["id"])

    # and each person is one worker holding all four records, the one every answer named
    engine = make_engine(race_stack.environ["HUB_DATABASE_URL"])
    try:
        settings = Settings.from_environ(race_stack.environ)
        reader = CrosswalkReader(engine, Pseudonymizer(settings.pseudonym_key))
        record = AgencyRecordRow.__table__  # type: ignore[attr-defined]
        cipher = RecordIdCipher(settings.pseudonym_key)  # BPJS record keys are sealed at rest
        with engine.connect() as connection:
            rows = connection.execute(
                select(record.c.agency, record.c.local_id, record.c.worker_id)
            )
            stored = {
                (agency, cipher.open(agency, local) if local.startswith(PREFIX) else local): worker
                for agency, local, worker in rows
            }
        for person in people:
            mine = records_of(person)
            assert mine <= stored.keys(), ("lost link", person["nik"], mine - stored.keys())
            holders = set(reader.canonical([stored[r] for r in mine]).values())
            assert len(holders) == 1, ("one person, several workers", person["nik"], holders)
            named = set(reader.canonical(list(answered[person["nik"]])).values())
            assert named == holders, (person["nik"], named, holders)
    finally:
        engine.dispose()
