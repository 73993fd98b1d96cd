"""Policy decisions shared across a request's workers decide exactly as deciding every time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from auth.access import Access
from auth.breakglass import BreakGlass
from auth.principal import Principal
from auth.purpose import Purpose
from auth.scopes import Scope as S
from hub.graphql.enforce import agency_visible, allowed
from hub.graphql.policy import POLICY, Gate
from schema.records import RecordKind

KINDS = [
    frozenset({RecordKind.PERSON}),
    frozenset({RecordKind.PERSON, RecordKind.MEMBERSHIP}),
    frozenset({RecordKind.PERSON, RecordKind.PLACEMENT, RecordKind.LICENSE}),
    frozenset({RecordKind.CONSULAR_REPORT, RecordKind.ENDORSEMENT, RecordKind.CASE}),
]
PRINCIPALS = [
    Principal(
        "c",
        "s",
        frozenset({S.WORKER_IDENTITY_READ, S.PLACEMENT_READ}),
        "j",
        "i",
        0,
        purpose=Purpose.EMERGENCY,
    ),
    Principal(
        "c",
        "s",
        frozenset({S.SOCIAL_SECURITY_READ, S.EMERGENCY}),
        "j",
        "i",
        0,
        purpose=Purpose.EMERGENCY,
    ),
    Principal("c", "s", frozenset({S.WORKER_IDENTITY_READ}), "j", "i", 0),  # no purpose
]


def grant(worker_id: str) -> BreakGlass:
    now = datetime.now(UTC)
    return BreakGlass("g", "c", "officer", worker_id, "reason", "j", now, now + timedelta(hours=1))


def decide(access: Access) -> list[Any]:
    rules = [r for r in POLICY.values() if r.gate in (Gate.SECTION, Gate.FIELD)]
    return [allowed(access, r) for r in rules] + [agency_visible(access, k) for k in KINDS]


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_shared_decisions_answer_as_deciding_every_time(principal: Principal) -> None:
    # given one request's decisions, shared by workers with and without a break-glass grant
    shared: dict[Any, Any] = {}
    workers = [("w1", None), ("w2", grant("w2")), ("w3", None), ("w4", grant("w4"))]
    for worker_id, held in workers * 2:  # the second round answers from the shared decisions
        # when each worker's access decides through them
        memoised = decide(Access(principal, worker_id, held, decisions=shared))
        # then the answers are those of deciding afresh, grant or none
        assert memoised == decide(Access(principal, worker_id, held))
    assert shared  # and the decisions were shared


def test_a_grant_changes_what_is_shared() -> None:
    principal = PRINCIPALS[0]  # reads no social security section by scope
    shared: dict[Any, Any] = {}
    section = POLICY["Worker.socialSecurity"]
    assert not allowed(Access(principal, "w1", None, decisions=shared), section)
    assert allowed(Access(principal, "w2", grant("w2"), decisions=shared), section)
    assert not allowed(Access(principal, "w3", None, decisions=shared), section)
    assert not agency_visible(Access(principal, "w1", None, decisions=shared), KINDS[1])
    assert agency_visible(Access(principal, "w2", grant("w2"), decisions=shared), KINDS[1])
