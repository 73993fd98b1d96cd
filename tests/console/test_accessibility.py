"""Issue #21, point 6 (and #18's crisis page): every page checked by axe-core (pinned, from
npm) at 360x780 and 1280x800 with no serious or critical violation, and the emergency done by
keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console._support import (
    VIEWPORTS,
    axe_violations,
    focus_lands_on,
    new_page,
    officer,
    open_worker,
    sign_in,
)
from tests.console.conftest import LIMITED, SITI, WORKER, ConsoleStack

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_no_serious_violation_on_any_page(
    browser: Any, console: ConsoleStack, axe_source: str, screen: str
) -> None:
    seen: dict[str, list[dict[str, Any]]] = {}
    page = new_page(browser, **VIEWPORTS[screen])
    page.goto(console.url)
    page.wait_for_selector("#sign-in")
    seen["sign-in"] = axe_violations(page, axe_source)
    sign_in(page, console, officer(console))
    seen["search, purpose asked"] = axe_violations(page, axe_source)
    page.click("#use-purpose")
    page.fill("#search-input", "nur hidayah")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#more-results:not([hidden])")
    seen["results"] = axe_violations(page, axe_source)
    open_worker(page, console, console.worker_ids[SITI])
    page.wait_for_selector("#live-status.on")
    seen["worker"] = axe_violations(page, axe_source)
    page.click("[aria-controls=open-case]")
    page.select_option("#case-kind", "WAGE_DISPUTE")  # Siti has an open one: the warning
    page.wait_for_selector("#case-duplicate-confirm")
    seen["open-case form, duplicate warning"] = axe_violations(page, axe_source)
    page.emulate_media(media="print")
    seen["print view"] = axe_violations(page, axe_source)
    page.emulate_media(media="screen")
    page.click("#pages a[href='#/crisis']")
    page.wait_for_selector("#crisis-mission option[value=HKG]", state="attached")
    page.select_option("#crisis-mission", "HKG")
    page.click("#crisis-show")
    page.wait_for_selector("#crisis-list > li")
    page.wait_for_selector("#alerts-list")
    seen["crisis page, alerts beside it"] = axe_violations(page, axe_source)
    page.context.close()
    limited = new_page(browser, **VIEWPORTS[screen])
    sign_in(limited, console, LIMITED)
    open_worker(limited, console, console.worker_ids[SITI])
    limited.locator("#section-socialSecurity button.danger").click()
    seen["break-glass form"] = axe_violations(limited, axe_source)
    limited.context.close()
    worker = new_page(browser, **VIEWPORTS[screen])
    sign_in(worker, console, WORKER)
    worker.wait_for_selector("#access-log")
    seen["worker's own page"] = axe_violations(worker, axe_source)
    worker.context.close()
    assert {name: found for name, found in seen.items() if found} == {}


def test_axe_finds_what_it_should_on_a_broken_page(
    browser: Any, console: ConsoleStack, axe_source: str
) -> None:
    """The check can fail: an unlabelled field is reported as serious or critical."""
    page = new_page(browser, **VIEWPORTS["desk"])
    page.goto(console.url)
    page.wait_for_selector("#sign-in")
    page.evaluate(
        """() => {
            const input = document.createElement('input');
            document.querySelector('main').append(input);
        }"""
    )
    found = {v["id"] for v in axe_violations(page, axe_source)}
    assert "label" in found
    page.context.close()


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_keyboard_alone_chooses_the_purpose_finds_opens_and_files_a_case(
    browser: Any, console: ConsoleStack, screen: str
) -> None:
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    focused = "document.activeElement.id"
    focus_lands_on(page, "search-input")
    page.keyboard.press("Shift+Tab")  # back to the purpose: chosen with the keyboard
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "purpose"
    page.keyboard.press("ArrowDown")  # the next purpose
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "use-purpose"
    page.keyboard.press("Enter")
    assert page.inner_text("#purpose-now") == "Penanganan kasus"
    assert page.evaluate(focused) == "change-purpose"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "search-input"
    page.keyboard.type("nur hidayah")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results a")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.dataset.workerId")
    assert second == page.locator("#results a").nth(1).get_attribute("data-worker-id")
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "more-results"
    page.keyboard.press("Enter")
    page.wait_for_selector("#results li:nth-child(21) a")
    page.keyboard.press("Enter")  # the first new result has the focus: open it
    page.wait_for_selector("#section-sources")
    focus_lands_on(page, "worker-name")
    for _ in range(3):  # back, open a case, print: the actions are the next stops
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-controls')") == "open-case":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "open-case"
    page.keyboard.press("Enter")
    assert page.evaluate(focused) == "case-kind"
    for _ in range(4):  # past the severity (and a duplicate warning's checkbox: Space ticks)
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "case-duplicate-confirm":
            page.keyboard.press("Space")
        if page.evaluate(focused) == "case-summary":
            break
    assert page.evaluate(focused) == "case-summary"
    page.keyboard.type("Majikan melaporkan pekerja sakit keras di rumah")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # submit
    page.locator("#cases-list", has_text="Majikan melaporkan").wait_for()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none" or page.evaluate(focused) == ""
    # the live panel from the header, by keyboard
    page.focus("#live-jump")
    page.keyboard.press("Enter")
    assert page.evaluate(focused) == "live-h"
    assert page.script_errors == []
    page.context.close()
