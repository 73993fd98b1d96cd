"""Run the agency sandboxes: load a scenario, pick credentials, serve over loopback."""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from schema.clock import today
from schema.scenario import Scenario, load_scenario

SANDBOX_MODULES = {
    "kemnaker": "connectors.kemnaker.sandbox",
    "p2mi": "connectors.p2mi.sandbox",
    "bpjs": "connectors.bpjs.sandbox",
    "embassy": "connectors.embassy.sandbox",
}
DEFAULT_PEOPLE = 10_000
DEFAULT_SEED = 2026


def default_scenario(people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED) -> Path:
    """The fixed-seed generated population, cached in the temp directory."""
    from schema.population import generate

    day = today()
    path = Path(tempfile.gettempdir()) / f"pmihub-scenario-{people}-{seed}-{day}.json"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generate(partial, people=people, seed=seed, as_of=day)
        partial.replace(path)
    return path


def sandbox_credentials(agency: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``SANDBOX_<AGENCY>_<KEY>`` variables, else the sandbox's development defaults."""
    env = os.environ if environ is None else environ
    prefix = f"SANDBOX_{agency.upper()}_"
    given = {k.removeprefix(prefix).lower(): v for k, v in env.items() if k.startswith(prefix)}
    if given:
        return given
    module: Any = importlib.import_module(SANDBOX_MODULES[agency])
    return dict(module.DEV_CREDENTIALS)


def build_sandbox_app(
    agency: str, scenario: Scenario, credentials: Mapping[str, str], certs: Path | None = None
) -> tuple[Any, dict[str, Any]]:
    """The sandbox's ASGI app and the uvicorn ssl arguments it needs (embassy: mTLS)."""
    module: Any = importlib.import_module(SANDBOX_MODULES[agency])
    config = SandboxConfig(credentials=dict(credentials), certs_dir=certs)
    app = module.create_app(SandboxData(scenario), config)
    ssl = module.server_ssl(config) if hasattr(module, "server_ssl") else {}
    return app, ssl


def run_sandbox(
    agency: str,
    *,
    port: int,
    host: str = "127.0.0.1",
    scenario: Path | None = None,
    certs: Path | None = None,
) -> None:
    import uvicorn

    if agency == "embassy" and certs is None:
        certs = Path(tempfile.gettempdir()) / "pmihub-embassy-certs"
    loaded = load_scenario(scenario or default_scenario())
    app, ssl = build_sandbox_app(agency, loaded, sandbox_credentials(agency), certs)
    uvicorn.run(app, host=host, port=port, log_level="warning", **ssl)
