"""A bulk entry (a cohort) is found in the access log of each worker it listed.

The workers are kept as keyed digests (``audit_member``), never their ids in clear, and the
entry's hash covers a commitment to them: a member row deleted, added or changed is a broken
chain for ``verify``. Purging the entries purges their members.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, text, update

from hub.audit import AuditTrail, members
from hub.audit.members import MEMBER, member_key
from hub.crosswalk import Pseudonymizer
from tests.audit._support import entry

PSEUDO = Pseudonymizer(b"audit-members-test-key")
LISTED = ["wk_0001", "wk_0002", "wk_0003"]


def bulk(n: int, workers: list[str], operation: str = "Cohort") -> object:
    keys = frozenset(member_key(PSEUDO, w) for w in workers)
    return entry(n, worker_id=None, operation=operation, members=keys)


def log(trail: AuditTrail, worker_id: str) -> list[str]:
    page = trail.access_log(worker_id, first=20, member=member_key(PSEUDO, worker_id))
    return [e.operation for e in page.entries]


def test_each_listed_worker_finds_the_bulk_entry_and_no_one_else_does(trail: AuditTrail) -> None:
    trail.record([entry(1, worker_id="wk_0001", operation="Own")])
    trail.record([bulk(2, LISTED, "CohortHKG")])
    trail.record([bulk(3, ["wk_0002"], "CohortTPE")])
    assert log(trail, "wk_0001") == ["CohortHKG", "Own"]
    assert log(trail, "wk_0002") == ["CohortTPE", "CohortHKG"]
    assert log(trail, "wk_0003") == ["CohortHKG"]
    assert log(trail, "wk_0009") == []
    # without the member key (an old caller): the worker's own entries only
    assert [e.operation for e in trail.access_log("wk_0001", first=20).entries] == ["Own"]


def test_no_worker_id_is_stored_in_clear_for_a_bulk_entry(trail: AuditTrail) -> None:
    trail.record([bulk(1, LISTED)])
    with trail.engine.connect() as conn:
        stored = conn.execute(select(MEMBER)).all()
        entries = conn.execute(text("SELECT * FROM audit_entry")).all()
    assert len(stored) == len(LISTED)
    dumped = repr(stored) + repr(entries)
    assert not [w for w in LISTED if w in dumped]
    unkeyed = Pseudonymizer(b"another key")
    assert not {member_key(unkeyed, w) for w in LISTED} & {r.member for r in stored}
    assert trail.verify().ok


def test_a_member_row_deleted_added_or_changed_breaks_the_chain(trail: AuditTrail) -> None:
    trail.record([entry(1)])
    trail.record([bulk(2, LISTED)])
    trail.record([entry(3)])
    assert trail.verify().ok
    one = member_key(PSEUDO, "wk_0002")
    with trail.engine.begin() as conn:  # hide the cohort from one worker's log
        conn.execute(delete(MEMBER).where(MEMBER.c.member == one))
    report = trail.verify()
    assert not report.ok and report.first_bad_seq == 2 and report.problem == "altered"
    with trail.engine.begin() as conn:  # put it back
        conn.execute(insert(MEMBER).values(seq=2, member=one))
    assert trail.verify().ok
    with trail.engine.begin() as conn:  # add someone it never listed
        conn.execute(insert(MEMBER).values(seq=2, member=member_key(PSEUDO, "wk_0042")))
    assert not trail.verify().ok
    with trail.engine.begin() as conn:
        conn.execute(delete(MEMBER).where(MEMBER.c.member == member_key(PSEUDO, "wk_0042")))
        conn.execute(insert(MEMBER).values(seq=1, member=one))  # onto a plain entry
    report = trail.verify()
    assert not report.ok and report.first_bad_seq == 1
    with trail.engine.begin() as conn:
        conn.execute(delete(MEMBER).where(MEMBER.c.seq == 1))
        conn.execute(text("UPDATE audit_entry SET members = NULL WHERE seq = 2"))
    assert not trail.verify().ok  # the commitment is hashed: removing it alters the entry
    with trail.engine.begin() as conn:
        conn.execute(update(MEMBER).where(MEMBER.c.seq == 2).values(seq=3))
    assert not trail.verify().ok


def test_purging_the_entries_purges_their_members(trail: AuditTrail) -> None:
    trail.record([bulk(1, LISTED)])
    trail.clock.now += timedelta(days=30)  # type: ignore[attr-defined]
    trail.record([bulk(2, ["wk_0001"])])
    assert trail.purge(trail.clock.now - timedelta(days=1)) == 1  # type: ignore[attr-defined]
    with trail.engine.connect() as conn:
        assert conn.execute(select(MEMBER.c.seq)).scalars().all() == [2]
    assert log(trail, "wk_0001") == ["Cohort"] and log(trail, "wk_0003") == []
    assert trail.verify().ok


def test_the_check_pages_through_entries_and_members(
    trail: AuditTrail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(members, "PAGE", 2)  # every entry and its members span pages
    for n in range(1, 5):
        trail.record([bulk(n, LISTED), entry(n)])
    assert trail.verify().ok
    with trail.engine.begin() as conn:
        conn.execute(
            delete(MEMBER).where(
                MEMBER.c.seq == 5, MEMBER.c.member == min(member_key(PSEUDO, w) for w in LISTED)
            )
        )
    report = trail.verify()
    assert not report.ok and report.first_bad_seq == 5
