"""What may import what: the production package holds no sandbox, and ``auth`` stands alone.

The agency sandboxes answer ``/_sandbox/*`` without authentication. They live in the
``connectors.sandbox`` package and each agency's ``connectors.<agency>.sandbox`` package, which
``pyproject.toml`` leaves out of the production package; nothing the production package holds
may import them, even inside a function (only ``pmihub sandbox`` and ``pmihub demo`` do, through
``hub.cli``, and say so in one line when they are absent). ``auth`` is the OAuth server and
token verification and imports nothing from ``hub``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
SANDBOX_LOADERS = {"hub.cli"}  # `pmihub sandbox` and `pmihub demo`, guarded (hub/cli.py)


def shipped_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = config["packages"]["find"]
    return set(find_packages(str(ROOT), include=found["include"], exclude=found["exclude"]))


def is_sandbox(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "connectors" and "sandbox" in parts[1:3]


def imports_of(path: Path, module: str) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, relative ones resolved."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules(packages: set[str]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for package in packages:
        directory = ROOT / package.replace(".", "/")
        for path in directory.glob("*.py"):
            name = package if path.name == "__init__.py" else f"{package}.{path.stem}"
            out[name] = path
    return out


def test_the_production_package_ships_no_sandbox() -> None:
    # when
    shipped = shipped_packages()
    # then
    assert {"hub", "auth", "connectors", "connectors.kit", "connectors.p2mi"} <= shipped
    assert not [p for p in shipped if is_sandbox(p)]
    assert {"connectors.sandbox", "connectors.kemnaker.sandbox"} <= set(find_packages(str(ROOT)))


def test_no_shipped_module_imports_a_sandbox() -> None:
    # given
    shipped = modules(shipped_packages())
    # when
    offenders = {
        name: sorted(m for m in imports_of(path, name) if is_sandbox(m))
        for name, path in shipped.items()
        if name not in SANDBOX_LOADERS
    }
    # then
    assert {name: found for name, found in offenders.items() if found} == {}
    assert any(is_sandbox(m) for m in imports_of(shipped["hub.cli"], "hub.cli"))


def test_auth_imports_nothing_from_the_hub() -> None:
    # given
    auth = modules({p for p in shipped_packages() if p.split(".")[0] == "auth"})
    # when
    offenders = {
        name: sorted(m for m in imports_of(path, name) if m.split(".")[0] == "hub")
        for name, path in auth.items()
    }
    # then
    assert len(auth) > 10
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_running_hub_loads_no_sandbox_module() -> None:
    # given: every production entry point, imported as a server would import it
    code = (
        "import sys, hub.app, hub.serving, hub.cli, auth.routes\n"
        "import connectors.kemnaker, connectors.p2mi, connectors.bpjs, connectors.embassy\n"
        "print(sorted(m for m in sys.modules if 'sandbox' in m.split('.')))"
    )
    # when
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    # then
    assert out.stdout.strip() == "[]"
