"""STATISTICS is the run's purpose alone: never a token's, never with a per-person read."""

from __future__ import annotations

import asyncio

import pytest

from auth.errors import PurposeError
from auth.purpose import Purpose, check_allowed, resolve
from auth.scopes import READ_SCOPES, Scope
from hub.audit import AccessEntry
from hub.runtime import StatusError, worker_status


@pytest.mark.parametrize(
    "scopes", [frozenset(), frozenset(READ_SCOPES), frozenset({Scope.SELF}), frozenset(Scope)]
)
def test_no_token_may_declare_statistics(scopes: frozenset[str]) -> None:
    with pytest.raises(PurposeError) as caught:
        check_allowed(Purpose.STATISTICS, scopes)
    assert caught.value.code == "PURPOSE_NOT_ALLOWED"
    with pytest.raises(PurposeError):
        resolve(None, "STATISTICS", scopes)
    with pytest.raises(PurposeError):
        resolve("STATISTICS", None, scopes)


def test_an_audit_entry_never_pairs_statistics_with_a_person() -> None:
    with pytest.raises(ValueError, match="STATISTICS"):
        AccessEntry("c", "s", "op", "r", worker_id="wk_1", purpose="STATISTICS")
    AccessEntry("c", "s", "op", "r", worker_id=None, purpose="STATISTICS")


def test_the_status_command_refuses_statistics_before_reading() -> None:
    with pytest.raises(StatusError, match="STATISTICS"):
        asyncio.run(worker_status(nik=None, worker_id="wk_1", purpose="STATISTICS"))
