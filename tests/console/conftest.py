"""Browser tests of the console: Debian's chromium driven by Playwright, against a real stack.

Playwright's own browser download is never used (``playwright install`` is not run): the tests
launch ``/usr/bin/chromium`` from Debian's package, installing it when it is missing. Without
it the tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from auth.users import add_user
from connectors.sandbox.serve import free_port
from hub.storage import make_engine
from schema.scenario import Scenario, parse_scenario
from tests.e2e.stack import Stack, running_stack

FIXTURES = Path(__file__).parents[1] / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SITI = "3506124508900003"  # known to all four agencies in the small scenario
RIZKI = "3201011507880007"
LIMITED = "petugas.terbatas"  # an officer whose role reads no BPJS, consular or contact data
WORKER = "pekerja.siti"
WULAN = "3506125706940555"  # a worker whose findings ask things of her (wulan() below)
WORKER_WULAN = "pekerja.wulan"
PASSWORD = "console-test-password"
NAMESAKE = "Nur Hidayah"  # 24 people of one name: more than a page of results
NAMESAKES = 24
CITIES = {"HK": "Sha Tin", "MY": "Johor Bahru", "TW": "Taichung", "SA": "Jeddah"}
MISSION_OF = {"HK": "HKG", "MY": "KUL", "TW": "TPE", "SA": "RUH"}


def namesake(i: int) -> dict[str, object]:
    """One of NAMESAKES women named NAMESAKE: each born on another day, with her own passport,
    placement country, employer city and (for some) a mission report and BPJS membership."""
    born = date(1985 + i % 12, 1 + i % 12, 1 + i)
    nik = f"350612{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{i + 101:04d}"
    country = list(CITIES)[i % len(CITIES)]
    person: dict[str, object] = {
        "key": f"namesake-{i}",
        "nik": nik,
        "name": NAMESAKE,
        "birthDate": born.isoformat(),
        "sex": "FEMALE",
        "passports": [{"number": f"E{7000100 + i * 37:07d}", "expiresOn": "2033-05-01"}],
        "kemnaker": {"jobSeekerId": f"AK1-2024-{500 + i:06d}", "registeredOn": "2023-11-02"},
        "p2mi": {
            "pmiId": f"PMI-3506-2024-{7000 + i:07d}",
            "placements": [
                {
                    "placementId": f"PL-2024-{7000 + i:07d}",
                    "status": "WORKING",
                    "scheme": "PRIVATE_AGENCY",
                    "country": country,
                    "occupation": "Domestic worker",
                    "sector": "DOMESTIC",
                    "agencyLicense": "KEP.045/2021",
                    "employer": {
                        "name": f"Employer {i}",
                        "country": country,
                        "city": CITIES[country],
                    },
                    "contractStart": "2024-03-01",
                    "contractEnd": "2027-02-28",
                    "orientationCompleted": True,
                    "departedOn": "2024-03-01",
                }
            ],
        },
    }
    if i % 2 == 0:
        person["bpjs"] = {
            "kpj": f"2400{7000 + i:07d}",
            "coverages": [
                {"program": p, "phase": "PLACEMENT", "start": "2024-03-01", "end": "2027-03-31"}
                for p in ("JKK", "JKM")
            ],
        }
    if i % 3 != 2:
        person["embassy"] = {
            "recordId": f"{MISSION_OF[country]}-WNI-2024-{7000 + i:06d}",
            "passportKnown": f"E{7000100 + i * 37:07d}",
            "reports": [{"mission": MISSION_OF[country], "reportedOn": "2024-03-10"}],
            "endorsedContracts": [f"PL-2024-{7000 + i:07d}"],
        }
    return person


def wulan() -> dict[str, object]:
    """A caregiver in Taichung whose records ask things of her: her contract was extended to
    2028 in SISKOP2MI but not signed at the mission, her placement cover lapsed when the first
    term ended (October 2025) and her E-PMI card expired with it. The rules address actions
    to her (WORKER) as well as to the officer and the company; no one else has her name."""
    placement = "PL-2022-0007777"
    return {
        "key": "wulan",
        "nik": WULAN,
        "name": "Wulan Purnamasari",
        "birthDate": "1994-06-17",
        "sex": "FEMALE",
        "passports": [{"number": "C7707707", "expiresOn": "2033-08-01"}],
        "kemnaker": {"jobSeekerId": "AK1-2022-000777", "registeredOn": "2022-05-02"},
        "p2mi": {
            "pmiId": "PMI-3506-2022-0007777",
            "placements": [
                {
                    "placementId": placement,
                    "cardNumber": "EPMI-3506-0007777",
                    "cardExpiresOn": "2025-09-30",
                    "status": "WORKING",
                    "scheme": "PRIVATE_AGENCY",
                    "country": "TW",
                    "occupation": "Caregiver",
                    "sector": "CARE",
                    "agencyLicense": "KEP.045/2021",
                    "employer": {
                        "name": "Lin Mei-hua",
                        "country": "TW",
                        "city": "Taichung",
                        "kind": "HOUSEHOLD",
                    },
                    "agreementSignedOn": "2022-08-01",
                    "contractStart": "2022-10-01",
                    "contractEnd": "2025-09-30",
                    "extensions": [{"contractEnd": "2028-09-30"}],
                    "orientationCompleted": True,
                    "departedOn": "2022-10-01",
                }
            ],
        },
        "bpjs": {
            "kpj": "22007777001",
            "coverages": [
                {"program": p, "phase": "PLACEMENT", "start": "2022-10-01", "end": "2025-10-31"}
                for p in ("JKK", "JKM")
            ],
        },
        "embassy": {
            "recordId": "TPE-WNI-2022-007777",
            "passportKnown": "C7707707",
            "reports": [{"mission": "TPE", "reportedOn": "2022-10-12"}],
            "endorsedContracts": [placement],
        },
    }


@pytest.fixture(scope="package")
def console_scenario() -> Scenario:
    """The small scenario, NAMESAKES women of one name and Wulan (tests/fixtures)."""
    raw = json.loads((FIXTURES / "small_scenario.json").read_text())
    raw["people"] += [namesake(i) for i in range(NAMESAKES)]
    raw["people"].append(wulan())
    return parse_scenario(json.dumps(raw), "console scenario")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the console's browser tests need Debian's chromium: {reason}")
    pytest.skip(f"Debian's chromium is not available: {reason}")


def _install_chromium() -> str | None:
    """apt-get the chromium package (we are root on the test machines); the failure, if any."""
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"]
    for command in (install, ["apt-get", "update", "-q"], install):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode == 0 and command is install and CHROMIUM.exists():
            return None
    return f"apt-get install chromium failed: {done.stderr.strip()[-500:]}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        problem = _install_chromium()
        if problem is not None:
            _unavailable(problem)
    return CHROMIUM


@dataclass
class ConsoleStack:
    stack: Stack
    worker_ids: dict[str, str]

    @property
    def url(self) -> str:
        return f"{self.stack.hub_url}/console/"


@pytest.fixture(scope="package")
def console(
    console_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleStack]:
    with console_stack(console_scenario, tmp_path_factory) as running:
        yield running


@contextmanager
def console_stack(
    console_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleStack]:
    """The four sandboxes and the hub, its login page on, the console's redirect URI on the
    hub's real port, its census loop running; an officer with a narrower role and a worker
    user are added."""
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    # the census loop (crisis page): verdicts, alerts and cohorts, as the demo runs it
    extra = {"HUB_PUBLIC_URL": public, "HUB_AUTH_DEMO": "true", "HUB_CENSUS_SECONDS": "1"}
    directory = tmp_path_factory.mktemp("console")
    with running_stack(console_scenario, directory, extra_env=extra, hub_port=port) as stack:
        ids = {}
        for nik in (SITI, RIZKI, WULAN):
            body = stack.graphql("query($n: String!) { workerBy(nik: $n) { id } }", {"n": nik})
            ids[nik] = body.json()["data"]["workerBy"]["id"]
        engine = make_engine(stack.environ["HUB_DATABASE_URL"])
        try:
            common = {"password": PASSWORD, "replace": True}
            add_user(
                engine,
                username=LIMITED,
                display_name="Petugas (peran terbatas)",
                role="officer",
                mission="TPE",
                scopes=[
                    "worker.identity:read",
                    "placement:read",
                    "protection:read",
                    "case:read",
                    "case:write",
                    "emergency",
                ],
                **common,
            )
            add_user(
                engine,
                username=WORKER,
                display_name="Siti (pekerja)",
                role="worker",
                worker_id=ids[SITI],
                **common,
            )
            add_user(
                engine,
                username=WORKER_WULAN,
                display_name="Wulan (pekerja)",
                role="worker",
                worker_id=ids[WULAN],
                **common,
            )
        finally:
            engine.dispose()
        yield ConsoleStack(stack, ids)


@pytest.fixture(scope="module")
def browser(chromium: Path, console: ConsoleStack) -> Iterator[object]:
    """One per module, started after the stack: Playwright's sync API keeps an event loop
    current in this thread until it stops, which ``asyncio.run`` (the stack's set-up) and
    anyio tests (in other modules) cannot run beside."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


AXE = Path(__file__).parent / "axe"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser script, from the npm registry (pinned in tests/console/axe's lock
    file), installed once per lock file under .venv/. Without npm the accessibility tests skip
    locally and fail under CI=true."""
    if not shutil.which("npm"):
        _unavailable_tool("npm is not installed")
    lock = (AXE / "package-lock.json").read_bytes()
    folder = Path(__file__).parents[2] / ".venv" / f"axe-{hashlib.sha256(lock).hexdigest()[:12]}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(AXE / name, folder / name)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not script.is_file():
            _unavailable_tool(f"npm ci failed: {done.stderr.strip()[-500:]}")
    return script.read_text()


def _unavailable_tool(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the console's accessibility tests need axe-core: {reason}")
    pytest.skip(f"axe-core is not available: {reason}")
