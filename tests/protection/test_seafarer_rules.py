"""Crews' own documents under PP 22/2022 (issue #17, domain-2026 §1 M8): the seafarer's book
and the sea-service agreement (PKL), on hand-written crews served by the real SISKOP2MI
sandbox and read by the real connector; absent data is not judged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hub.protection import evaluate
from hub.protection.law import PP_22_2022
from hub.protection.verdict import Party
from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from schema.enums import Severity
from tests.protection.people import Case, bpjs, check, cover, day, embassy, judge, p2mi, placement
from tests.protection.people import worker as protected_worker
from tests.protection.scenario_facts import facts_for

Json = dict[str, Any]
BOOK = "F 123456"
VALID_BOOK = {"number": BOOK, "expiresOn": "2028-03-31"}
ENDORSED = {"signedOn": "2025-05-20", "endorsedOn": "2025-05-27"}


def crew(**changes: Any) -> Json:
    """A deckhand on a Taiwanese fishing vessel, protected, with a valid book and an endorsed
    PKL unless ``changes`` say otherwise (None removes a field)."""
    fields: Json = {"seafarerBook": VALID_BOOK, "seaServiceAgreement": ENDORSED} | changes
    fields = {k: v for k, v in fields.items() if v is not None}
    pl = placement(country="TW", sector="FISHERIES_SEA", occupation="Deckhand", **fields)
    for key in ("seafarerBook", "seaServiceAgreement"):
        if key in changes and changes[key] is None:
            pl.pop(key, None)
    return protected_worker(p2mi=p2mi(pl), embassy=embassy(endorsed=()))


CASES = [
    Case("a crew with a valid book and an endorsed PKL", crew(), L.PROTECTED),
    Case(
        "a crew whose book expired at sea",
        crew(seafarerBook={"number": BOOK, "expiresOn": day(-40)}),
        L.AT_RISK,
        ("SEAFARER_BOOK_EXPIRED",),
        says="expired on",
    ),
    Case(
        "a book expiring today is still valid",
        crew(seafarerBook={"number": BOOK, "expiresOn": day(0)}),
        L.PROTECTED,
    ),
    Case(
        "a book with no recorded expiry is not judged",
        crew(seafarerBook={"number": BOOK}),
        L.PROTECTED,
    ),
    Case(
        "no book and no PKL on record: not judged (an older answer)",
        crew(seafarerBook=None, seaServiceAgreement=None),
        L.PROTECTED,
    ),
    Case(
        "a PKL signed and never endorsed",
        crew(seaServiceAgreement={"signedOn": "2025-05-20"}),
        L.AT_RISK,
        ("SEA_AGREEMENT_NOT_ENDORSED",),
        says="signed on 2025-05-20 but is not endorsed",
    ),
    Case(
        "a domestic worker is no crew: a seafarer's book on her record is not read",
        protected_worker(
            p2mi=p2mi(
                placement(
                    seafarerBook={"number": BOOK, "expiresOn": day(-40)},
                    seaServiceAgreement={"signedOn": "2025-05-20"},
                )
            )
        ),
        L.PROTECTED,
    ),
    Case(
        "a crew home again: the documents no longer weigh",
        crew(
            status="RETURNED",
            returnedOn=day(-10),
            contractEnd=day(-12),
            seafarerBook={"number": BOOK, "expiresOn": day(-40)},
            seaServiceAgreement={"signedOn": "2025-05-20"},
        ),
        L.PROTECTED,
        phase=P.POST_PLACEMENT,
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    verdict = check(row)
    for finding in verdict.findings:
        assert all(e.agency == "P2MI" for e in finding.evidence if "SEA" in finding.code)


def ready_crew(book_expires: str) -> Json:
    """A crew READY to sign on in 20 days, pre-placement cover paid."""
    pl = placement(
        status="READY",
        country="TW",
        sector="FISHERIES_SEA",
        occupation="Deckhand",
        departedOn=None,
        contractStart=day(20),
        contractEnd=day(750),
        seafarerBook={"number": BOOK, "expiresOn": book_expires},
        seaServiceAgreement=ENDORSED,
    )
    return protected_worker(
        p2mi=p2mi(pl), bpjs=bpjs(cover("PRE_PLACEMENT", day(-30), day(120))), embassy=None
    )


def test_an_expired_book_before_sign_on_is_high() -> None:
    # when a crew READY to depart holds a book that expired last week
    verdict = judge(ready_crew(day(-7)))
    found = next(f for f in verdict.findings if f.code == "SEAFARER_BOOK_EXPIRED")
    # then it is HIGH (no sign-on without it), and the worker is told what to do herself
    assert found.severity is Severity.HIGH
    assert verdict.level in (L.UNPROTECTED, L.EMERGENCY)
    assert "Syahbandar" in found.actions_for(Party.WORKER, "ID")[0]
    # and with a valid book, no such finding
    assert "SEAFARER_BOOK_EXPIRED" not in judge(ready_crew(day(400))).codes()


def test_actions_are_addressed_to_each_party() -> None:
    verdict = judge(crew(seaServiceAgreement={"signedOn": "2025-05-20"}))
    (found,) = verdict.findings
    officer, company, mine = (
        found.actions_for(p, "EN") for p in (Party.OFFICER, Party.P3MI, Party.WORKER)
    )
    assert officer and company and mine
    assert "keep a copy yourself" in mine[0]
    assert not set(mine) & set(officer + company)
    assert found.actions_for(Party.BPJS) == ()


def test_the_rules_follow_pp_22_2022_in_force() -> None:
    # given a crew whose book expired in March 2022, judged before and after PP 22/2022
    person = crew(
        contractStart="2021-06-01",
        departedOn="2021-06-01",
        contractEnd="2023-05-31",
        agreementSignedOn="2021-04-01",
        seafarerBook={"number": BOOK, "expiresOn": "2022-03-01"},
    )
    person["bpjs"] = bpjs(cover("PLACEMENT", "2021-06-01", "2023-06-30"))
    facts = facts_for(person)
    before = PP_22_2022 - timedelta(days=1)
    assert "SEAFARER_BOOK_EXPIRED" not in evaluate(facts, today=before).codes()
    assert "SEAFARER_BOOK_EXPIRED" in evaluate(facts, today=PP_22_2022).codes()
