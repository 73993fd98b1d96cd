"""The officer's console in a real browser: sign-in with PKCE, search, the worker page in its
order, keyboard-only use, a phone-sized screen, the language switch, break-glass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console._support import focus_lands_on, new_page, officer, open_worker, sign_in
from tests.console.conftest import LIMITED, SITI, ConsoleStack

pytestmark = pytest.mark.e2e

SECTION_ORDER = [
    "section-protection",
    "section-identity",
    "section-placements",
    "section-socialSecurity",
    "section-consular",
    "section-cases",
    "section-sources",
]


def test_sign_in_goes_through_the_login_page_and_leaves_no_code_or_token_in_the_url(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    sign_in(page, console, officer(console))
    assert page.url == console.url
    assert page.evaluate("location.search") == ""
    stored = page.evaluate("JSON.parse(sessionStorage.getItem('pmihub.console.session'))")
    assert stored["access"].count(".") == 2  # a JWT, kept in this tab's sessionStorage
    assert page.evaluate("sessionStorage.getItem('pmihub.console.pending')") is None
    assert page.evaluate("document.cookie") == ""
    assert page.script_errors == []
    page.context.close()


def test_a_callback_with_a_forged_state_signs_no_one_in(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    page.goto(f"{console.stack.hub_url}/console/callback?code=stolen&state=forged")
    page.wait_for_selector("#sign-in")
    assert "state_mismatch" in page.inner_text("main")
    assert page.evaluate("location.search") == ""
    assert page.evaluate("sessionStorage.getItem('pmihub.console.session')") is None
    page.context.close()


def test_the_worker_page_leads_with_the_verdict_then_each_section_in_order(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    sign_in(page, console, officer(console))
    open_worker(page, console, console.worker_ids[SITI])
    ids = page.eval_on_selector_all("main section.card", "els => els.map(e => e.id)")
    assert ids == SECTION_ORDER
    assert page.inner_text("#worker-name").lower() == "siti aminah"
    levels = {"Terlindungi", "Berisiko", "Tidak terlindungi", "Darurat", "Tidak diketahui"}
    assert page.inner_text("#verdict-level strong") in levels
    verdict = page.inner_text("#section-protection")
    assert "Fase" in verdict and ("Lengkap" in verdict or "Tidak lengkap" in verdict)
    identity = page.inner_text("#section-identity")
    assert SITI in identity and "Sahroni" in identity  # full NIK (scope held), next of kin
    placement = page.inner_text("#section-placements")
    assert "P3MI" in placement and "Pemberi kerja" in placement
    bpjs = page.inner_text("#section-socialSecurity")
    assert "24001234567" in bpjs and "klaim" in bpjs
    assert "KJRI Hong Kong" in page.inner_text("#section-consular")
    sources = page.inner_text("#section-sources")
    for agency in ("Kemnaker", "KP2MI", "BPJS Ketenagakerjaan", "Perwakilan RI"):
        assert agency in sources
    assert page.script_errors == []
    page.context.close()


def test_keyboard_alone_searches_and_opens_a_worker(browser: Any, console: ConsoleStack) -> None:
    page = new_page(browser)
    sign_in(page, console, officer(console))
    focus_lands_on(page, "search-input")
    page.keyboard.type(SITI)
    page.keyboard.press("Enter")
    page.wait_for_selector("#results a")
    assert "1" in page.inner_text("#search-status")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first result
    focused = page.evaluate("document.activeElement.dataset.workerId")
    assert focused == console.worker_ids[SITI]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_selector("#section-sources")
    focus_lands_on(page, "worker-name")
    # back to the search with the keyboard: the results are still there, arrows reach them
    page.keyboard.press("Tab")
    page.go_back()
    page.wait_for_selector("#results a")
    page.focus("#search-input")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.workerId") == focused
    page.context.close()


def test_a_phone_sized_screen_needs_no_horizontal_scrolling(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser, width=360, height=740)
    sign_in(page, console, officer(console))
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 360
    open_worker(page, console, console.worker_ids[SITI])
    page.click("#section-protection button[aria-controls=open-case]")
    assert page.evaluate(width) <= 360
    page.context.close()


def test_the_language_switch_changes_every_label_and_is_remembered(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    sign_in(page, console, officer(console))
    open_worker(page, console, console.worker_ids[SITI])
    assert page.evaluate("document.documentElement.lang") == "id"
    assert "Status pelindungan" in page.inner_text("#section-protection h3")
    finding_id = page.inner_text("#section-protection .findings")
    page.click("[data-lang=EN]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text("h1") == "PMI Hub Emergency Console"
    assert page.inner_text("#section-protection h3") == "Protection status"
    assert page.inner_text("#section-sources h3") == "Sources"
    assert page.inner_text("#section-protection .findings") != finding_id  # hub's own text
    page.reload()
    page.wait_for_selector("#section-sources")
    assert page.inner_text("h1") == "PMI Hub Emergency Console"
    page.click("[data-lang=ID]")
    assert page.inner_text("#section-protection h3") == "Status pelindungan"
    page.context.close()


def test_a_section_the_role_may_not_see_offers_break_glass_which_opens_it(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    sign_in(page, console, LIMITED)
    open_worker(page, console, console.worker_ids[SITI])
    bpjs = page.locator("#section-socialSecurity")
    assert "Tidak diizinkan untuk peran Anda" in bpjs.inner_text()
    assert "24001234567" not in bpjs.inner_text()
    bpjs.locator("button.danger").click()
    page.fill("#break-glass-reason", "x" * 24)  # long enough for the form, not for the hub
    page.click(".break-glass-form button[type=submit]")
    page.wait_for_selector(".break-glass-form .problem:not(:empty)")
    assert "alasan" in page.inner_text(".break-glass-form .problem").lower()
    page.fill("#break-glass-reason", "Pekerja ditahan polisi, keluarga perlu klaim segera")
    page.click(".break-glass-form button[type=submit]")
    page.wait_for_selector("#section-socialSecurity:not(.forbidden)")
    assert "24001234567" in page.inner_text("#section-socialSecurity")
    assert "Akses darurat dibuka" in page.inner_text("main")
    page.context.close()


def test_a_case_the_hub_refuses_shows_its_reason_and_adds_nothing(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser)
    sign_in(page, console, officer(console))
    open_worker(page, console, console.worker_ids[SITI])
    before = page.locator("#cases-list li").count()
    page.click("#section-protection button[aria-controls=open-case]")
    page.select_option("#case-kind", "OTHER")  # no such case open: no duplicate warning
    page.fill("#case-summary", "Pekerja tidak dapat dihubungi sejak seminggu")
    page.wait_for_selector("#case-mission option[value=HKG]", state="attached")
    page.eval_on_selector(  # a tampered form: the list offers only the hub's missions
        "#case-mission", "s => s.append(new Option('ZZZ', 'ZZZ'))"
    )
    page.select_option("#case-mission", "ZZZ")  # no such mission
    page.click("#open-case button[type=submit]")
    page.wait_for_selector("#open-case .problem:not(:empty)")
    assert "ZZZ" in page.inner_text("#open-case .problem")  # the hub's own words
    assert page.locator("#cases-list li").count() == before
    page.context.close()
