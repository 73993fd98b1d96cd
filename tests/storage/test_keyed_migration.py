"""Migration 0007 on a database the old code filled: fingerprints keyed, KPJ sealed, and the
next sync of the same records finds them unchanged under the new keys."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Engine

from hub.crosswalk import Pseudonymizer
from hub.crosswalk.keys import record_keys
from hub.crosswalk.linker import link_records
from hub.crosswalk.record_ids import PREFIX, RecordIdCipher
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow
from hub.search.index import index_records
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from schema.identifiers import normalize_passport
from schema.records import CrossRef, PassportRecord, PersonRecord, Provenance
from tests.databases import throwaway_postgres

KEY = "migration-test-pseudonym-key-0123456789"
BPJS = "BPJS_KETENAGAKERJAAN"
AT = datetime(2026, 11, 24, tzinfo=UTC)
RECORDS = [
    PersonRecord(
        agency="KEMNAKER",
        local_id="AK1-2024-000123",
        name="SITI AMINAH",
        provenance=Provenance("KEMNAKER", "SIAPkerja", "AK1-2024-000123", AT),
        nik="3506124508900003",
        birth_date=date(1990, 8, 5),
        passports=(PassportRecord("C1234567"),),
    ),
    PersonRecord(
        agency=BPJS,
        local_id="24001234567",
        name="SITI AMINAH",
        provenance=Provenance(BPJS, "SIPP", "24001234567", AT),
        nik="3506124508900003",
        birth_date=date(1990, 8, 5),
        cross_refs=(CrossRef(BPJS, "KPJ", "24001234567"),),
    ),
]
RECORD = AgencyRecordRow.__table__  # type: ignore[attr-defined]


def old_fingerprint(record: PersonRecord) -> str:
    """The unkeyed digest the crosswalk stored before 0007."""
    parts = [
        record.nik or "",
        record.name,
        record.birth_date.isoformat() if record.birth_date else "",
        record.sex or "",
        *sorted(normalize_passport(p.number) for p in record.passports),
        *sorted(f"{r.agency}:{r.key}:{r.value}" for r in record.cross_refs),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database at 0006 holding what the old code stored for ``RECORDS``."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
        upgrade(engine, "0006")
        yield from _fill(engine)
        return
    with throwaway_postgres() as url:
        engine = make_engine(url)
        upgrade(engine, "0006")
        yield from _fill(engine)


def _fill(engine: Engine) -> Iterator[Engine]:
    # the current linker fills the old database, and it reads identity_attribute.countries
    # (migration 0011, which leaves an existing column alone)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE identity_attribute ADD COLUMN countries VARCHAR(60)"))
    link_records(engine, Pseudonymizer(KEY.encode()), RECORDS)
    with engine.begin() as connection:
        index_records(connection, RECORDS)
        for record in RECORDS:
            connection.execute(
                update(RECORD)
                .where(RECORD.c.agency == record.agency, RECORD.c.local_id == record.local_id)
                .values(fingerprint=old_fingerprint(record))
            )
    try:
        yield engine
    finally:
        engine.dispose()


def test_the_migration_keys_fingerprints_and_seals_kpj(
    old_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the key the hub runs with
    monkeypatch.setenv("HUB_PSEUDONYM_KEY", KEY)
    pseudo = Pseudonymizer(KEY.encode())
    token = RecordIdCipher(KEY.encode()).seal(BPJS, "24001234567")
    # when
    upgrade(old_database)
    # then no plain KPJ and no unkeyed fingerprint is left
    with old_database.connect() as connection:
        stored = dict(connection.execute(select(RECORD.c.local_id, RECORD.c.fingerprint)).all())
        for table in ("agency_record", "record_key", "identity_attribute", "search_record"):
            query = text(f"SELECT local_id FROM {table} WHERE agency = :a")  # noqa: S608
            ids = connection.execute(query, {"a": BPJS})
            assert set(ids.scalars()) == {token}, table
    assert token.startswith(PREFIX) and set(stored) == {"AK1-2024-000123", token}
    assert not set(stored.values()) & {old_fingerprint(r) for r in RECORDS}
    # and the next sync of the same records (now sealed) finds each one unchanged
    sealed = [r if r.agency != BPJS else dataclasses.replace(r, local_id=token) for r in RECORDS]
    assert link_records(old_database, pseudo, sealed) == 0
    with old_database.connect() as connection:
        assert connection.execute(select(func.count()).select_from(RECORD)).scalar() == 2
        keys = connection.execute(
            select(RecordKeyRow.kind, RecordKeyRow.digest).where(RecordKeyRow.agency == BPJS)  # type: ignore[arg-type]
        ).all()
    expected = {(k, pseudo.digest(k, v)) for k, v in record_keys(sealed[1])}
    assert set(keys) == expected


def test_without_the_key_plain_kpj_stops_the_migration(
    old_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_ENV", "production")
    with pytest.raises(RuntimeError, match="HUB_PSEUDONYM_KEY is required"):
        upgrade(old_database)
    with old_database.connect() as connection:  # nothing changed
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"
        )
        prints = set(connection.execute(select(RECORD.c.fingerprint)).scalars())
    assert prints == {old_fingerprint(r) for r in RECORDS}


def test_without_the_key_and_without_kpj_the_fingerprints_are_cleared(
    old_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_ENV", "production")
    with old_database.begin() as connection:
        for table in (
            "agency_record",
            "record_key",
            "identity_attribute",
            "search_record",
            "search_term",
        ):
            connection.execute(text(f"DELETE FROM {table} WHERE agency = :a"), {"a": BPJS})  # noqa: S608
    upgrade(old_database)
    with old_database.connect() as connection:
        assert set(connection.execute(select(RECORD.c.fingerprint)).scalars()) == {""}
