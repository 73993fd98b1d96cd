"""``pmihub audit``: exit codes and what each command prints."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update
from typer.testing import CliRunner

from hub.audit import AuditTrail, Outcome
from hub.audit.cli import audit_cli
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditEntryRow
from hub.storage import make_engine
from tests.audit._support import entry

RUNNER = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditTrail:
    """A hub database with three entries ten days old, and the CLI pointed at it."""
    from tests.audit.conftest import prepare

    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    monkeypatch.setenv("HUB_DATABASE_URL", url)
    monkeypatch.setenv("HUB_AUDIT_SIGNING_KEY", base64.b64encode(raw).decode())
    monkeypatch.setenv("HUB_ENV", "production")
    engine = prepare(make_engine(url))
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    trail = AuditTrail(engine, AuditSigner.from_environ(), lambda: ten_days_ago)
    trail.record([entry(1), entry(2)])
    trail.record([entry(4, outcome=Outcome.REFUSED, categories=frozenset())])
    return trail


def test_verify_exits_0_on_an_intact_trail(env: AuditTrail) -> None:
    result = RUNNER.invoke(audit_cli, ["verify"])
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: 3 entries" in result.stdout


def test_verify_exits_1_naming_the_entry(env: AuditTrail) -> None:
    with env.engine.begin() as conn:
        table = AuditEntryRow.__table__  # type: ignore[attr-defined]
        conn.execute(update(table).where(table.c.seq == 2).values(purpose="EMERGENCY"))
    result = RUNNER.invoke(audit_cli, ["verify"])
    assert result.exit_code == 1
    assert "entri #2 diubah" in result.stdout and "entry #2 altered" in result.stdout


def test_checkpoint_then_purge_keeps_the_trail_verifiable(env: AuditTrail) -> None:
    result = RUNNER.invoke(audit_cli, ["checkpoint"])
    assert result.exit_code == 0 and "seq=3" in result.stdout
    result = RUNNER.invoke(audit_cli, ["purge", "--older-than", "20"])
    assert result.exit_code == 0 and "0 entries purged" in result.stdout
    result = RUNNER.invoke(audit_cli, ["purge", "--older-than", "5"])
    assert result.exit_code == 0 and "3 entries purged" in result.stdout
    assert RUNNER.invoke(audit_cli, ["verify"]).exit_code == 0


def test_report_summarises_per_client_and_purpose(env: AuditTrail) -> None:
    result = RUNNER.invoke(audit_cli, ["report", "--since", "2000-01-01"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # entry(1) and the refused entry(4) share client cl_1; entry(2) is cl_2
    assert lines[1].split() == ["cl_1", "KEMNAKER", "CASE_HANDLING", "1", "0", "1", "2"]
    assert lines[2].split() == ["cl_2", "EMBASSY", "CASE_HANDLING", "1", "0", "0", "1"]


def test_report_refuses_a_bad_date(env: AuditTrail) -> None:
    result = RUNNER.invoke(audit_cli, ["report", "--since", "yesterday"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_without_a_key_outside_dev_the_cli_refuses(
    env: AuditTrail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUB_AUDIT_SIGNING_KEY")
    result = RUNNER.invoke(audit_cli, ["verify"])
    assert result.exit_code == 2 and "HUB_AUDIT_SIGNING_KEY" in result.output
