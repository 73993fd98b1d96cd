"""The ``pmihub`` commands: help everywhere, generation, and scenario errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    "generate",
    "sandbox",
    "migrate",
    "sync",
    "status",
    "serve",
    "demo",
    "token",
    "clients",
    "keys",
    "grants",
    "audit",
]


def pmihub(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = pmihub(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_generate_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        result = pmihub(
            "generate", "--people", "200", "--seed", "7", "--as-of", "2026-11-24", "--out", str(out)
        )
        assert result.returncode == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    assert len(json.loads(a.read_text())["people"]) == 200


def bad_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "asOf": "2026-11-24",
                "people": [
                    {
                        "key": "a",
                        "nik": "3506124508900003",
                        "name": "A",
                        "birthDate": "1990-08-05",
                        "sex": "FEMALE",
                        "bpjs": {
                            "kpj": "1",
                            "coverages": [
                                {
                                    "program": "JKX",
                                    "phase": "PLACEMENT",
                                    "start": "2026-02-30",
                                    "end": "2026-03-01",
                                }
                            ],
                        },
                    },
                    {
                        "key": "a",
                        "nik": "3506124508900003",
                        "name": "B",
                        "birthDate": "1990-08-05",
                        "sex": "FEMALE",
                        "colour": "blue",
                    },
                ],
            }
        )
    )
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["sandbox", "--agency", "bpjs", "--port", "1"],
        ["demo", "--port", "1"],
    ],
)
def test_a_bad_scenario_exits_2_naming_every_error_by_json_path(
    tmp_path: Path, command: list[str]
) -> None:
    result = (
        pmihub(*command, "--scenario", str(bad_scenario(tmp_path)), "--dir", str(tmp_path))
        if command[0] == "demo"
        else pmihub(*command, "--scenario", str(bad_scenario(tmp_path)))
    )
    assert result.returncode == 2
    for path in (
        "$.people[0].bpjs.coverages[0].program",
        "$.people[0].bpjs.coverages[0].start",
        "$.people[1].colour",
    ):
        assert path in result.stderr
    assert "Traceback" not in result.stderr
