"""Lapor diri, passports and cases, scenario by scenario."""

from __future__ import annotations

import pytest

from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from tests.protection.people import (
    Case,
    bpjs,
    case,
    check,
    claim,
    complaint,
    cover,
    day,
    embassy,
    judge,
    p2mi,
    passports,
    placement,
    report,
    worker,
)

HOME = p2mi(placement(status="RETURNED", returnedOn="2026-01-05", contractEnd="2025-12-31"))

CASES = [
    Case(
        "abroad, the mission record holds no lapor diri",
        worker(embassy=embassy(reports=())),
        L.AT_RISK,
        ("NOT_REPORTED_TO_MISSION",),
        says="No self-report (lapor diri) at an Indonesian mission since departure on 2025-06-01",
    ),
    Case(
        "abroad, only a lapor diri from an earlier stay",
        worker(embassy=embassy(reports=(report("2020-02-01"),))),
        L.AT_RISK,
        ("NOT_REPORTED_TO_MISSION",),
    ),
    Case(
        "abroad, unknown to every mission",
        worker(embassy=None),
        L.AT_RISK,
        ("NOT_REPORTED_TO_MISSION", "CONTRACT_NOT_ENDORSED"),
    ),
    Case(
        "departed 30 days ago: still time to report",
        worker(
            p2mi=p2mi(placement(departedOn=day(-30), contractStart=day(-30))),
            bpjs=bpjs(cover("PLACEMENT", day(-30), "2027-06-30")),
            embassy=embassy(reports=(), endorsed=()),
        ),
        L.AT_RISK,
        ("CONTRACT_NOT_ENDORSED",),
    ),
    Case(
        "departed 31 days ago, not reported",
        worker(
            p2mi=p2mi(placement(departedOn=day(-31), contractStart=day(-31))),
            bpjs=bpjs(cover("PLACEMENT", day(-31), "2027-06-30")),
            embassy=embassy(reports=()),
        ),
        L.AT_RISK,
        ("NOT_REPORTED_TO_MISSION",),
    ),
    Case(
        "passport expired yesterday",
        worker(passports=passports(day(-1))),
        L.UNPROTECTED,
        ("PASSPORT_EXPIRED",),
        says="expired on 2026-11-23 (yesterday)",
    ),
    Case(
        "an old passport expired, the renewed one is valid",
        worker(passports=passports("2023-01-05", "2033-01-20")),
        L.PROTECTED,
    ),
    Case(
        "passport expires today",
        worker(passports=passports(day(0))),
        L.AT_RISK,
        ("PASSPORT_EXPIRES_SOON",),
        says="expires on 2026-11-24, today",
    ),
    Case(
        "passport expires in 180 days",
        worker(passports=passports(day(180))),
        L.AT_RISK,
        ("PASSPORT_EXPIRES_SOON",),
        says="in 180 days",
    ),
    Case(
        "passport expires in 181 days",
        worker(passports=passports(day(181))),
        L.PROTECTED,
    ),
    Case(
        "a passport with no expiry date is not judged",
        worker(passports=[{"number": "C7654321"}]),
        L.PROTECTED,
    ),
    Case(
        "passport expired after coming home: no longer a placement matter",
        worker(p2mi=HOME, passports=passports("2026-02-01")),
        L.PROTECTED,
        ("RETURNED_HOME",),
        phase=P.POST_PLACEMENT,
    ),
    Case(
        "an open wage dispute at the mission",
        worker(embassy=embassy(cases=(case(),))),
        L.AT_RISK,
        ("OPEN_CASE",),
        says="Open case (wage dispute) at KJRI Hong Kong since 2026-10-02; status: open.",
    ),
    Case(
        "a complaint in progress at P2MI",
        worker(p2mi=p2mi(placement(), complaints=(complaint(),))),
        L.AT_RISK,
        ("OPEN_CASE",),
        says="at P2MI (SISKOP2MI) since 2026-10-05; status: in progress",
    ),
    Case(
        "closed cases are history, their benefit claimed",
        worker(
            p2mi=p2mi(placement(), complaints=(complaint(status="CLOSED"),)),
            bpjs=bpjs(cover("PLACEMENT", "2025-06-01", "2027-06-30"), claims=(claim(),)),
            embassy=embassy(cases=(case(kind="DEATH", severity="CRITICAL", status="CLOSED"),)),
        ),
        L.PROTECTED,
    ),
    Case(
        # Permenaker 4/2023: a death opens the JKM benefit, owed to the heirs once closed too
        "a closed death case with no JKM claim after 30 days",
        worker(
            p2mi=p2mi(placement(), complaints=(complaint(status="CLOSED"),)),
            embassy=embassy(cases=(case(kind="DEATH", severity="CRITICAL", status="CLOSED"),)),
        ),
        L.UNPROTECTED,
        ("BENEFIT_CLAIMABLE",),
        says="the death benefit (JKM) and children's scholarship has not been claimed",
    ),
    Case(
        "a critical case",
        worker(embassy=embassy(cases=(case(kind="ABUSE", severity="CRITICAL"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE",),
        says="Emergency case (abuse) at KJRI Hong Kong",
    ),
    Case(
        "detention recorded with high severity is still an emergency",
        worker(embassy=embassy(cases=(case(kind="DETENTION", severity="HIGH"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE",),
    ),
    Case(
        "a death in progress at P2MI",
        worker(p2mi=p2mi(placement(), complaints=({**complaint(), "kind": "DEATH"},))),
        L.EMERGENCY,
        ("CRITICAL_CASE", "BENEFIT_CLAIMABLE"),
        says="Emergency case (death) at P2MI (SISKOP2MI)",
    ),
    Case(
        "an emergency outranks every other finding",
        worker(
            bpjs=None,
            embassy=embassy(reports=(), cases=(case(kind="MISSING", severity="HIGH"),)),
        ),
        L.EMERGENCY,
        ("CRITICAL_CASE", "BPJS_NOT_ENROLLED", "NOT_REPORTED_TO_MISSION"),
    ),
    Case(
        "cases count after coming home too",
        worker(p2mi=HOME, embassy=embassy(cases=(case(),))),
        L.AT_RISK,
        ("OPEN_CASE", "RETURNED_HOME"),
        phase=P.POST_PLACEMENT,
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    check(row)


def test_passport_findings_cite_the_records_holding_the_passport() -> None:
    # given the passport P2MI and the mission both hold, expiring soon
    person = worker(passports=[{"number": "C1234567", "expiresOn": day(10)}])
    # when
    (finding,) = judge(person).findings
    # then both records are the evidence
    assert {e.agency for e in finding.evidence} == {"P2MI", "EMBASSY"}


def test_cases_name_no_one() -> None:
    # given a case whose summary names the worker and the employer
    verdict = judge(worker(embassy=embassy(cases=(case(),))))
    # then the finding carries the case's kind and place, never its summary
    finding = verdict.findings[0]
    for lang in ("ID", "EN"):
        text = f"{finding.message_in(lang)} {finding.action_in(lang)}"
        assert "Siti" not in text and "Chan" not in text
    assert [e.record_id for e in finding.evidence] == ["HKG-2026-0042"]
