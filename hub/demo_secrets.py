"""The demo's own secrets and private files.

``pmihub demo`` runs the hub with ``HUB_ENV=dev``, where the development secrets in the code
are refused (they are the test suite's only): a published key secret would let anyone who reads
``hub.db`` unseal the token signing key and mint tokens. So the demo generates random ones into
``credentials.json`` and keeps them across restarts, so the data it stored stays readable.

Everything the demo writes holds secrets or personal data, so the demo directory is 0700 and the
process's umask 077 before anything is created: ``hub.db`` (made by the hub's processes, which
inherit the umask), the scenario, ``credentials.json`` (written through ``write_private``).
"""

from __future__ import annotations

import base64
import os
import secrets
import stat
from pathlib import Path
from typing import Any

# credentials.json "hub" entry -> the hub's environment variable
HUB_SECRETS = {
    "pseudonym_key": "HUB_PSEUDONYM_KEY",
    "key_secret": "HUB_AUTH_KEY_SECRET",
    "audit_signing_key": "HUB_AUDIT_SIGNING_KEY",
}


# What the demo writes in its directory (hub.demo): a directory given with --dir may hold more.
DEMO_FILES = (
    "hub.db*",
    "credentials.json",
    "endpoints.json",
    "state.json",
    "scenario-*.json",
    "certs/*",
)


def new_hub_secrets() -> dict[str, str]:
    return {
        "pseudonym_key": secrets.token_urlsafe(32),
        "key_secret": secrets.token_urlsafe(32),
        "audit_signing_key": base64.b64encode(secrets.token_bytes(32)).decode(),  # Ed25519 seed
    }


def complete(hub: dict[str, Any]) -> bool:
    """Whether a credentials file's ``hub`` entry holds every secret the demo needs."""
    return all(hub.get(name) for name in HUB_SECRETS)


def hub_secret_environ(hub: dict[str, str]) -> dict[str, str]:
    return {variable: hub[name] for name, variable in HUB_SECRETS.items()}


def private_directory(directory: Path) -> None:
    """The demo directory, 0700, and from now on every file this process (and the processes it
    starts) creates is 0600: the umask is set before anything is written."""
    os.umask(0o077)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)  # a directory made by an older demo, or by hand
    for pattern in DEMO_FILES:  # files an older demo left readable to others (only the demo's)
        for path in directory.glob(pattern):
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                path.chmod(0o600)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically into a file that is 0600 from the moment it exists."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
    temporary.replace(path)


__all__ = [
    "HUB_SECRETS",
    "complete",
    "hub_secret_environ",
    "new_hub_secrets",
    "private_directory",
    "write_private",
]
