"""The demo's showcase worker: known to every agency, and with records that tell the birth date
the banner prints (``DEMO_BIRTH_DATE``), so the README's search example shows it back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.crosswalk import AgencyRecordRow
from hub.crosswalk.tables import WorkerRow
from hub.demo_text import person_to_try, showcase_worker

AGENCIES = ["kemnaker", "p2mi", "bpjs", "embassy"]


def person(n: int, *, swapped: bool) -> dict[str, object]:
    kemnaker: dict[str, object] = {"jobSeekerId": f"AK1-{n}"}
    if swapped:
        kemnaker["birthDateAs"] = "1990-08-05"
    return {
        "key": f"p{n}",
        "nik": f"350612450890{n:04d}",
        "name": f"Siti Aminah {n}",
        "birthDate": "1990-05-08",
        "kemnaker": kemnaker,
        "p2mi": {"pmiId": f"PMI-{n}"},
        "bpjs": {"kpj": f"KPJ-{n}"},
        "embassy": {"recordId": f"HKG-{n}"},
    }


def known_everywhere(engine: Engine, worker_id: str, n: int) -> None:
    now = datetime.now(UTC)
    ids = {"kemnaker": f"AK1-{n}", "p2mi": f"PMI-{n}", "bpjs": f"KPJ-{n}", "embassy": f"HKG-{n}"}
    with Session(engine) as session:
        session.add(WorkerRow(id=worker_id, created_at=now))
        session.flush()
        for agency, local_id in ids.items():
            session.add(
                AgencyRecordRow(
                    agency=agency,
                    local_id=local_id,
                    worker_id=worker_id,
                    method="NIK",
                    fingerprint="0" * 64,
                    updated_at=now,
                )
            )
        session.commit()


def test_the_showcase_skips_a_worker_whose_records_swap_the_birth_date(
    engine: Engine, tmp_path: Path
) -> None:
    # given: the first worker by id has a record telling the day and month swapped
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"people": [person(1, swapped=True), person(2, swapped=False)]}))
    known_everywhere(engine, "wk_a", 1)
    known_everywhere(engine, "wk_b", 2)
    # when
    chosen = showcase_worker(engine, AGENCIES, scenario)
    # then: the second, and the banner's values are hers
    assert chosen == "wk_b"
    to_try = person_to_try(engine, scenario, chosen)
    assert to_try["DEMO_BIRTH_DATE"] == "1990-05-08"
    assert to_try["DEMO_NIK"] == "3506124508900002"


def test_when_every_worker_has_a_swapped_record_the_first_is_still_shown(
    engine: Engine, tmp_path: Path
) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"people": [person(1, swapped=True)]}))
    known_everywhere(engine, "wk_a", 1)
    assert showcase_worker(engine, AGENCIES, scenario) == "wk_a"
