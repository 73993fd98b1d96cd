"""``AuditTrail.verify``: every kind of tampering names the first bad entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from hub.audit import AuditTrail
from hub.audit.chain import FIELDS, entry_hash
from hub.audit.signing import AuditSigner, checkpoint_payload
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow
from tests.audit._support import entry

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]


@pytest.fixture
def chain(trail: AuditTrail) -> AuditTrail:
    """Ten entries in five requests, with a checkpoint after the second request."""
    for n in range(1, 11, 2):
        trail.record([entry(n, grant_id="bg_1"), entry(n + 1)])
        if n == 3:
            trail.checkpoint()
    assert trail.verify().ok
    return trail


def _row(engine: Engine, seq: int) -> dict[str, Any]:
    with engine.connect() as conn:
        return dict(conn.execute(select(ENTRY).where(ENTRY.c.seq == seq)).mappings().one())


def _set(engine: Engine, where: int, /, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(ENTRY).where(ENTRY.c.seq == where).values(**values))


def _renumber(engine: Engine, frm: int, shift: int) -> None:
    """Move entries ``seq >= frm`` by ``shift`` (via negatives: no transient key clash)."""
    with engine.begin() as conn:
        conn.execute(update(ENTRY).where(ENTRY.c.seq >= frm).values(seq=-ENTRY.c.seq))
        conn.execute(update(ENTRY).where(ENTRY.c.seq < 0).values(seq=-ENTRY.c.seq + shift))


def _changed(name: str, value: Any) -> Any:
    if name == "at":
        return value + timedelta(seconds=1)
    if name == "seq":
        return 999
    if name in ("hash", "prev_hash"):
        return "f" * 64
    return (value or "") + "x"


@pytest.mark.parametrize("name", [*FIELDS, "hash"])
def test_altering_any_field_is_caught(chain: AuditTrail, name: str) -> None:
    # given entry 5 with one field changed in the database
    _set(chain.engine, 5, **{name: _changed(name, _row(chain.engine, 5)[name])})

    # then verify names entry 5 as altered
    report = chain.verify()
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 5, "altered")
    assert "#5" in report.text() and "diubah" in report.text()


def test_deleting_an_entry_is_caught(chain: AuditTrail) -> None:
    with chain.engine.begin() as conn:
        conn.execute(delete(ENTRY).where(ENTRY.c.seq == 5))
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (5, "deleted")


def test_deleting_an_entry_and_renumbering_is_caught(chain: AuditTrail) -> None:
    with chain.engine.begin() as conn:
        conn.execute(delete(ENTRY).where(ENTRY.c.seq == 5))
        conn.execute(update(HEAD).values(seq=9))
    _renumber(chain.engine, 6, -1)
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (5, "deleted")


def test_deleting_the_last_entry_is_caught(chain: AuditTrail) -> None:
    with chain.engine.begin() as conn:
        conn.execute(delete(ENTRY).where(ENTRY.c.seq == 10))
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (10, "deleted")


def test_inserting_an_entry_is_caught(chain: AuditTrail) -> None:
    # given a well-formed entry slipped in at 5, the later ones moved up
    forged = {**_row(chain.engine, 5), "client_id": "cl_forged"}
    forged["prev_hash"] = _row(chain.engine, 4)["hash"]
    forged["hash"] = entry_hash(forged)
    _renumber(chain.engine, 5, 1)
    with chain.engine.begin() as conn:
        conn.execute(insert(ENTRY).values(**forged))
        conn.execute(update(HEAD).values(seq=11))
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (5, "inserted")


def test_appending_an_entry_outside_the_trail_is_caught(chain: AuditTrail) -> None:
    forged = {**_row(chain.engine, 10), "seq": 11, "prev_hash": _row(chain.engine, 10)["hash"]}
    forged["hash"] = entry_hash(forged)
    with chain.engine.begin() as conn:
        conn.execute(insert(ENTRY).values(**forged))
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (11, "inserted")


def test_reordering_two_entries_is_caught(chain: AuditTrail) -> None:
    _set(chain.engine, 4, seq=-1)
    _set(chain.engine, 7, seq=4)
    _set(chain.engine, -1, seq=7)
    report = chain.verify()
    assert (report.first_bad_seq, report.problem) == (4, "reordered")


def test_a_rewritten_chain_is_caught_by_its_checkpoint(chain: AuditTrail) -> None:
    # given entry 2 altered and every later hash and the head recomputed to match
    _set(chain.engine, 2, purpose="EMERGENCY")
    prev = _row(chain.engine, 1)["hash"]
    for seq in range(2, 11):
        row = {**_row(chain.engine, seq), "prev_hash": prev}
        prev = entry_hash(row)
        _set(chain.engine, seq, prev_hash=row["prev_hash"], hash=prev)
    with chain.engine.begin() as conn:
        conn.execute(update(HEAD).values(hash=prev))

    # then the checkpoint at 4 no longer matches: the break is at or before it
    report = chain.verify()
    assert (report.ok, report.problem, report.first_bad_seq) == (False, "altered", 1)


def test_a_forged_checkpoint_is_caught(chain: AuditTrail) -> None:
    other = AuditSigner(Ed25519PrivateKey.generate())
    head = _row(chain.engine, 10)
    signed_at = chain.clock()
    payload = checkpoint_payload(10, head["hash"], signed_at, None, chain.signer.key_id)
    with chain.engine.begin() as conn:
        conn.execute(
            insert(CHECKPOINT).values(
                seq=10,
                head_hash=head["hash"],
                signed_at=signed_at,
                signature=other.sign(payload),
                key_id=chain.signer.key_id,
            )
        )
    report = chain.verify()
    assert (report.ok, report.problem, report.first_bad_seq) == (False, "checkpoint", 10)


def test_a_checkpoint_moved_to_another_seq_is_caught(chain: AuditTrail) -> None:
    with chain.engine.begin() as conn:
        conn.execute(update(CHECKPOINT).values(seq=6))
    assert chain.verify().problem == "checkpoint"


def test_purge_behind_a_checkpoint_still_verifies(chain: AuditTrail) -> None:
    # given entries recorded one second apart per request; purge the first three requests
    cutoff = _row(chain.engine, 7)["at"]
    assert chain.purge(cutoff) == 6

    # then the remaining chain 7..10 verifies, and keeps verifying as it grows
    assert chain.verify().ok
    chain.record([entry(11)])
    report = chain.verify()
    assert report.ok and report.entries == 5

    # and deleting the first remaining entry is still caught
    with chain.engine.begin() as conn:
        conn.execute(delete(ENTRY).where(ENTRY.c.seq == 7))
    assert (chain.verify().first_bad_seq, chain.verify().problem) == (7, "deleted")


def test_purging_everything_keeps_the_chain_going(chain: AuditTrail) -> None:
    last = _row(chain.engine, 10)["hash"]
    assert chain.purge(chain.clock() + timedelta(days=1)) == 10
    assert chain.verify().ok
    chain.record([entry(11)])
    assert _row(chain.engine, 11)["prev_hash"] == last
    assert chain.verify().ok


def test_purging_nothing_only_checkpoints(chain: AuditTrail) -> None:
    assert chain.purge(_row(chain.engine, 1)["at"]) == 0
    report = chain.verify()
    assert report.ok and report.entries == 10 and report.checkpoints == 2
