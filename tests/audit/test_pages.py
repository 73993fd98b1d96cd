"""The access log page by page, and the supervisor's report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.audit import AuditTrail, Outcome
from hub.audit.pages import BadPage, encode_cursor
from tests.audit._support import entry

W = "wk_0001"


def _fill(trail: AuditTrail) -> None:
    for n in range(1, 8):
        trail.record([entry(5 * n + 1, request_id=f"r{n}", operation=f"Op{n}")])
    trail.record([entry(6, outcome=Outcome.REFUSED, categories=frozenset())])
    trail.record([entry(2)])  # another worker


def test_pages_run_newest_first_without_overlap(trail: AuditTrail) -> None:
    _fill(trail)
    first = trail.access_log(W, first=3)
    assert [e.operation for e in first.entries] == ["Op7", "Op6", "Op5"]
    assert first.has_next and first.end_cursor
    second = trail.access_log(W, first=3, after=first.end_cursor)
    third = trail.access_log(W, first=3, after=second.end_cursor)
    assert [e.operation for e in second.entries] == ["Op4", "Op3", "Op2"]
    # then the refused attempt is not a reading: the log ends at Op1
    assert [e.operation for e in third.entries] == ["Op1"] and not third.has_next
    assert third.entries[0].categories == ["case", "identity"]


def test_an_unknown_worker_has_an_empty_log(trail: AuditTrail) -> None:
    page = trail.access_log("wk_none", first=5)
    assert (page.entries, page.has_next, page.end_cursor) == ([], False, None)


@pytest.mark.parametrize("first", [0, -1, 101])
def test_first_is_bounded(trail: AuditTrail, first: int) -> None:
    with pytest.raises(BadPage):
        trail.access_log(W, first=first)


@pytest.mark.parametrize("after", ["nope", "", encode_cursor(3)[:-2] + "!!", "YXVkaXQ6eA=="])
def test_a_bad_cursor_is_refused(trail: AuditTrail, after: str) -> None:
    with pytest.raises(BadPage, match="cursor"):
        trail.access_log(W, first=5, after=after)


def test_report_counts_per_client_and_purpose(trail: AuditTrail) -> None:
    start = trail.clock()
    _fill(trail)
    trail.record([entry(3, outcome=Outcome.BREAK_GLASS, grant_id="bg_9", purpose="EMERGENCY")])
    rows = {(r.client_id, r.purpose): r for r in trail.report(start)}
    # entry(n) has client cl_{n % 3}: reads 6, 21, 36 → cl_0; 11, 26, 2 → cl_2
    assert rows["cl_0", "CASE_HANDLING"].reads == 3
    assert rows["cl_0", "CASE_HANDLING"].refused == 1  # entry(6) refused, counted apart
    assert rows["cl_0", "EMERGENCY"].break_glass == 1
    assert rows["cl_2", "CASE_HANDLING"].reads == 3  # 11, 26, and entry(2)
    assert rows["cl_2", "CASE_HANDLING"].workers == 2
    assert trail.report(trail.clock() + timedelta(days=1)) == []
