"""Issue #21, point 5 at 360x780 and 1280x800: a duplicate-case warning, missions chosen from
the hub's list, the right column headings, and a print view of a worker's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.console._support import (
    VIEWPORTS,
    new_page,
    officer,
    open_case_form,
    open_worker,
    shoot,
    sign_in,
)
from tests.console.conftest import ConsoleStack

pytestmark = pytest.mark.e2e

BY_NIK = """query($n: String!) { workerBy(nik: $n) { id } }"""


def namesake(console: ConsoleStack, nik: str) -> str:
    return str(console.stack.graphql(BY_NIK, {"n": nik}).json()["data"]["workerBy"]["id"])


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_a_second_open_case_of_one_kind_asks_first_and_missions_come_from_a_list(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    nik = "3506124808920108" if screen == "phone" else "3506124404880104"  # in Saudi Arabia
    worker = namesake(console, nik)
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    page.click("#use-purpose")  # the purpose, chosen once
    open_worker(page, console, worker)
    open_case_form(page)
    page.wait_for_selector("#case-mission option[value=RUH]", state="attached")
    assert page.eval_on_selector("#case-mission", "s => s.value") == "RUH"  # her mission
    names = page.locator("#case-mission option").all_inner_texts()
    assert "KJRI Hong Kong (HKG)" in names and len(names) > 20
    page.select_option("#case-kind", "TRAFFICKING")  # no such case open for her
    assert page.locator("#case-duplicate").is_hidden()
    page.select_option("#case-kind", "MISSING")
    page.fill("#case-summary", "Tidak dapat dihubungi keluarga sejak dua minggu")
    page.click("#open-case button[type=submit]")
    page.locator("#cases-list", has_text="Tidak dapat dihubungi keluarga").wait_for()
    # the same kind again: a warning, and nothing is opened until the officer confirms
    open_case_form(page)
    page.select_option("#case-kind", "MISSING")
    warning = page.locator("#case-duplicate")
    assert warning.is_visible() and "Hilang" in warning.inner_text()
    before = page.locator("#cases-list li").count()
    page.fill("#case-summary", "Laporan kedua dari majikan tentang hal yang sama")
    page.click("#open-case button[type=submit]")
    assert (
        page.evaluate("document.querySelector('#case-duplicate-confirm').validity.valid") is False
    )
    assert page.locator("#cases-list li").count() == before
    shoot(page, f"case-duplicate-{screen}", tmp_path)
    page.check("#case-duplicate-confirm")
    page.click("#open-case button[type=submit]")
    page.locator("#cases-list", has_text="Laporan kedua dari majikan").wait_for()
    assert page.locator("#cases-list li").count() == before + 1
    # another kind: no warning
    open_case_form(page)
    page.select_option("#case-kind", "ILLNESS")
    assert warning.is_hidden()
    assert page.script_errors == []
    page.context.close()


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_print_view_is_the_worker_page_for_a_case_file(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    worker = namesake(console, "3506124303870103")  # in Taiwan, a BPJS member
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    open_worker(page, console, worker)
    assert "Masa kepesertaan" in page.inner_text("#coverages thead")  # BPJS, not "Kontrak"
    assert "Masa kontrak" in page.inner_text("#section-placements")
    page.evaluate("window.print = () => { window.printed = true; }")  # no dialog headless
    page.click("#print")
    assert page.evaluate("window.printed") is True
    meta = page.inner_text("#print-meta") if page.locator("#print-meta").is_visible() else ""
    assert meta == ""  # shown only on paper
    page.emulate_media(media="print")
    meta = page.inner_text("#print-meta")
    assert "Dicetak" in meta and officer(console) in meta and "Penanganan darurat" in meta
    for hidden in ("header.top", "#live", "#print", "[aria-controls=open-case]", ".purpose"):
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in ("#section-protection", "#section-identity", "#section-sources"):
        assert page.locator(shown).is_visible(), shown
    shoot(page, f"print-{screen}", tmp_path, full_page=True)
    page.emulate_media(media="screen")
    assert page.locator("header.top").is_visible()
    assert page.script_errors == []
    page.context.close()
