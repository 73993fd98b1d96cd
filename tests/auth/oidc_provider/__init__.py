"""A real OpenID Connect provider for the tests: ``oidc-provider`` from npm on the machine's Node.

``provider.mjs`` configures it like a ministry Keycloak realm (clients, users with groups, PKCE
required). The package is installed once per lock file with ``npm ci`` under ``.venv/``;
without Node or npm the tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from connectors.sandbox.serve import free_port

HERE = Path(__file__).parent
ROOT = HERE.parents[2]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the OpenID Connect tests need the oidc-provider package: {reason}")
    pytest.skip(f"the test OpenID Connect provider is not available: {reason}")


def installed() -> Path:
    """The folder holding ``node_modules/oidc-provider`` and ``provider.mjs``."""
    if not shutil.which("node") or not shutil.which("npm"):
        _unavailable("node or npm is not installed")
    lock = (HERE / "package-lock.json").read_bytes()
    folder = ROOT / ".venv" / f"oidc-provider-{hashlib.sha256(lock).hexdigest()[:12]}"
    if not (folder / "node_modules" / "oidc-provider" / "package.json").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, folder / name)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            _unavailable(f"npm ci failed: {done.stderr.strip()[-500:]}")
    shutil.copy(HERE / "provider.mjs", folder / "provider.mjs")
    return folder


@contextmanager
def running_provider(
    directory: Path,
    *,
    clients: list[Mapping[str, Any]],
    users: Mapping[str, Mapping[str, Any]],
    host: str = "127.0.0.1",
) -> Iterator[str]:
    """The provider on a free loopback port until the block ends; yields its issuer."""
    folder = installed()
    port = free_port()
    issuer = f"http://{host}:{port}"
    config = directory / f"oidc-provider-{port}.json"
    config.write_text(json.dumps({"issuer": issuer, "clients": clients, "users": users}))
    process = subprocess.Popen(
        ["node", "provider.mjs", str(port), str(config)],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:  # it prints "listening <issuer>" once it accepts
            seen.append(line)
            if line.startswith("listening "):
                break
        else:
            pytest.fail(f"the OpenID Connect provider did not start: {''.join(seen)[-800:]}")
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe open
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


__all__ = ["installed", "running_provider"]
