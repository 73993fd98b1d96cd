"""BPJS Ketenagakerjaan cover for the current phase, with the boundary days."""

from __future__ import annotations

import pytest

from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from tests.protection.people import (
    Case,
    bpjs,
    check,
    cover,
    day,
    judge,
    p2mi,
    placement,
    worker,
)


def placed_with(*coverages: list[dict[str, str]]) -> dict[str, object]:
    """The protected worker abroad, with only these BPJS coverages."""
    return worker(bpjs=bpjs(*coverages))


def ready_with(*coverages: list[dict[str, str]]) -> dict[str, object]:
    """About to depart in 20 days, with only these coverages."""
    ready = placement(status="READY", departedOn=None, contractStart=day(20))
    return worker(p2mi=p2mi(ready), bpjs=bpjs(*coverages))


def returned_with(days_ago: int, *coverages: list[dict[str, str]]) -> dict[str, object]:
    back = placement(status="RETURNED", contractEnd=day(-days_ago), returnedOn=day(-days_ago))
    return worker(p2mi=p2mi(back), bpjs=bpjs(*coverages))


CASES = [
    Case(
        "not a member at all",
        worker(bpjs=None),
        L.UNPROTECTED,
        ("BPJS_NOT_ENROLLED",),
        says="JKK and JKM are compulsory",
    ),
    Case(
        "cover ended yesterday",
        placed_with(cover("PLACEMENT", "2025-06-01", day(-1))),
        L.UNPROTECTED,
        ("BPJS_COVERAGE_EXPIRED", "JHT_NOT_ENROLLED"),
        says="ended on 2026-11-23, yesterday",
    ),
    Case(
        "cover ends today",
        placed_with(cover("PLACEMENT", "2025-06-01", day(0))),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON",),
        says="(JKK, JKM) ends on 2026-11-24, today",
    ),
    Case(
        "cover ends tomorrow",
        placed_with(cover("PLACEMENT", "2025-06-01", day(1))),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON",),
        says="ends on 2026-11-25, tomorrow",
    ),
    Case(
        "cover ends in 30 days",
        placed_with(cover("PLACEMENT", "2025-06-01", day(30))),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON",),
        says="ends on 2026-12-24, in 30 days",
    ),
    Case(
        "cover ends in 31 days",
        placed_with(cover("PLACEMENT", "2025-06-01", day(31))),
        L.PROTECTED,
    ),
    Case(
        "an extension starting the day after joins the first cover",
        placed_with(
            cover("PLACEMENT", "2025-06-01", day(5)), cover("PLACEMENT", day(6), "2027-06-30")
        ),
        L.PROTECTED,
    ),
    Case(
        "a gap after the current cover does not extend it",
        placed_with(
            cover("PLACEMENT", "2025-06-01", day(5)), cover("PLACEMENT", day(7), "2027-06-30")
        ),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON",),
        says="in 5 days",
    ),
    Case(
        "JKK and JKM ending on different days: one finding each",
        placed_with(
            cover("PLACEMENT", "2025-06-01", day(3), "JKK"),
            cover("PLACEMENT", "2025-06-01", day(9), "JKM JHT"),
        ),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON", "BPJS_COVERAGE_ENDS_SOON"),
        says="coverage (JKM) ends on 2026-12-03",
    ),
    Case(
        "JKM lapsed while JKK runs",
        placed_with(
            cover("PLACEMENT", "2025-06-01", "2027-06-30", "JKK JHT"),
            cover("PLACEMENT", "2025-06-01", day(-10), "JKM"),
        ),
        L.UNPROTECTED,
        ("BPJS_COVERAGE_EXPIRED",),
        says="coverage (JKM) for the placement phase ended on 2026-11-14, 10 days ago",
    ),
    Case(
        "abroad with only pre-departure cover",
        placed_with(cover("PRE_PLACEMENT", "2025-02-01", "2025-06-30")),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
        says="no JKK and JKM coverage for the placement phase",
    ),
    Case(
        "abroad with only an earlier stay's placement cover",
        placed_with(cover("PLACEMENT", "2021-01-01", "2023-01-31")),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
    ),
    Case(
        "abroad, cover bought but starting next month",
        placed_with(cover("PLACEMENT", day(7), "2027-06-30")),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
    ),
    Case(
        "a lapsed cover and a later one not yet started",
        placed_with(
            cover("PLACEMENT", "2025-06-01", day(-3)), cover("PLACEMENT", day(3), "2027-06-30")
        ),
        L.UNPROTECTED,
        ("BPJS_COVERAGE_EXPIRED", "JHT_NOT_ENROLLED"),
        says="3 days ago",
    ),
    Case(
        "without JHT: information only",
        placed_with(cover("PLACEMENT", "2025-06-01", "2027-06-30", "JKK JKM")),
        L.PROTECTED,
        ("JHT_NOT_ENROLLED",),
    ),
    Case(
        "pre-departure cover ends before the departure date",
        ready_with(cover("PRE_PLACEMENT", day(-100), day(16))),
        L.AT_RISK,
        ("BPJS_COVERAGE_ENDS_SOON",),
        phase=P.PRE_PLACEMENT,
        says="ends on 2026-12-10, in 16 days",
    ),
    Case(
        "pre-departure, enrolled for the placement phase only",
        ready_with(cover("PLACEMENT", day(20), "2027-06-30")),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
        phase=P.PRE_PLACEMENT,
        says="for the pre-placement phase",
    ),
    Case(
        "pre-departure, an earlier stay's pre-departure cover does not count",
        worker(
            p2mi=p2mi(
                placement(
                    placementId="PL-2020-0000009",
                    status="RETURNED",
                    contractStart="2020-01-10",
                    contractEnd="2022-01-09",
                    departedOn="2020-01-10",
                    returnedOn="2022-01-20",
                ),
                placement(status="READY", departedOn=None, contractStart=day(20)),
            ),
            bpjs=bpjs(cover("PRE_PLACEMENT", "2019-10-01", "2020-01-10")),
            embassy=None,
        ),
        L.UNPROTECTED,
        # no mission has endorsed the READY placement's contract (checked before departure)
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED", "CONTRACT_NOT_ENDORSED"),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "returned 10 days ago, post-placement cover running",
        returned_with(10, cover("POST_PLACEMENT", day(-10), day(40))),
        L.PROTECTED,
        phase=P.POST_PLACEMENT,
    ),
    Case(
        # Permenaker 4/2023 Art. 18(1)(b): the placement payment buys the post-placement cover
        "returned 10 days ago, placement cover in force on the return day",
        returned_with(10, cover("PLACEMENT", "2025-06-01", day(20))),
        L.PROTECTED,
        phase=P.POST_PLACEMENT,
    ),
    Case(
        "returned 10 days ago, placement cover ended before the return",
        returned_with(10, cover("PLACEMENT", "2025-06-01", day(-20))),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED",),
        phase=P.POST_PLACEMENT,
        says="for the post-placement phase",
    ),
    Case(
        "returned 30 days ago: still in the post-placement window",
        returned_with(30, cover("POST_PLACEMENT", day(-30), day(-1))),
        L.UNPROTECTED,
        ("BPJS_COVERAGE_EXPIRED",),
        phase=P.POST_PLACEMENT,
    ),
    Case(
        "returned 31 days ago: home, no cover owed",
        returned_with(31, cover("POST_PLACEMENT", day(-31), day(-2))),
        L.PROTECTED,
        ("RETURNED_HOME",),
        phase=P.POST_PLACEMENT,
        says="Returned to Indonesia on 2026-10-24; the BPJS post-placement cover window ended on "
        "2026-11-23. Rights under UU 18/2017 Art. 24 continue",
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    check(row)


def test_pre_departure_action_states_the_window() -> None:
    # given a worker waiting to depart whose cover ends in 16 days
    verdict = judge(ready_with(cover("PRE_PLACEMENT", day(-100), day(16))))
    # when
    (finding,) = verdict.findings
    # then the action says how long pre-departure cover can last, in both languages
    assert finding.action_in("ID") == (
        "Perpanjang kepesertaan sebelum 2026-12-10. Perlindungan prapenempatan berlaku paling "
        "lama 5 bulan sejak pembayaran; bila belum berangkat, daftar dan bayar ulang."
    )
    assert "at most 5 months from payment" in (finding.action_in("EN") or "")
    assert finding.message_in("ID") == (
        "Kepesertaan BPJS Ketenagakerjaan (JKK, JKM) berakhir 2026-12-10, 16 hari lagi."
    )


def test_coverage_findings_cite_the_membership_and_the_placement() -> None:
    verdict = judge(placed_with(cover("PLACEMENT", "2025-06-01", day(-1), "JKK JKM")))
    finding = verdict.findings[0]
    assert finding.code == "BPJS_COVERAGE_EXPIRED"
    assert [(e.agency, e.record_id) for e in finding.evidence] == [
        ("BPJS_KETENAGAKERJAAN", "25000000001"),
        ("P2MI", "PL-2025-0000001"),
    ]
