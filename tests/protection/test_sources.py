"""An agency that cannot be read makes the verdict incomplete, never falsely reassuring."""

from __future__ import annotations

import dataclasses

import pytest

from hub.protection import evaluate
from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from schema.enums import SourceState
from tests.protection.people import (
    EVALUATED_AT,
    TODAY,
    Case,
    case,
    check,
    day,
    embassy,
    judge,
    p2mi,
    placement,
    worker,
)
from tests.protection.scenario_facts import facts_for

BPJS, P2MI, KEMNAKER, EMBASSY = "BPJS_KETENAGAKERJAAN", "P2MI", "KEMNAKER", "EMBASSY"
HOME = p2mi(placement(status="RETURNED", returnedOn="2026-01-05", contractEnd="2025-12-31"))
EMBASSY_ONLY = worker(kemnaker=None, p2mi=None, bpjs=None, embassy=embassy(endorsed=()))

CASES = [
    Case(
        "BPJS unavailable for a worker otherwise in order",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        complete=False,
        options={"unavailable": [BPJS]},
        says="Data from BPJS Ketenagakerjaan could not be read (service unavailable)",
    ),
    Case(
        "BPJS access denied",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        complete=False,
        options={"denied": [BPJS]},
        says="(access denied)",
    ),
    Case(
        "licence registry unavailable",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        complete=False,
        options={"unavailable": [KEMNAKER]},
    ),
    Case(
        "a known risk and a missing source: unknown, not merely at risk",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.077/2023"))),
        L.UNKNOWN,
        ("PLACEMENT_AGENCY_LICENSE_SUSPENDED", "SOURCE_UNAVAILABLE"),
        complete=False,
        options={"unavailable": [BPJS]},
    ),
    Case(
        "a known gap stands when another source is missing",
        worker(p2mi=p2mi(placement(contractEnd=day(-40)))),
        L.UNPROTECTED,
        ("CONTRACT_EXPIRED_STILL_ABROAD", "SOURCE_UNAVAILABLE"),
        complete=False,
        options={"unavailable": [BPJS]},
    ),
    Case(
        "SISKOP2MI unavailable, the embassy reports an emergency",
        worker(embassy=embassy(cases=(case(kind="DETENTION", severity="CRITICAL"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE", "SOURCE_UNAVAILABLE"),
        complete=False,
        options={"unavailable": [P2MI]},
    ),
    Case(
        "SISKOP2MI unavailable, abroad per the embassy, not enrolled",
        EMBASSY_ONLY,
        L.UNPROTECTED,
        ("BPJS_NOT_ENROLLED", "SOURCE_UNAVAILABLE"),
        complete=False,
        options={"unavailable": [P2MI]},
    ),
    Case(
        "SISKOP2MI unavailable and nothing elsewhere: phase unknown",
        worker(embassy=None),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        phase=P.UNKNOWN,
        complete=False,
        options={"unavailable": [P2MI]},
    ),
    Case(
        "missions unavailable for a worker abroad",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        complete=False,
        options={"unavailable": [EMBASSY]},
    ),
    Case(
        "missions unavailable for a worker back home: a new stay abroad cannot be ruled out",
        worker(p2mi=HOME),
        L.UNKNOWN,
        ("RETURNED_HOME", "SOURCE_UNAVAILABLE"),
        phase=P.POST_PLACEMENT,
        complete=False,
        options={"unavailable": [EMBASSY]},
    ),
    Case(
        "two agencies down: one finding each",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE", "SOURCE_UNAVAILABLE"),
        complete=False,
        options={"unavailable": [BPJS, KEMNAKER]},
    ),
    Case(
        "stale data is used and mentioned",
        worker(),
        L.PROTECTED,
        ("SOURCE_STALE",),
        options={"stale": [P2MI]},
        says="Data from P2MI (SISKOP2MI) was served from cache",
    ),
    Case(
        "stale data still shows the gap it holds",
        worker(bpjs=None, p2mi=p2mi(placement(agencyLicense="KEP.123/2022"))),
        L.UNPROTECTED,
        ("BPJS_NOT_ENROLLED", "PLACEMENT_AGENCY_LICENSE_REVOKED", "SOURCE_STALE"),
        options={"stale": [KEMNAKER]},
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    check(row)


def test_a_missing_source_is_named_and_nothing_else() -> None:
    # given BPJS could not be read
    verdict = judge(worker(), unavailable=[BPJS])
    # when
    (finding,) = verdict.findings
    # then the finding names the agency, carries no evidence, and says what to do
    assert finding.evidence == ()
    assert finding.message_in("ID") == (
        "Data BPJS Ketenagakerjaan tidak dapat dibaca (layanan tidak tersedia); penilaian ini "
        "belum lengkap."
    )
    assert "do not treat the worker as protected" in (finding.action_in("EN") or "")


def test_an_agency_never_consulted_counts_as_missing() -> None:
    # given facts whose sources leave P2MI out entirely
    facts = facts_for(worker())
    sources = {code: state for code, state in facts.sources.items() if code != P2MI}
    facts = dataclasses.replace(facts, sources=sources)
    # when
    verdict = evaluate(facts, today=TODAY, evaluated_at=EVALUATED_AT)
    # then
    assert (verdict.level, verdict.complete) == (L.UNKNOWN, False)
    assert "(not consulted)" in verdict.findings[0].message_in("EN")


def test_not_found_is_information_not_failure() -> None:
    # given every agency answered that it holds nothing about this person
    facts = facts_for(worker(kemnaker=None, p2mi=None, bpjs=None, embassy=None))
    assert set(facts.sources.values()) == {SourceState.NOT_FOUND}
    # when
    verdict = evaluate(facts, today=TODAY, evaluated_at=EVALUATED_AT)
    # then the verdict is complete, and unknown only because there is nothing to judge
    assert (verdict.level, verdict.phase, verdict.complete, verdict.findings) == (
        L.UNKNOWN,
        P.UNKNOWN,
        True,
        (),
    )


def test_stale_evidence_is_flagged() -> None:
    verdict = judge(worker(p2mi=p2mi(placement(agencyLicense="KEP.077/2023"))), stale=[P2MI])
    finding = next(f for f in verdict.findings if f.code == "PLACEMENT_AGENCY_LICENSE_SUSPENDED")
    assert [(e.agency, e.stale) for e in finding.evidence] == [(P2MI, True), (KEMNAKER, False)]
