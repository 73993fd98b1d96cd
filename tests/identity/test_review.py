"""The review queue: confirm, reject and split are kept, and survive the next sync."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.engine import Engine

from hub.crosswalk.export import write_csv
from hub.identity.review import ReviewError, ReviewQueue
from tests.identity.conftest import method_of, person, worker_of
from tests.identity.test_linkage import NIK_A, NIK_B, link

OFFICER = "console-frontend:petugas.identitas"


def _queued_pair(engine: Engine) -> int:
    link(engine, person("KEMNAKER", "AK1-1", "DEWI LESTARI", "1991-03-07", nik=NIK_A))
    link(engine, person("EMBASSY", "SIN-1", "DEWI LESTARI", "1991-07-03"))
    (candidate,) = ReviewQueue(engine).pending().items
    return candidate.id


def test_confirm_links_as_manual_and_survives_a_resync(engine: Engine) -> None:
    candidate = _queued_pair(engine)
    confirmed = ReviewQueue(engine).confirm(candidate, OFFICER)
    assert confirmed.status == "CONFIRMED"
    kemnaker = worker_of(engine, "KEMNAKER", "AK1-1")
    assert worker_of(engine, "EMBASSY", "SIN-1") == kemnaker
    assert method_of(engine, "EMBASSY", "SIN-1") == ("MANUAL", 1.0)
    # the next sync brings the record changed (a new spelling): the decision stands
    link(engine, person("EMBASSY", "SIN-1", "DEWI LESTARY", "1991-07-03"))
    assert worker_of(engine, "EMBASSY", "SIN-1") == kemnaker
    assert ReviewQueue(engine).pending().total == 0


def test_reject_is_never_auto_linked_again(engine: Engine) -> None:
    candidate = _queued_pair(engine)
    ReviewQueue(engine).reject(candidate, OFFICER)
    # the record comes back with the date corrected: now it would link on its own
    link(engine, person("EMBASSY", "SIN-1", "DEWI LESTARI", "1991-03-07"))
    assert worker_of(engine, "EMBASSY", "SIN-1") != worker_of(engine, "KEMNAKER", "AK1-1")
    assert ReviewQueue(engine).pending().total == 0


def test_decided_candidates_refuse_a_second_decision(engine: Engine) -> None:
    candidate = _queued_pair(engine)
    queue = ReviewQueue(engine)
    queue.reject(candidate, OFFICER)
    with pytest.raises(ReviewError) as wrong_state:
        queue.confirm(candidate, OFFICER)
    assert wrong_state.value.code == "CANDIDATE_NOT_PENDING"
    with pytest.raises(ReviewError) as unknown:
        queue.reject(candidate + 1000, OFFICER)
    assert unknown.value.code == "NOT_FOUND"


def test_split_moves_records_out_and_keeps_them_apart(engine: Engine) -> None:
    # given a false probabilistic merge
    link(engine, person("KEMNAKER", "AK1-2", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    link(engine, person("EMBASSY", "HKG-2", "SITI AMINAH BT SAHRONI", "1990-08-05"))
    worker = worker_of(engine, "KEMNAKER", "AK1-2")
    assert worker is not None and worker_of(engine, "EMBASSY", "HKG-2") == worker
    # when the officer splits the embassy record off
    new = ReviewQueue(engine).split(worker, [("EMBASSY", "HKG-2")], OFFICER)
    assert worker_of(engine, "EMBASSY", "HKG-2") == new != worker
    # then a re-sync with the record changed does not link it back
    link(engine, person("EMBASSY", "HKG-2", "SITI AMINAH BINTI SAHRONI", "1990-08-05"))
    assert worker_of(engine, "EMBASSY", "HKG-2") == new
    assert method_of(engine, "EMBASSY", "HKG-2")[0] == "MANUAL"


def test_split_refusals_change_nothing(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-3", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        person("P2MI", "PMI-3", "Siti Aminah", "1990-08-05", nik=NIK_A),
    )
    worker = worker_of(engine, "KEMNAKER", "AK1-3")
    assert worker is not None
    queue = ReviewQueue(engine)
    cases = {
        "RECORD_NOT_IN_WORKER": [("EMBASSY", "NOPE")],
        "BAD_USER_INPUT": [("KEMNAKER", "AK1-3"), ("P2MI", "PMI-3")],
        "NIK_CONFLICT": [("P2MI", "PMI-3")],
    }
    for code, records in cases.items():
        with pytest.raises(ReviewError) as refused:
            queue.split(worker, records, OFFICER)
        assert refused.value.code == code
    with pytest.raises(ReviewError) as unknown:
        queue.split("wk_00000000000000000000", [("P2MI", "PMI-3")], OFFICER)
    assert unknown.value.code == "NOT_FOUND"
    assert worker_of(engine, "P2MI", "PMI-3") == worker


def test_confirm_refuses_two_niks(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-4", "DEWI LESTARI", "1991-03-07", nik=NIK_A))
    link(engine, person("KEMNAKER", "AK1-5", "DEWI LESTARI", "1991-03-07", nik=NIK_B))
    link(engine, person("EMBASSY", "SIN-4", "DEWI LESTARI", "1991-03-07"))
    ids = [c.id for c in ReviewQueue(engine).pending().items]
    assert len(ids) == 2  # ambiguous: both queued
    ReviewQueue(engine).confirm(ids[0], OFFICER)
    with pytest.raises(ReviewError):  # the other is superseded by the first decision
        ReviewQueue(engine).confirm(ids[1], OFFICER)


def test_export_lists_every_linked_record(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-6", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        person("EMBASSY", "HKG-6", "SITI AMINAH BT SAHRONI", "1990-08-05"),
        person("KEMNAKER", "AK1-7", "DEWI LESTARI", "1991-03-07", nik=NIK_B),
    )
    out = io.StringIO()
    assert write_csv(engine, out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == "worker_id,agency,local_id,method,confidence"
    rows = {tuple(line.split(",")[1:3]): line.split(",") for line in lines[1:]}
    siti = worker_of(engine, "KEMNAKER", "AK1-6")
    assert rows[("EMBASSY", "HKG-6")][0] == siti
    assert rows[("EMBASSY", "HKG-6")][3] == "PROBABILISTIC"
    assert 0.95 <= float(rows[("EMBASSY", "HKG-6")][4]) < 1
    assert rows[("KEMNAKER", "AK1-7")][3:] == ["NIK", "1"]
    assert NIK_A not in out.getvalue() and "SITI" not in out.getvalue()
