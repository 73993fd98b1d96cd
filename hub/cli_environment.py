"""What a ``pmihub`` command finds before it runs, and how its configuration errors read.

- **The running demo's settings.** ``pmihub demo`` writes ``.demo/env`` (mode 0600): the hub's
  whole environment, plus people to try (``DEMO_NIK``, ``DEMO_NAME``...). A command run in that
  checkout with no ``HUB_ENV`` of its own fills what its environment lacks from that file, so
  ``pmihub status`` or ``pmihub token`` work there as written. A file another user owns, or
  one others may write, is ignored; a production host sets ``HUB_ENV`` and never reads it.
- **No stray files.** A command that reads the hub's database refuses, in one line, a SQLite
  file that does not exist rather than creating an empty one (``pmihub migrate`` creates it).
- **One line.** A configuration or database error is one line on stderr and status 2, never
  a traceback.
"""

from __future__ import annotations

import os
import shlex
import stat
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from auth.settings import AuthSettingsError
from hub.settings import SettingsError

DEMO_ENV = Path(".demo") / "env"
# Commands that open the hub's database; the others (generate, sandbox, demo, migrate) do not,
# or create it.
DATABASE_COMMANDS = frozenset(
    {"sync", "status", "serve", "token", "clients", "keys", "grants", "users", "audit"}
    | {"webhooks", "crosswalk", "stats", "partners", "consents", "census", "cohort"}
)
OTHER_COMMANDS = frozenset({"generate", "sandbox", "demo", "migrate"})
NO_DATABASE = {("audit", "public-key")}


class DatabaseMissing(SettingsError):
    """The hub's SQLite database file does not exist."""


CONFIG_ERRORS: tuple[type[Exception], ...] = (SettingsError, AuthSettingsError)


def env_file_lines(environ: Mapping[str, str]) -> str:
    """``export NAME=value`` lines a shell can source and ``read_env_file`` reads back."""
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in environ.items())


def read_env_file(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            words = words[1:]
        for word in words:
            name, sep, value = word.partition("=")
            if sep and name.isidentifier():
                values[name] = value
    return values


def private_to_me(path: Path) -> bool:
    """The file is this user's and nobody else may write it (so nobody can plant settings)."""
    try:
        info = path.stat()
    except OSError:
        return False
    mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load_demo_environment(
    environ: MutableMapping[str, str], directory: Path | None = None
) -> Path | None:
    """Fill ``environ`` from ``.demo/env`` when ``HUB_ENV`` is unset; return the file used."""
    path = (directory or Path.cwd()) / DEMO_ENV
    if "HUB_ENV" in environ or not private_to_me(path):
        return None
    for name, value in read_env_file(path.read_text()).items():
        environ.setdefault(name, value)
    return path


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for another database or an in-memory one)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def require_database(url: str) -> None:
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseMissing(
            f"no hub database at {path} (HUB_DATABASE_URL): run `pmihub migrate` to create "
            "it, or run pmihub in the checkout where `make demo` runs (it reads .demo/env)"
        )


def open_database() -> Engine:
    """The hub's database engine, for commands that only read or change an existing one."""
    from hub.storage import database_url, make_engine

    url = database_url()
    require_database(url)
    return make_engine(url)


def command_path(argv: list[str]) -> tuple[str, ...]:
    """The command words of ``argv`` (``("audit", "verify")``), options left out."""
    return tuple(word for word in argv[:2] if not word.startswith("-"))


def needs_database(argv: list[str]) -> bool:
    words = command_path(argv)
    if not words or "--help" in argv or words[:2] in NO_DATABASE:
        return False
    return words[0] in DATABASE_COMMANDS


def one_line(exc: BaseException) -> str:
    """The first line of an error, without a traceback."""
    if isinstance(exc, SQLAlchemyError):
        origin = getattr(exc, "orig", None) or exc
        text = str(origin).strip().splitlines()
        first = text[0] if text else type(origin).__name__
        if "no such table" in first or ("does not exist" in first and "relation" in first):
            return f"database error: {first} (is it migrated? run `pmihub migrate`)"
        return f"database error: {first}"
    text = str(exc).strip().splitlines()
    return f"configuration error: {text[0] if text else type(exc).__name__}"


def fail_in_one_line(exc: BaseException) -> None:
    print(f"pmihub: {one_line(exc)}", file=sys.stderr)
    sys.exit(2)
