"""The linker's storage helpers: bulk inserts store what SQLAlchemy would, page lookups find
exactly the rows asked for, and the pseudonym digests are HMAC-SHA256. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hub.crosswalk import Pseudonymizer
from hub.crosswalk.page import RECORD
from hub.identity.tables import IdentityAttributeRow
from hub.storage.bulk import insert_rows
from hub.storage.members import batches, member_of

ATTRIBUTE = IdentityAttributeRow.__table__  # type: ignore[attr-defined]
COLUMNS = ("agency", "local_id", "given", "father", "birth_date", "sex", "region", "has_nik")
ROWS = [
    ("EMBASSY", "HKG-1", "siti aminah", "sahroni", date(1990, 8, 5), "FEMALE", None, False),
    ("KEMNAKER", "AK1-1", "dewi", None, None, None, "3506", True),
]


def stored(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(select(*(ATTRIBUTE.c[c] for c in COLUMNS))).all()
    return sorted(tuple(r) for r in rows)


def test_insert_rows_stores_what_sqlalchemy_stores(engine: Engine) -> None:
    with engine.begin() as connection:
        insert_rows(connection, ATTRIBUTE, COLUMNS, ROWS)
    bulk = stored(engine)
    with engine.begin() as connection:
        connection.execute(ATTRIBUTE.delete())
        connection.execute(insert(ATTRIBUTE), [dict(zip(COLUMNS, r, strict=True)) for r in ROWS])
    assert bulk == stored(engine) == sorted(ROWS)


def test_insert_rows_takes_columns_in_any_order_and_converts_datetimes(engine: Engine) -> None:
    when = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    columns = ("updated_at", "fingerprint", "local_id", "agency", "worker_id", "method")
    with engine.begin() as connection:
        connection.execute(
            insert(RECORD.metadata.tables["worker"]), [{"id": "wk_1", "created_at": when}]
        )
        insert_rows(
            connection,
            RECORD,
            (*columns, "confidence"),
            [(when, "f" * 64, "PMI-1", "P2MI", "wk_1", "NIK", 0.75)],
        )
        # a column left out takes its default
        insert_rows(connection, RECORD, columns, [(when, "e" * 64, "PMI-2", "P2MI", "wk_1", "NIK")])
    with engine.connect() as connection:
        rows = connection.execute(select(RECORD).order_by(RECORD.c.local_id)).all()
    got = [(r.agency, r.local_id, r.worker_id, r.confidence, r.fingerprint[0]) for r in rows]
    assert got == [("P2MI", "PMI-1", "wk_1", 0.75, "f"), ("P2MI", "PMI-2", "wk_1", 1.0, "e")]
    assert all(r.updated_at.replace(tzinfo=UTC) == when for r in rows)


@pytest.mark.parametrize("size", [0, 1, 901, 2500])
def test_member_of_finds_exactly_the_values_asked_for(engine: Engine, size: int) -> None:
    rows = [
        ("EMBASSY", f"R-{i}", "x", None, date(1990, 1, 1 + i % 28), None, None, False)
        for i in range(5000)
    ]
    with engine.begin() as connection:
        insert_rows(connection, ATTRIBUTE, COLUMNS, rows)
    wanted = [f"R-{i}" for i in range(0, 2 * size, 2)] + ["absent"]
    found: list[str] = []
    with engine.connect() as connection:
        for batch in batches(connection, wanted):
            query = select(ATTRIBUTE.c.local_id).where(
                member_of(connection, ATTRIBUTE.c.local_id, batch)
            )
            found.extend(connection.execute(query).scalars())
        days = connection.execute(
            select(ATTRIBUTE.c.local_id).where(
                member_of(connection, ATTRIBUTE.c.birth_date, [date(1990, 1, 2)])
            )
        ).scalars()
        assert {int(d.removeprefix("R-")) % 28 for d in days} == {1}
    assert sorted(found) == sorted(wanted[:-1])


def test_pseudonym_digests_are_hmac_sha256_for_keys_of_every_length() -> None:
    for key in (b"", b"k" * 32, b"z" * 64, b"y" * 65, b"x" * 200):
        for kind, value in (("NIK", "3506124508900003"), ("PASSPORT", "C1234567"), ("X", "é")):
            expected = hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
            assert Pseudonymizer(key).digest(kind, value) == expected


def test_a_page_lookup_searches_the_index_instead_of_scanning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hub.crosswalk.page import KEY
    from tests.databases import migrated_engine

    with migrated_engine("sqlite", tmp_path) as engine, engine.connect() as connection:
        query = select(KEY).where(
            KEY.c.kind == "NIK", member_of(connection, KEY.c.digest, ["a", "b"])
        )
        sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        )
    assert "SEARCH record_key" in plan and "SCAN record_key" not in plan, plan
