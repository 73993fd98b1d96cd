"""Identity fixtures: a migrated hub database on SQLite and on PostgreSQL, record builders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from hub.crosswalk import CrosswalkReader, Pseudonymizer
from schema.enums import Sex
from schema.records import PassportRecord, PersonRecord, Provenance
from tests.databases import migrated_engine

PSEUDO = Pseudonymizer(b"identity-test-key")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    """A migrated, empty hub database on SQLite and on PostgreSQL."""
    with migrated_engine(request.param, tmp_path) as engine:
        yield engine


def person(
    agency: str,
    local_id: str,
    name: str,
    born: str | None,
    *,
    sex: Sex | None = Sex.FEMALE,
    nik: str | None = None,
    passports: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
) -> PersonRecord:
    return PersonRecord(
        agency=agency,
        local_id=local_id,
        name=name,
        provenance=Provenance(agency, "TEST", local_id, datetime.now(UTC)),
        nik=nik,
        birth_date=date.fromisoformat(born) if born else None,
        sex=sex,
        passports=tuple(PassportRecord(p) for p in passports),
        countries=countries,
    )


def worker_of(engine: Engine, agency: str, local_id: str) -> str | None:
    return CrosswalkReader(engine, PSEUDO).find(f"{agency}:LOCAL_ID", [local_id]).get(local_id)


def method_of(engine: Engine, agency: str, local_id: str) -> tuple[str, float]:
    worker = worker_of(engine, agency, local_id)
    assert worker is not None
    (link,) = [
        x
        for x in CrosswalkReader(engine, PSEUDO).canonical_links([worker])[1][worker]
        if (x.agency, x.local_id) == (agency, local_id)
    ]
    return link.method, link.confidence
