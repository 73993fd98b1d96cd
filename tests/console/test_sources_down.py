"""Issue #21, point 2 with BPJS Ketenagakerjaan down (a stack of its own: the fault and the
hub's breaker must not reach the other console tests): "complete" only when every source the
verdict needed answered, the page never claims that every source answered when one did not,
agencies are named in words, and "try again" brings the page back to the truth."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schema.scenario import Scenario
from tests.console._support import VIEWPORTS, new_page, officer, open_worker, shoot, sign_in
from tests.console.conftest import RIZKI, SITI, ConsoleStack, console_stack

pytestmark = pytest.mark.e2e

EVERY_SOURCE = "semua sumber menjawab"
RAW_ENUM = re.compile(r"\b[A-Z]{2,}_[A-Z_]{2,}\b")


@pytest.fixture(scope="module")
def console(
    console_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleStack]:
    with console_stack(console_scenario, tmp_path_factory) as running:
        yield running


def bpjs(console: ConsoleStack, down: bool) -> None:
    with console.stack.sandbox("bpjs") as sandbox:
        sandbox.post("/_sandbox/faults", json={"down": down}).raise_for_status()


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_with_bpjs_down_the_page_claims_no_completeness_it_lacks(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    page.click("#use-purpose")  # the purpose, chosen once
    bpjs(console, down=True)
    try:
        # working abroad: the verdict needs BPJS, so it is incomplete and says who is missing
        open_worker(page, console, console.worker_ids[SITI])
        completeness = page.inner_text("#completeness")
        assert completeness.startswith("Tidak lengkap: BPJS Ketenagakerjaan tidak menjawab")
        assert page.inner_text("#verdict-level strong") != "Terlindungi"
        section = page.inner_text("#section-socialSecurity")
        assert "BPJS Ketenagakerjaan" in section and "tidak tersedia" in section
        assert "Tidak tersedia" in page.inner_text("#section-sources")
        assert not RAW_ENUM.search(page.inner_text("main")), RAW_ENUM.findall(
            page.inner_text("main")
        )
        shoot(page, f"bpjs-down-{screen}", tmp_path)
        # home for good: the verdict needs no BPJS and is complete, but the page does not
        # say that every source answered
        open_worker(page, console, console.worker_ids[RIZKI])
        completeness = page.inner_text("#completeness")
        assert EVERY_SOURCE not in completeness
        assert "BPJS Ketenagakerjaan tidak menjawab" in completeness
        assert not RAW_ENUM.search(page.inner_text("main"))
    finally:
        bpjs(console, down=False)
    # BPJS is back: "try again" reads the worker again, in place
    page.click("#retry")
    page.locator("#completeness", has_text=EVERY_SOURCE).wait_for()
    assert "BPJS Ketenagakerjaan" in page.inner_text("#section-socialSecurity h3")
    assert page.locator("#section-socialSecurity .problem").count() == 0
    assert page.script_errors == []
    page.context.close()
