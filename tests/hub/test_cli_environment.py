"""What a pmihub command finds before it runs: .demo/env, a database that exists, one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer

from hub.cli import app
from hub.cli_environment import (
    DATABASE_COMMANDS,
    OTHER_COMMANDS,
    DatabaseMissing,
    env_file_lines,
    load_demo_environment,
    needs_database,
    read_env_file,
    require_database,
)


def command_names(cli: typer.Typer) -> set[str]:
    commands: dict[str, object] = getattr(typer.main.get_command(cli), "commands", {})
    return set(commands)


def test_every_command_says_whether_it_opens_the_database() -> None:
    # a new command must join one set: a database command refuses a missing SQLite file
    assert command_names(app) - DATABASE_COMMANDS - OTHER_COMMANDS == set()
    assert needs_database(["token", "--client", "x"]) and needs_database(["audit", "verify"])
    assert not needs_database(["audit", "public-key"]) and not needs_database(["migrate"])
    assert not needs_database(["token", "--help"])


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    # when
    with pytest.raises(DatabaseMissing, match="pmihub migrate"):
        require_database(f"sqlite:///{tmp_path / 'hub.db'}")
    # then
    assert list(tmp_path.iterdir()) == []
    require_database("postgresql+psycopg://u@h/db")  # another database: its server decides


def test_the_demo_env_fills_only_what_is_missing_and_only_without_hub_env(tmp_path: Path) -> None:
    # given
    (tmp_path / ".demo").mkdir()
    env_file = tmp_path / ".demo" / "env"
    values = {"HUB_ENV": "dev", "HUB_X": "it's $HOME", "DEMO_NAME": "siti aminha"}
    env_file.write_text(env_file_lines(values))
    env_file.chmod(0o600)
    # when
    filled = {"HUB_X": "mine"}
    used = load_demo_environment(filled, tmp_path)
    refused = {"HUB_ENV": "production"}
    unused = load_demo_environment(refused, tmp_path)
    # then
    assert read_env_file(env_file.read_text()) == values
    assert used == env_file and filled == {**values, "HUB_X": "mine"}
    assert unused is None and refused == {"HUB_ENV": "production"}


def test_a_demo_env_others_may_write_is_ignored(tmp_path: Path) -> None:
    # given
    (tmp_path / ".demo").mkdir()
    env_file = tmp_path / ".demo" / "env"
    env_file.write_text(env_file_lines({"HUB_DATABASE_URL": "sqlite:///elsewhere.db"}))
    env_file.chmod(0o666)
    environ: dict[str, str] = {}
    # when
    used = load_demo_environment(environ, tmp_path)
    # then
    assert used is None and environ == {}
    assert os.stat(env_file).st_mode & 0o022
