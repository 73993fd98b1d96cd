"""``pmihub serve`` checks the auth settings (``HUB_AUTH_*``, ``HUB_OIDC_*``) before it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

AGENCIES = ("KEMNAKER", "P2MI", "BPJS", "EMBASSY")


def test_a_bad_oidc_setting_is_one_line_and_nothing_starts(tmp_path: Path) -> None:
    database = tmp_path / "hub.db"
    database.touch()  # an empty SQLite database: serve refuses a missing one first
    env = {
        **os.environ,
        "HUB_ENV": "production",
        "HUB_DATABASE_URL": f"sqlite:///{database}",
        "HUB_PSEUDONYM_KEY": "serve-test-pseudonym-key",
        "HUB_AUTH_KEY_SECRET": "serve-test-key-secret-0123",
        **{f"HUB_AGENCY_{a}_URL": "https://agency.example" for a in AGENCIES},
        "HUB_OIDC_ISSUER": "https://sso.example.go.id/realms/pmi",
        "HUB_OIDC_CLIENT_ID": "pmihub",
        "HUB_OIDC_GROUP_MAP": "/missions/HKG/officers=officer",  # no mission
    }
    cli = Path(sys.executable).with_name("pmihub")
    done = subprocess.run(
        [str(cli), "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.endswith(
        "configuration error: HUB_OIDC_GROUP_MAP: '/missions/HKG/officers=officer': "
        "officer needs @MISSION"
    )
    assert database.stat().st_size == 0  # nothing migrated, nothing written
