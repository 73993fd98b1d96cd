"""The law of 2023-2025, statement by statement (issue #17, domain-2026 §1), on hand-written
people served by the real sandboxes and read by the real connectors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from hub.protection import Engine, Finding, RulesConfig, Verdict, evaluate
from hub.protection.law import MORATORIUM, Law
from hub.protection.verdict import Party
from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from schema.enums import Sex
from schema.identifiers import nik_for
from tests.protection.people import (
    Case,
    bpjs,
    case,
    check,
    claim,
    cover,
    day,
    embassy,
    judge,
    p2mi,
    placement,
    report,
    worker,
)
from tests.protection.scenario_facts import facts_for

Json = dict[str, Any]
MINOR_NIK = nik_for("350612", date(2009, 1, 1), Sex.FEMALE, 3)


def waiting(status: str = "REGISTERED", starts: int = 90, **changes: Any) -> Json:
    """A placement not yet departed, its contract starting in ``starts`` days."""
    return (
        placement(
            status=status, departedOn=None, contractStart=day(starts), contractEnd=day(starts + 730)
        )
        | changes
    )


def job_seeker(pl: Json, cover_: Json | None = None) -> Json:
    return worker(p2mi=p2mi(pl), bpjs=cover_, embassy=None)


def abroad_only(*reports: Json, cases: tuple[Json, ...] = (), member: bool = True) -> Json:
    """Known to a mission only: a lapor diri, no SISKOP2MI placement."""
    return worker(
        p2mi=None,
        bpjs=bpjs(cover("PLACEMENT", "2025-06-01", "2027-06-30")) if member else None,
        embassy=embassy(reports=reports, endorsed=(), cases=cases),
    )


def with_purpose(purpose: str, mission: str = "HKG") -> Json:
    return report(mission=mission) | {"purpose": purpose}


def employer(kind: str | None, name: str = "Al Noor", country: str = "SA") -> Json:
    found: Json = {"name": name, "country": country}
    return found | ({"kind": kind} if kind else {})


def extended(end: str, signed_at_mission: bool) -> Json:
    signed = {"placementId": "PL-2025-0000001", "contractEnd": end, "signedOn": "2027-05-01"}
    return worker(
        p2mi=p2mi(placement(contractEnd=day(-10), extensions=[{"contractEnd": end}])),
        bpjs=bpjs(cover("PLACEMENT", "2025-06-01", "2029-06-30")),
        embassy=embassy() | {"extensions": [signed] if signed_at_mission else []},
    )


def cancelled(claims: tuple[Json, ...] = ()) -> Json:
    pl = placement(status="CANCELLED", departedOn=None, cancelledOn=day(-20))
    return worker(
        p2mi=p2mi(pl),
        bpjs=bpjs(cover("PRE_PLACEMENT", day(-60), day(90)), claims=claims),
        embassy=None,
    )


CASES = [
    # C1: Permenaker 4/2023 Art. 19(1)(a): the fee falls due after the placement agreement
    Case(
        "registered job seeker, no placement agreement, not a member: not yet obliged",
        job_seeker(waiting(agreementSignedOn=None)),
        L.PROTECTED,
        ("BPJS_ENROL_AFTER_AGREEMENT",),
        phase=P.PRE_PLACEMENT,
        says="falls due once it is signed",
    ),
    Case(
        "registered, agreement signed, not a member, departure far off: MEDIUM",
        job_seeker(waiting(agreementSignedOn=day(-5))),
        L.AT_RISK,
        ("BPJS_NOT_ENROLLED",),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "registered, agreement signed, departure in 10 days, not a member: HIGH",
        job_seeker(waiting(agreementSignedOn=day(-5), starts=10)),
        L.UNPROTECTED,
        ("BPJS_NOT_ENROLLED",),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "registered member without pre-placement cover and no agreement: nothing owed",
        job_seeker(waiting(agreementSignedOn=None), bpjs()),
        L.PROTECTED,
        ("JHT_NOT_ENROLLED",),
        phase=P.PRE_PLACEMENT,
    ),
    # C2: independent workers pay once, for placement and after (Art. 18(2))
    Case(
        "independent worker 10 days before departure, placement payment 10 days ago",
        job_seeker(
            waiting("READY", 10, scheme="INDEPENDENT", agencyLicense=None),
            bpjs(cover("PLACEMENT", day(-10), day(760))),
        ),
        L.PROTECTED,
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "independent worker ready to depart with no placement payment: HIGH",
        job_seeker(waiting("READY", 10, scheme="INDEPENDENT", agencyLicense=None), bpjs()),
        L.UNPROTECTED,
        ("BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "independent worker paid 45 days ago and has not departed: JKM month lapsed",
        job_seeker(
            waiting("READY", 10, scheme="INDEPENDENT", agencyLicense=None),
            bpjs(cover("PLACEMENT", day(-45), day(760))),
        ),
        L.AT_RISK,
        ("BPJS_INDEPENDENT_COVER_LAPSED",),
        phase=P.PRE_PLACEMENT,
        says="pre-departure JKM cover ended on",
    ),
    # C5: the moratorium is about household employers, not sectors
    Case(
        "hospital caregiver in Saudi Arabia (a company employer): not under the moratorium",
        worker(p2mi=p2mi(placement(country="SA", sector="CARE", employer=employer("COMPANY")))),
        L.PROTECTED,
    ),
    Case(
        "family driver of a Saudi household: under the moratorium",
        worker(
            p2mi=p2mi(
                placement(
                    country="SA",
                    sector="OTHER",
                    occupation="Driver",
                    employer=employer("HOUSEHOLD"),
                )
            )
        ),
        L.UNPROTECTED,
        ("MORATORIUM_DESTINATION",),
        says="with a household employer in Saudi Arabia (SA)",
    ),
    Case(
        "family driver, employer kind not recorded: the job says household",
        worker(p2mi=p2mi(placement(country="QA", sector="OTHER", occupation="Family driver"))),
        L.UNPROTECTED,
        ("MORATORIUM_DESTINATION",),
        says="(employer kind not recorded)",
    ),
    # M5: destinations closed to placement
    Case(
        "placement to Cambodia",
        worker(p2mi=p2mi(placement(country="KH", sector="OTHER", occupation="Admin staff"))),
        L.UNPROTECTED,
        ("DESTINATION_NOT_OPEN",),
        says="Cambodia (KH), a country not open",
    ),
    # C6: a lapor diri alone is not a non-procedural placement
    Case(
        "a lapor diri for work, member of BPJS, no placement: offer registration (MEDIUM)",
        abroad_only(with_purpose("WORK")),
        L.AT_RISK,
        ("NOT_IN_SISKOP2MI",),
        says="Known to KJRI Hong Kong, but SISKOP2MI holds no placement for this stay.",
    ),
    Case(
        "a student's lapor diri: no finding, not a migrant worker",
        abroad_only(with_purpose("STUDY")),
        L.UNKNOWN,
        phase=P.UNKNOWN,
    ),
    Case(
        "a lapor diri and an undocumented case: HIGH",
        abroad_only(report(), cases=(case(kind="UNDOCUMENTED"),)),
        L.UNPROTECTED,
        ("NOT_IN_SISKOP2MI", "OPEN_CASE"),
        says="Risk marker: an undocumented or trafficking case",
    ),
    Case(
        "a lapor diri in Cambodia: HIGH",
        abroad_only(report(mission="PNH")),
        L.UNPROTECTED,
        ("NOT_IN_SISKOP2MI",),
        says="Risk marker: a country closed to placement",
    ),
    # C7 and M7: extensions
    Case(
        "contract extended and signed at the mission: running",
        extended("2028-05-31", signed_at_mission=True),
        L.PROTECTED,
    ),
    Case(
        "contract extended in SISKOP2MI, not signed at the mission",
        extended("2028-05-31", signed_at_mission=False),
        L.AT_RISK,
        ("EXTENSION_NOT_SIGNED_AT_MISSION",),
        says="A contract extension to 2028-05-31 is recorded in SISKOP2MI",
    ),
    # C4 and M4: the recruitment permit
    Case(
        "SIP2MI for another country, before departure: HIGH",
        job_seeker(
            waiting("READY", 20, sip2miCountry="MY"),
            bpjs(cover("PRE_PLACEMENT", day(-30), day(60))),
        )
        | {"embassy": embassy(reports=())},
        L.UNPROTECTED,
        ("RECRUITMENT_PERMIT_MISSING",),
        phase=P.PRE_PLACEMENT,
        says="has a SIP2MI for Malaysia (MY)",
    ),
    Case(
        "SIP2MI for another country, already abroad: MEDIUM",
        worker(p2mi=p2mi(placement(sip2miCountry="MY"))),
        L.AT_RISK,
        ("RECRUITMENT_PERMIT_MISSING",),
    ),
    Case(
        "no SIP2MI on record: INFO, verify",
        worker(p2mi=p2mi(placement(sip2mi=None, sip2miCountry=None))),
        L.PROTECTED,
        ("RECRUITMENT_PERMIT_MISSING",),
        says="has no recruitment permit (SIP2MI) on record",
    ),
    # M1: benefits claimable and claims pending
    Case(
        "an accident at work, no claim",
        worker(embassy=embassy(cases=(case(kind="ACCIDENT"),))),
        L.AT_RISK,
        ("BENEFIT_CLAIMABLE", "OPEN_CASE"),
        says="the work-accident benefit (JKK) has not been claimed",
    ),
    Case(
        "an accident at work, claim paid",
        worker(
            bpjs=bpjs(
                cover("PLACEMENT", "2025-06-01", "2027-06-30"),
                claims=(claim("JKK", "PAID", "2026-10-10", "WORK_ACCIDENT"),),
            ),
            embassy=embassy(cases=(case(kind="ACCIDENT"),)),
        ),
        L.AT_RISK,
        ("OPEN_CASE",),
    ),
    Case(
        "a claim submitted 90 days ago and unpaid",
        worker(
            bpjs=bpjs(
                cover("PLACEMENT", "2025-06-01", "2027-06-30"),
                claims=(claim("JKK", "SUBMITTED", day(-90)),),
            )
        ),
        L.AT_RISK,
        ("CLAIM_PENDING",),
        says="unpaid after 90 days",
    ),
    Case(
        "a death-penalty case is an emergency",
        worker(embassy=embassy(cases=(case(kind="DEATH_PENALTY"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE",),
        says="facing the death penalty",
    ),
    Case(
        "sexual violence: an emergency, and a benefit",
        worker(embassy=embassy(cases=(case(kind="SEXUAL_VIOLENCE"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE", "BENEFIT_CLAIMABLE"),
    ),
    Case(
        "documents withheld by the employer",
        worker(embassy=embassy(cases=(case(kind="DOCUMENT_WITHHELD"),))),
        L.AT_RISK,
        ("OPEN_CASE",),
        says="Open case (documents withheld)",
    ),
    # M2: failed departure
    Case(
        "placement cancelled while pre-placement cover ran, no claim",
        cancelled(),
        L.UNKNOWN,
        ("FAILED_DEPARTURE_BENEFIT",),
        phase=P.UNKNOWN,
        says="the failed-departure benefit has not been claimed",
    ),
    Case(
        "placement cancelled, failed-departure benefit claimed",
        cancelled(claims=(claim("JKK", "PAID", day(-10), "FAILED_DEPARTURE"),)),
        L.UNKNOWN,
        phase=P.UNKNOWN,
    ),
    # M3: under 18
    Case(
        "a minor abroad",
        worker(birthDate="2009-01-01", nik=MINOR_NIK),
        L.EMERGENCY,
        ("UNDERAGE_PLACEMENT",),
        says="Aged 16 when the placement to Hong Kong (HK) starts.",
    ),
    Case(
        "birth dates differ between agencies, one makes a minor",
        worker(
            p2mi=p2mi(placement()) | {"birthDateAs": "1995-01-01"},
            birthDate="2009-01-01",
            nik=MINOR_NIK,
        ),
        L.EMERGENCY,
        ("UNDERAGE_PLACEMENT",),
        says="(birth dates differ between agencies)",
    ),
    # M6: the card
    Case(
        "no card on record: INFO",
        worker(p2mi=p2mi(placement(cardNumber=None))),
        L.PROTECTED,
        ("PMI_CARD_MISSING_OR_EXPIRED",),
    ),
    Case(
        "card expired 14 months ago: past the E-KPMI transition",
        worker(p2mi=p2mi(placement(cardExpiresOn=day(-430)))),
        L.AT_RISK,
        ("PMI_CARD_MISSING_OR_EXPIRED",),
        says="replace it with an E-KPMI by",
    ),
    # M8: crews have their own rules (PP 22/2022)
    Case(
        "a fishing crew member in Taiwan: no endorsement, no moratorium",
        worker(
            p2mi=p2mi(placement(country="TW", sector="FISHERIES_SEA", occupation="Deckhand")),
            embassy=embassy(endorsed=()),
        ),
        L.PROTECTED,
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    verdict = check(row)
    # every finding's evidence names its agency, so a caller's scope can redact it
    for finding in verdict.findings:
        assert all(e.agency for e in finding.evidence), finding.code


def test_rules_run_only_under_the_law_in_force() -> None:
    # given a registered job seeker with no agreement, judged before Permenaker 4/2023
    facts = facts_for(job_seeker(waiting(agreementSignedOn=None)))
    # then the rule resting on 4/2023 does not run, and does after it took effect
    assert "BPJS_ENROL_AFTER_AGREEMENT" not in evaluate(facts, today=date(2023, 2, 21)).codes()
    assert "BPJS_ENROL_AFTER_AGREEMENT" in evaluate(facts, today=date(2023, 2, 22)).codes()


def test_claim_limit_follows_the_date() -> None:
    # given a worker home since 2022: the JKK claim limit was 2 years before 4/2023, 5 after
    home = worker(
        p2mi=p2mi(
            placement(
                status="RETURNED",
                contractStart="2020-01-05",
                departedOn="2020-01-05",
                contractEnd="2021-12-31",
                returnedOn="2022-01-05",
            )
        ),
        embassy=None,
    )
    facts = facts_for(home)
    before = _finding(evaluate(facts, today=date(2022, 6, 1)), "RETURNED_HOME")
    after = _finding(evaluate(facts, today=date(2024, 6, 1)), "RETURNED_HOME")
    assert "within 2 years" in before.message_in("EN")
    assert "within 5 years" in after.message_in("EN")


def test_reopening_a_country_is_a_data_change() -> None:
    # given the Saudi entry of the moratorium ending on 2025-05-31 (a decree that is not real)
    lifted = tuple(
        replace(m, law=replace(m.law, until=date(2025, 5, 31))) if m.country == "SA" else m
        for m in MORATORIUM
    )
    engine = Engine(RulesConfig(moratorium=lifted))
    maid = facts_for(worker(p2mi=p2mi(placement(country="SA"))))  # departed 2025-06-01
    earlier = facts_for(worker(p2mi=p2mi(placement(country="SA", departedOn="2025-05-01"))))
    # then a placement that started after it is not reported; one that started before is
    assert "MORATORIUM_DESTINATION" not in engine.evaluate(maid, today=day_0()).codes()
    assert "MORATORIUM_DESTINATION" in engine.evaluate(earlier, today=day_0()).codes()
    assert engine.version != Engine().version


def test_an_spsk_approved_company_is_the_exception() -> None:
    # given KEP.045/2021 on the SPSK list of Saudi Arabia's entry (a data change)
    spsk = tuple(
        replace(m, approved=("KEP.045/2021",)) if m.country == "SA" else m for m in MORATORIUM
    )
    engine = Engine(RulesConfig(moratorium=spsk))
    maid = facts_for(worker(p2mi=p2mi(placement(country="SA"))))
    other = facts_for(worker(p2mi=p2mi(placement(country="SA", agencyLicense="KEP.077/2023"))))
    # then the approved company's placement is not reported; another company's is
    assert "MORATORIUM_DESTINATION" not in engine.evaluate(maid, today=day_0()).codes()
    assert "MORATORIUM_DESTINATION" in engine.evaluate(other, today=day_0()).codes()
    assert "MORATORIUM_DESTINATION" in evaluate(maid, today=day_0()).codes()


def test_closing_a_country_is_a_data_change() -> None:
    # given Malaysia added to the closed list from 2026-01-01 (hypothetical)
    closed = Law("test decree", ("test",), since=date(2026, 1, 1))
    engine = Engine(RulesConfig(closed_destinations=(("MY", closed),)))
    later = worker(p2mi=p2mi(placement(country="MY", departedOn="2026-02-01")))
    earlier = worker(p2mi=p2mi(placement(country="MY")))
    assert "DESTINATION_NOT_OPEN" in engine.evaluate(facts_for(later), today=day_0()).codes()
    assert "DESTINATION_NOT_OPEN" not in engine.evaluate(facts_for(earlier), today=day_0()).codes()


def test_actions_are_addressed() -> None:
    # given a worker who has not reported to the mission
    (finding,) = judge(worker(embassy=embassy(reports=()))).findings
    # then the officer, the company and the worker each get their own action
    assert finding.actions_for(Party.OFFICER, "EN")[0].startswith("Ask the worker")
    assert finding.actions_for(Party.P3MI, "EN") == (
        "Report the worker's departure to the labour attaché (Permenaker 9/2019 Art. 23-24).",
    )
    (mine,) = finding.actions_for(Party.WORKER, "ID")
    assert mine.startswith("Lapor diri ke perwakilan RI")
    assert finding.actions_for(Party.BPJS) == ()


def test_every_rule_tells_the_worker_something_in_plain_words() -> None:
    # the worker's own page shows only the WORKER's actions: every rule gives one, in both
    # languages, except the case rules, whose self-token notice is the
    # worker's action (hub/graphql/redact.py)
    from hub.protection.rules import RULES

    silent = {r.code for r in RULES if not any(a.party is Party.WORKER for a in r.actions)}
    assert silent == {"CRITICAL_CASE", "OPEN_CASE"}
    for rule in RULES:
        for action in (a for a in rule.actions if a.party is Party.WORKER):
            assert action.text.id.strip() and action.text.en.strip(), rule.code
            assert action.text.id != action.text.en, rule.code  # really in both languages


def test_returned_home_keeps_the_rights_running() -> None:
    home = worker(p2mi=p2mi(placement(status="RETURNED", returnedOn="2026-01-05")))
    (finding,) = judge(home).findings
    assert "Rights under UU 18/2017 Art. 24 continue" in finding.message_in("EN")
    (mine,) = finding.actions_for(Party.WORKER, "EN")
    assert "claim JKK for an accident at work (within 5 years)" in mine


def _finding(verdict: Verdict, code: str) -> Finding:
    return next(f for f in verdict.findings if f.code == code)


def day_0() -> date:
    return date(2026, 11, 24)


def test_a_claim_window_opened_on_29_february_ends_on_28_february() -> None:
    # given a placement cancelled on 29 February 2024 under pre-placement cover, no claim
    pl = placement(status="CANCELLED", departedOn=None, cancelledOn="2024-02-29")
    facts = facts_for(
        worker(
            p2mi=p2mi(pl),
            bpjs=bpjs(cover("PRE_PLACEMENT", "2024-01-01", "2024-06-30")),
            embassy=None,
        )
    )
    # then the 5-year JKK window ends on 28 February 2029 (a common year), with no error
    assert "FAILED_DEPARTURE_BENEFIT" in evaluate(facts, today=date(2029, 2, 28)).codes()
    assert "FAILED_DEPARTURE_BENEFIT" not in evaluate(facts, today=date(2029, 3, 1)).codes()
