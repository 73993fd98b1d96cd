"""The emergency, end to end in two browsers: an officer signs in, finds a worker by a
misspelt name, opens their record and a case, and a second officer's console (already signed
in) shows the case at once. Then the worker's own page, and the screenshot for docs/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.console._support import new_page, officer, open_worker, shoot, sign_in
from tests.console.conftest import RIZKI, SITI, WORKER, ConsoleStack

pytestmark = pytest.mark.e2e


def test_search_a_misspelt_name_open_the_worker_open_a_case_seen_live_elsewhere(
    browser: Any, console: ConsoleStack
) -> None:
    watcher = new_page(browser)  # a second officer, on another machine, already signed in
    sign_in(watcher, console, officer(console))
    watcher.wait_for_selector("#live-status.on")
    page = new_page(browser)
    sign_in(page, console, officer(console))
    page.fill("#search-input", "Siti Aminnah")  # misspelt
    page.press("#search-input", "Enter")
    page.wait_for_selector("#results a")
    first = page.locator("#results a").first
    assert first.get_attribute("data-worker-id") == console.worker_ids[SITI]
    assert "Lahir 5 Agu 1990" in first.inner_text()  # the birth date, never the NIK
    assert "3506" not in first.inner_text()
    assert "%" in first.inner_text()
    first.click()
    page.wait_for_selector("#section-sources")
    page.wait_for_selector("#live-status.on")
    page.click("#section-protection button[aria-controls=open-case]")
    page.select_option("#case-kind", "DETENTION")
    page.select_option("#case-severity", "CRITICAL")
    page.fill("#case-summary", "Ditahan di kantor polisi Kowloon sejak pagi ini")
    page.click("#open-case button[type=submit]")
    opened = page.locator("#cases-list li", has_text="Ditahan di kantor polisi Kowloon")
    opened.wait_for()
    case_id = opened.get_attribute("data-case-id")
    assert case_id and "Penahanan" in opened.inner_text()
    # the other console, without reloading: the live feed and its announcement
    item = watcher.locator(f"#live-cases li[data-case-id='{case_id}']")
    item.wait_for()
    assert "Penahanan" in item.inner_text() and "Kritis" in item.inner_text()
    watcher.locator("#announcer", has_text="Kowloon").wait_for(state="attached")
    # and a watcher already on that worker's page sees it in the worker's own case list
    open_worker(watcher, console, console.worker_ids[SITI])
    page.click("#section-protection button[aria-controls=open-case]")
    page.select_option("#case-kind", "ILLNESS")
    page.fill("#case-summary", "Dirawat di rumah sakit Queen Elizabeth")
    page.click("#open-case button[type=submit]")
    watcher.locator("#cases-list", has_text="Queen Elizabeth").wait_for()
    assert watcher.evaluate("location.hash").startswith("#/worker/")  # no reload happened
    # the officer moves the detention on; the watcher's list follows without a reload
    page.select_option(f"#status-{case_id}", "IN_PROGRESS")
    page.fill(f"#note-{case_id}", "Pendamping hukum sudah ditunjuk")
    page.press(f"#note-{case_id}", "Enter")
    heading = f"#cases-list li[data-case-id='{case_id}'] > strong"  # kind · severity · status
    try:
        watcher.locator(heading, has_text="Sedang ditangani").wait_for()
        page.locator(heading, has_text="Sedang ditangani").wait_for()
    except Exception as exc:  # failed once in a full run, not reproduced: say what each showed
        shown = {p: p.inner_text("#cases-list") for p in (page, watcher)}
        live = watcher.inner_text("#live-status")
        raise AssertionError(
            f"officer: {shown[page]!r}; watcher: {shown[watcher]!r}, {live}"
        ) from exc
    assert page.locator(f"#status-{case_id} option").all_inner_texts() == ["Ditutup"]
    assert page.script_errors == [] and watcher.script_errors == []
    watcher.context.close()
    page.context.close()


def test_the_worker_sees_their_status_in_plain_words_and_who_looked(
    browser: Any, console: ConsoleStack
) -> None:
    siti = console.worker_ids[SITI]
    console.stack.graphql(  # an embassy system reads her record: it must show in her log
        "query($id: ID!) { worker(id: $id) { identity { fullName } } }", {"id": siti}
    )
    page = new_page(browser)
    sign_in(page, console, WORKER)
    page.wait_for_selector("#access-log")
    status = page.inner_text("#my-status")
    assert "Status pelindungan saya" in status
    levels = {"Terlindungi", "Berisiko", "Tidak terlindungi", "Darurat", "Tidak diketahui"}
    assert page.inner_text("#verdict-level strong") in levels
    assert page.locator("#my-status .plain").inner_text().strip()
    log = page.inner_text("#access-log")
    assert "Perwakilan RI (Kemlu)" in log and "Penanganan darurat" in log
    # nothing else: no search, no other worker, no case form, no live feed
    for absent in ("#search-input", "#open-case", "#live", "#section-identity", "#purpose"):
        assert page.locator(absent).count() == 0
    page.click("[data-lang=EN]")
    assert "My protection status" in page.inner_text("#my-status")
    assert "Indonesian missions (Kemlu)" in page.inner_text("#access-log")
    # her token cannot read anyone else, whatever the page is made to ask
    other = page.evaluate(
        """async (id) => {
            const token = JSON.parse(sessionStorage.getItem('pmihub.console.session')).access;
            const r = await fetch('/graphql', {method: 'POST', headers: {
                'content-type': 'application/json', authorization: 'Bearer ' + token},
                body: JSON.stringify({query: 'query($id: ID!) { worker(id: $id) { id } }',
                                      variables: {id}})});
            return await r.json();
        }""",
        console.worker_ids[RIZKI],
    )
    assert other["data"]["worker"] is None
    assert page.script_errors == []
    page.context.close()


def test_screenshot_of_the_whole_worker_page(
    browser: Any, console: ConsoleStack, tmp_path: Path
) -> None:
    """docs/console/worker-full-desk.png (replaced only with PMIHUB_UPDATE_SCREENSHOT=1)."""
    page = new_page(browser, width=1280, height=900)
    sign_in(page, console, officer(console))
    open_worker(page, console, console.worker_ids[SITI])
    page.wait_for_selector("#live-status.on")
    shoot(page, "worker-full-desk", tmp_path, full_page=True)
    page.context.close()
