"""The level table, row by row, and every level reached from a scenario."""

from __future__ import annotations

import pytest

from hub.protection.levels import LEVEL_TABLE, Outcome, level_of
from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from schema.enums import Severity as S
from tests.protection.people import (
    Case,
    case,
    check,
    embassy,
    p2mi,
    placement,
    worker,
)


def outcome(*severities: S, complete: bool = True, phase: P = P.PLACEMENT) -> Outcome:
    return Outcome(frozenset(severities), complete, phase)


# (row number in LEVEL_TABLE, an outcome that row decides, the level)
ROWS = [
    (1, outcome(S.CRITICAL, S.HIGH, S.INFO, complete=False, phase=P.UNKNOWN), L.EMERGENCY),
    (2, outcome(S.HIGH, S.MEDIUM, complete=False), L.UNPROTECTED),
    (3, outcome(S.MEDIUM, S.LOW, complete=False), L.UNKNOWN),
    (4, outcome(S.MEDIUM, phase=P.UNKNOWN), L.UNKNOWN),
    (4, outcome(phase=P.UNKNOWN), L.UNKNOWN),
    (5, outcome(S.MEDIUM), L.AT_RISK),
    (5, outcome(S.LOW, S.INFO, phase=P.PRE_PLACEMENT), L.AT_RISK),
    (6, outcome(S.INFO, phase=P.POST_PLACEMENT), L.PROTECTED),
    (6, outcome(), L.PROTECTED),
]


@pytest.mark.parametrize(("row", "given", "level"), ROWS)
def test_each_row_decides_its_outcomes(row: int, given: Outcome, level: L) -> None:
    # the row is the first that applies, and it gives the level
    first = next(i for i, r in enumerate(LEVEL_TABLE, 1) if r.applies(given))
    assert (first, level_of(given)) == (row, level)


def test_every_row_is_tested() -> None:
    assert {row for row, _, _ in ROWS} == set(range(1, len(LEVEL_TABLE) + 1))


def test_an_incomplete_verdict_is_never_protected() -> None:
    for severities in ((), (S.INFO,), (S.LOW,), (S.MEDIUM,)):
        for phase in P:
            assert level_of(outcome(*severities, complete=False, phase=phase)) is L.UNKNOWN


EVERY_LEVEL = [
    Case("protected", worker(), L.PROTECTED),
    Case("at risk", worker(embassy=embassy(endorsed=())), L.AT_RISK, ("CONTRACT_NOT_ENDORSED",)),
    Case("unprotected", worker(bpjs=None), L.UNPROTECTED, ("BPJS_NOT_ENROLLED",)),
    Case(
        "emergency",
        worker(embassy=embassy(cases=(case(kind="DETENTION", severity="CRITICAL"),))),
        L.EMERGENCY,
        ("CRITICAL_CASE",),
    ),
    Case(
        "unknown: nothing on record",
        worker(kemnaker=None, p2mi=None, bpjs=None, embassy=None),
        L.UNKNOWN,
        phase=P.UNKNOWN,
    ),
    Case(
        "unknown: a job seeker with cover but no placement yet",
        worker(p2mi=p2mi(), embassy=None),
        L.UNKNOWN,
        phase=P.UNKNOWN,
    ),
    Case(
        "unknown: a source could not be read",
        worker(),
        L.UNKNOWN,
        ("SOURCE_UNAVAILABLE",),
        complete=False,
        options={"unavailable": ["P2MI"]},
    ),
    Case(
        "at risk: a low finding alone",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.999/2020"))),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_UNVERIFIED",),
    ),
]


@pytest.mark.parametrize("row", EVERY_LEVEL, ids=str)
def test_every_level(row: Case) -> None:
    check(row)
