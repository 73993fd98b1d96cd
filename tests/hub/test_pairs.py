"""``pairs_in``: the rows whose two columns are one of the pairs, found by index on SQLite."""

from __future__ import annotations

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from hub.crosswalk.tables import RecordKeyRow
from hub.storage.pairs import pairs_in

KEYS = RecordKeyRow.__table__  # type: ignore[attr-defined]


def fill(engine: Engine) -> None:
    rows = [
        {"kind": kind, "digest": f"d{n}", "agency": "P2MI", "local_id": f"{kind}-{n}"}
        for kind in ("NIK", "PASSPORT", "P2MI:PLACEMENT_ID")
        for n in range(50)
    ]
    with engine.begin() as connection:
        connection.execute(insert(KEYS), rows)


def found(engine: Engine, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    query = select(KEYS.c.kind, KEYS.c.digest).where(pairs_in(KEYS.c.kind, KEYS.c.digest, pairs))
    with engine.connect() as connection:
        return {(kind, digest) for kind, digest in connection.execute(query)}


def test_only_the_given_pairs_match(engine: Engine) -> None:
    fill(engine)
    pairs = [("NIK", "d1"), ("NIK", "d7"), ("PASSPORT", "d7"), ("PASSPORT", "nope"), ("X", "d1")]
    assert found(engine, pairs) == {("NIK", "d1"), ("NIK", "d7"), ("PASSPORT", "d7")}
    assert found(engine, []) == set()


def test_sqlite_searches_the_index_instead_of_scanning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hub.storage import make_engine
    from hub.storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    upgrade(engine)
    fill(engine)
    query = select(KEYS).where(pairs_in(KEYS.c.kind, KEYS.c.digest, [("NIK", "a"), ("X", "b")]))
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql))
        )
    engine.dispose()
    assert "SEARCH record_key" in plan and "SCAN record_key" not in plan, plan
