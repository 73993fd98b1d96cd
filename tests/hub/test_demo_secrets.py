"""The demo's secrets are its own, random, kept across restarts; its files are private from the
moment they exist (umask 077, 0700 directory, 0600 files)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from auth.settings import DEV_KEY_SECRET, AuthSettings
from hub.audit.signing import DEV_SEED, AuditSigner
from hub.demo import Demo
from hub.demo_secrets import private_directory, write_private
from hub.settings import DEV_PSEUDONYM_KEY


@pytest.fixture(autouse=True)
def restore_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # what a shell usually has: files 0644 unless told otherwise
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def demo(directory: Path) -> Demo:
    return Demo(
        directory=directory, hub_port=1, ports={"kemnaker": 2, "p2mi": 3, "bpjs": 4, "embassy": 5}
    )


def test_the_demo_makes_its_own_secrets_and_keeps_them(tmp_path: Path) -> None:
    directory = tmp_path / ".demo"
    private_directory(directory)
    first = demo(directory).credentials()
    again = demo(directory).credentials()
    assert first == again  # a restart reads the same secrets: hub.db stays readable
    env = demo(directory).hub_environ(first, {})
    assert env["HUB_ENV"] == "dev"
    assert env["HUB_PSEUDONYM_KEY"] not in (DEV_PSEUDONYM_KEY, "")
    assert AuthSettings.from_environ(env).key_secret != DEV_KEY_SECRET
    signer = AuditSigner.from_environ(env)
    assert signer.key_id != AuditSigner.from_environ({"HUB_ENV": "test"}).key_id
    assert DEV_SEED not in json.dumps(first).encode()
    other = tmp_path / "other"
    private_directory(other)
    assert demo(other).credentials()["hub"] != first["hub"]  # random, per demo directory


def test_the_directory_and_what_is_written_in_it_are_private(tmp_path: Path) -> None:
    directory = tmp_path / ".demo"
    private_directory(directory)
    demo(directory).credentials()
    (directory / "hub.db").write_bytes(b"")  # as SQLite creates it, under the demo's umask
    assert mode(directory) == 0o700
    assert mode(directory / "credentials.json") == 0o600
    assert mode(directory / "hub.db") == 0o600
    write_private(directory / "credentials.json", "{}")  # replacing keeps it private
    assert mode(directory / "credentials.json") == 0o600


def test_an_older_demo_directory_is_made_private_and_its_dev_sealed_database_dropped(
    tmp_path: Path,
) -> None:
    directory = tmp_path / ".demo"
    directory.mkdir(mode=0o755)
    (directory / "hub.db").write_bytes(b"sealed under the published dev secret")
    (directory / "hub.db").chmod(0o644)
    old = {"agencies": {"p2mi": {"api_key": "kept"}}, "hub": {"pseudonym_key": "old-key"}}
    (directory / "credentials.json").write_text(json.dumps(old))
    (directory / "notes.txt").write_text("not the demo's")
    (directory / "notes.txt").chmod(0o644)
    private_directory(directory)
    assert mode(directory) == 0o700 and mode(directory / "credentials.json") == 0o600
    assert mode(directory / "hub.db") == 0o600
    assert mode(directory / "notes.txt") == 0o644  # a file the demo did not write is left alone
    creds = demo(directory).credentials()
    assert not (directory / "hub.db").exists()
    assert creds["agencies"] == old["agencies"] and creds["hub"]["key_secret"]
