"""``pmihub webhooks``: add prints the secret once, list counts, deliver runs a round."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from connectors.sandbox.serve import LoopbackServer
from hub.cases import Actor, CaseService
from hub.cases.cli import webhooks_cli
from hub.cases.signing import verify
from schema.enums import CaseKind, Severity
from tests.cases._live import Receiver
from tests.cases.conftest import WORKERS


@pytest.fixture
def cli_env(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("HUB_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HUB_ENV", "test")
    monkeypatch.setenv("HUB_WEBHOOK_ALLOW_LOOPBACK", "true")
    return engine


def test_add_list_deliver_remove(cli_env: Engine) -> None:
    runner = CliRunner()
    bad = runner.invoke(webhooks_cli, ["add", "ftp://x.example/", "--client", "p2mi-system"])
    assert bad.exit_code == 2 and "https://" in bad.output
    receiver = Receiver()
    with LoopbackServer(receiver.app()) as server:
        added = runner.invoke(
            webhooks_cli,
            ["add", f"{server.url}/hook", "--client", "p2mi-system", "--mission", "kul"],
        )
        assert added.exit_code == 0, added.output
        hook_id = added.output.split("\t")[0]
        secret = added.output.split("secret: ")[1].strip()
        CaseService(cli_env).open(
            Actor("embassy-system", "embassy-system", "EMBASSY"),
            WORKERS[0],
            CaseKind.MISSING,
            Severity.CRITICAL,
            "Tidak dapat dihubungi",
            CaseService(cli_env).missions.resolve("KUL"),
        )
        listed = runner.invoke(webhooks_cli, ["list"])
        assert f"{hook_id}\tp2mi-system\tKUL\t1\t0\t0\t" in listed.output
        delivered = runner.invoke(webhooks_cli, ["deliver", "--once"])
        assert delivered.exit_code == 0 and "attempted 1" in delivered.output
    headers, body = receiver.received[0]
    verify(secret, headers, body)
    assert secret not in runner.invoke(webhooks_cli, ["list"]).output
    assert f"{hook_id}\tp2mi-system\tKUL\t0\t0\t1\t" in runner.invoke(webhooks_cli, ["list"]).output
    assert runner.invoke(webhooks_cli, ["remove", hook_id]).exit_code == 0
    assert runner.invoke(webhooks_cli, ["remove", hook_id]).exit_code == 1
    assert "HUB_DATABASE_URL" in os.environ
