"""Appending to the chain: batches, linear under concurrency, fail closed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.audit import AuditTrail, AuditUnavailable, Outcome
from hub.audit.chain import GENESIS
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.storage import make_engine
from tests.audit._support import Clock, entry


def _rows(engine: Engine) -> list[AuditEntryRow]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntryRow).order_by(col(AuditEntryRow.seq))).all())


def test_a_batch_is_one_linked_run_of_entries(trail: AuditTrail, engine: Engine) -> None:
    # given two requests, the first returning two workers
    trail.record([entry(1), entry(2, categories=frozenset({"nik", "identity"}))])
    trail.record([entry(3, outcome=Outcome.BREAK_GLASS, grant_id="bg_1")])

    # then the entries are seq 1..3, each linked to the one before
    rows = _rows(engine)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[1].categories == "identity,nik"
    assert rows[2].outcome == "BREAK_GLASS" and rows[2].grant_id == "bg_1"
    assert trail.verify().ok


def test_an_empty_batch_writes_nothing(trail: AuditTrail, engine: Engine) -> None:
    trail.record([])
    assert _rows(engine) == []


def test_unknown_categories_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit categories"):
        entry(categories=frozenset({"salary"}))


def test_concurrent_requests_leave_one_linear_chain(
    engine: Engine, signer: AuditSigner, clock: Clock
) -> None:
    # given 50 requests recorded at once, from separate trails as separate workers would
    def one(n: int) -> None:
        AuditTrail(engine, signer, clock).record([entry(n), entry(n + 100)])

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(one, range(50)))

    # then seq runs 1..100 without gaps, and the chain verifies
    rows = _rows(engine)
    assert [r.seq for r in rows] == list(range(1, 101))
    assert AuditTrail(engine, signer, clock).verify().ok


def test_an_unreachable_database_fails_closed(
    tmp_path: Path, signer: AuditSigner, clock: Clock
) -> None:
    # given an engine to a database that cannot be opened
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'hub.db'}")

    # then recording raises AuditUnavailable with its stable code
    with pytest.raises(AuditUnavailable) as caught:
        AuditTrail(engine, signer, clock).record([entry(1)])
    assert caught.value.code == "AUDIT_UNAVAILABLE"
    assert "data" not in caught.value.body()
    engine.dispose()


def test_a_dropped_table_fails_closed(trail: AuditTrail, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_entry"))
    with pytest.raises(AuditUnavailable):
        trail.record([entry(1)])


def test_a_refusal_says_why_and_the_reason_is_hashed(trail: AuditTrail, engine: Engine) -> None:
    from hub.audit.chain import entry_hash, row_values

    refused = entry(
        4, outcome=Outcome.REFUSED, categories=frozenset(), reason="FORBIDDEN case:write"
    )
    trail.record([entry(1), refused])
    plain, why = _rows(engine)
    assert plain.reason is None and why.reason == "FORBIDDEN case:write"
    # an entry without a reason hashes as entries did before the column existed
    assert entry_hash({**row_values(plain), "reason": None}) == plain.hash
    assert trail.verify().ok
    with Session(engine) as session:  # rewriting why is caught
        session.exec(text("UPDATE audit_entry SET reason = 'PURPOSE_REQUIRED' WHERE seq = 2"))  # type: ignore[call-overload]
        session.commit()
    assert not trail.verify().ok


def test_a_change_commits_with_its_entries_or_not_at_all(trail: AuditTrail, engine: Engine) -> None:
    from datetime import UTC, datetime

    from hub.crosswalk.tables import WorkerRow

    def workers() -> set[str]:
        with Session(engine) as session:
            return set(session.exec(select(WorkerRow.id)).all())

    at = datetime(2026, 12, 4, tzinfo=UTC)
    with trail.unit() as unit:  # both commit
        unit.session.add(WorkerRow(id="wk_unit_1", created_at=at))
        unit.record(entry(1, worker_id="wk_unit_1"))
    assert "wk_unit_1" in workers() and [r.worker_id for r in _rows(engine)] == ["wk_unit_1"]
    with pytest.raises(ValueError), trail.unit() as unit:  # the change fails: nothing is kept
        unit.session.add(WorkerRow(id="wk_unit_2", created_at=at))
        unit.record(entry(2, worker_id="wk_unit_2"))
        raise ValueError("the change refuses")
    assert "wk_unit_2" not in workers() and len(_rows(engine)) == 1
    assert trail.verify().ok
    with engine.begin() as conn:  # the trail cannot be written: the change is not made either
        conn.execute(text("DROP TABLE audit_entry"))
    with pytest.raises(AuditUnavailable), trail.unit() as unit:
        unit.session.add(WorkerRow(id="wk_unit_3", created_at=at))
        unit.record(entry(3, worker_id="wk_unit_3"))
    assert "wk_unit_3" not in workers()
