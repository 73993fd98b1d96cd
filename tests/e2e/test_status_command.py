"""``pmihub status``: one worker's verdict in the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def status(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **stack.environ}
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "status", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_status_by_nik_prints_the_verdict_in_both_languages(stack: Stack) -> None:
    # a worker about to leave for a household in Saudi Arabia, orientation not done
    indonesian = status(stack, "--nik", "3174055011000004")
    english = status(stack, "--nik", "3174055011000004", "--lang", "EN")
    assert indonesian.returncode == 0, indonesian.stderr
    for code in ("MORATORIUM_DESTINATION", "ORIENTATION_MISSING", "BPJS_COVERAGE_ENDS_SOON"):
        assert code in indonesian.stdout and code in english.stdout
    assert "PRE_PLACEMENT" in english.stdout or "pre-placement" in english.stdout.lower()
    assert indonesian.stdout != english.stdout
    assert "3174055011000004" not in indonesian.stdout  # the verdict never repeats the NIK
    # the operator's reads are in the audit trail like any other
    from sqlmodel import Session, select

    from hub.audit.tables import AuditEntryRow
    from hub.storage import make_engine

    worker_id = indonesian.stdout.splitlines()[0]
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    with Session(engine) as session:
        rows = session.exec(
            select(AuditEntryRow).where(AuditEntryRow.operation == "pmihub status")
        ).all()
    engine.dispose()
    assert sum(1 for r in rows if r.worker_id == worker_id) >= 2


def test_status_refuses_bad_input_and_says_when_nobody_knows_the_worker(stack: Stack) -> None:
    bad = status(stack, "--nik", "123")
    assert bad.returncode == 2 and "NIK tidak sah / Invalid NIK" in bad.stderr
    both = status(stack, "--nik", "3329095203950002", "--id", "wk_" + "0" * 20)
    assert both.returncode == 2
    unknown = status(stack, "--id", "wk_" + "0" * 20)
    assert unknown.returncode == 1 and "Worker not found" in unknown.stderr


@pytest.mark.parametrize("purpose", ["SELF_SERVICE", "LEGAL_AID", "STATISTICS", "WHATEVER"])
def test_status_takes_only_an_officers_purpose(stack: Stack, purpose: str) -> None:
    """The entry in the trail says why an officer read the worker: the worker's own purpose, a
    partner's or STATISTICS would record a read for a reason that was not the operator's."""
    refused = status(stack, "--nik", "3329095203950002", "--purpose", purpose)
    assert refused.returncode == 2 and "Not an officer's purpose" in refused.stderr
    assert refused.stdout == ""
