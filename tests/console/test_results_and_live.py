"""Issue #21, points 1 to 3 in a real browser at 360x780 and 1280x800: results an officer can
choose from, a page that tells the truth live, and a phone-first layout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.console._support import (
    BROKEN_WORDS,
    VIEWPORTS,
    new_page,
    officer,
    open_worker,
    shoot,
    sign_in,
)
from tests.console.conftest import (
    CITIES,
    LIMITED,
    NAMESAKE,
    NAMESAKES,
    SITI,
    ConsoleStack,
    namesake,
)

pytestmark = pytest.mark.e2e

OPEN_CASE = """mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }"""
BY_NIK_LEVEL = """query($n: String!) { workerBy(nik: $n) { id protection { level } } }"""
RAW_ENUM = re.compile(r"\b[A-Z]{2,}_[A-Z_]{2,}\b")  # BPJS_KETENAGAKERJAAN, AT_RISK…


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_results_tell_people_of_one_name_apart_and_page_on(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    page.fill("#search-input", NAMESAKE.lower())
    page.press("#search-input", "Enter")
    page.wait_for_selector("#results a")
    rows = page.locator("#results a")
    assert rows.count() == 20
    # searching under the purpose shown chose it: one compact line from now on
    assert page.inner_text("#purpose-now") == "Penanganan darurat"
    assert page.locator("#purpose").count() == 0
    texts = rows.all_inner_texts()
    for text in texts:
        assert "Lahir" in text and "Paspor …" in text  # birth date, passport's last four
        assert "Tercatat di" in text and "Cocok karena: nama cocok" in text
        assert "****" not in text and not re.search(r"\d{16}", text)  # no NIK, masked or not
    born = [page.locator("#results a .born").nth(i).inner_text() for i in range(20)]
    assert len(set(born)) == 20  # same name, visibly different people
    passports = page.locator("#results a .passport").all_inner_texts()
    assert len(set(passports)) == 20
    assert page.locator("#results a .level-tag").count() == 20  # the level, colour and word
    assert page.locator("#results a .where").first.inner_text().count("·") == 1  # country · city
    assert page.inner_text("#same-name").startswith("20 orang bernama NUR HIDAYAH")
    shoot(page, f"search-{screen}", tmp_path)
    page.click("#more-results")
    page.wait_for_selector("#results li:nth-child(21) a")  # (wait_for_function evals: CSP)
    assert page.locator("#more-results").is_hidden()  # no further page
    whys = page.locator("#results a .why").all_inner_texts()
    assert whys.count("Cocok karena: nama cocok") == NAMESAKES  # and near spellings after them
    assert all(w == "Cocok karena: nama mirip" for w in whys[NAMESAKES:])
    # the first new result has the focus, for the keyboard
    assert page.evaluate("document.activeElement.dataset.workerId") == rows.nth(20).get_attribute(
        "data-worker-id"
    )
    assert len({rows.nth(i).get_attribute("data-worker-id") for i in range(NAMESAKES)}) == 24
    shoot(page, f"search-more-{screen}", tmp_path, full_page=True)
    assert page.script_errors == []
    page.context.close()


def calm_worker_in_hong_kong(console: ConsoleStack) -> str:
    """A namesake placed in Hong Kong whose verdict is not an emergency yet: the console tests
    share one stack, and others (the keyboard walk, the other screen) open cases for namesakes."""
    for i in range(0, NAMESAKES, len(CITIES)):  # every fourth namesake is in Hong Kong
        nik = namesake(i)["nik"]
        worker = console.stack.graphql(BY_NIK_LEVEL, {"n": nik}).json()["data"]["workerBy"]
        if worker["protection"]["level"] != "EMERGENCY":
            return str(worker["id"])
    raise AssertionError("every namesake in Hong Kong is already in an emergency")


def namesake_worker(console: ConsoleStack, i: int) -> str:
    body = console.stack.graphql(BY_NIK_LEVEL, {"n": namesake(i)["nik"]}).json()
    return str(body["data"]["workerBy"]["id"])


def open_case_elsewhere(console: ConsoleStack, case: dict[str, str]) -> str:
    """``openCase`` by another officer's system (not this page): the new case's id."""
    opened = console.stack.graphql(OPEN_CASE, {"input": case}).json()
    assert opened.get("data") and opened["data"]["openCase"], opened
    return str(opened["data"]["openCase"]["id"])


def watch_worker(page: Any, console: ConsoleStack, worker: str) -> None:
    """An officer signed in on ``page``, the purpose chosen once, on the worker's page, live."""
    sign_in(page, console, officer(console))
    page.click("#use-purpose")
    open_worker(page, console, worker)
    page.wait_for_selector("#live-status.on")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_verdict_follows_a_case_opened_elsewhere_without_a_reload(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    worker = calm_worker_in_hong_kong(console)
    page = new_page(browser, **VIEWPORTS[screen])
    watch_worker(page, console, worker)
    assert page.inner_text("#verdict-level strong") != "Darurat"
    url = page.url
    detention = {
        "workerId": worker,
        "kind": "DETENTION",
        "severity": "CRITICAL",
        "summary": "Ditahan polisi imigrasi sejak pagi",
        "missionCode": "HKG",
    }
    open_case_elsewhere(console, detention)
    page.locator("#verdict-level strong", has_text="Darurat").wait_for()
    page.locator("#cases-list", has_text="Ditahan polisi imigrasi").wait_for()
    page.locator("#announcer", has_text="Halaman diperbarui: Darurat").wait_for(state="attached")
    assert page.url == url  # no reload, no navigation
    assert "CRITICAL" not in page.inner_text("#section-protection")  # words, not codes
    assert not RAW_ENUM.search(page.inner_text("main"))
    shoot(page, f"worker-live-{screen}", tmp_path)
    assert page.script_errors == []
    page.context.close()


def test_a_note_being_typed_keeps_its_text_and_the_focus_when_the_page_follows_an_event(
    browser: Any, console: ConsoleStack
) -> None:
    # given a worker with a hub case, and an officer typing a note to move it on
    worker = namesake_worker(console, 1)
    first = {
        "workerId": worker,
        "kind": "OTHER",
        "severity": "LOW",
        "summary": "Keluarga minta informasi kontrak",
    }
    case = open_case_elsewhere(console, first)
    page = new_page(browser)
    watch_worker(page, console, worker)
    note = page.locator(f"#note-{case}")
    note.click()
    page.keyboard.type("Sudah ditelep")
    # when another officer opens a case for the same worker (the page redraws its sections)
    open_case_elsewhere(console, {**first, "summary": "Majikan menahan paspor"})
    page.locator("#cases-list", has_text="Majikan menahan paspor").wait_for()
    page.locator("#announcer", has_text="Majikan menahan paspor").wait_for(state="attached")
    # then the officer goes on typing where they were, without clicking again
    page.keyboard.type("on")
    assert page.evaluate("document.activeElement.id") == f"note-{case}"
    assert note.input_value() == "Sudah ditelepon"
    assert page.script_errors == []
    page.context.close()


def test_the_worker_page_catches_up_when_its_live_connection_comes_back(
    browser: Any, console: ConsoleStack
) -> None:
    worker = namesake_worker(console, 2)
    page = new_page(browser)
    sockets: list[Any] = []
    down = False

    def route(socket: Any) -> None:  # while "down", a socket opens but the hub never answers
        if not down:
            socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket("**/graphql", route)
    watch_worker(page, console, worker)
    # given the live connection is lost (a train's tunnel, a proxy's restart)
    down = True
    sockets[-1].close()
    page.wait_for_selector("#live-status.off")
    # when another officer opens a case for the worker meanwhile: no event can reach the page
    case = {
        "workerId": worker,
        "kind": "ABUSE",
        "severity": "HIGH",
        "summary": "Dipukul majikan, minta dijemput",
    }
    open_case_elsewhere(console, case)
    # and the connection comes back
    down = False
    sockets[-1].close()  # the unanswered socket: the console tries again, and gets through
    page.wait_for_selector("#live-status.on")
    # then the page reads the worker again and shows the case, without a reload
    page.locator("#cases-list", has_text="Dipukul majikan").wait_for()
    assert page.script_errors == []
    page.context.close()


def test_on_a_phone_the_verdict_and_actions_are_on_the_first_screen(
    browser: Any, console: ConsoleStack, tmp_path: Path
) -> None:
    page = new_page(browser, **VIEWPORTS["phone"])
    sign_in(page, console, officer(console))
    # the purpose is asked once: chosen, it is a single line
    page.wait_for_selector("#purpose")
    page.select_option("#purpose", "CASE_HANDLING")
    page.click("#use-purpose")
    assert page.inner_text("#purpose-now") == "Penanganan kasus"
    open_worker(page, console, console.worker_ids[SITI])
    assert page.locator("#purpose").count() == 0
    assert page.evaluate("window.scrollY") == 0
    for selector in ("#verdict-level", "#completeness", "[aria-controls=open-case]", "#print"):
        bottom = page.evaluate(
            f"document.querySelector('{selector}').getBoundingClientRect().bottom"
        )
        assert bottom <= 780, (selector, bottom)
    # tables are label/value lists: the heading row is hidden, each cell says what it is
    assert page.evaluate("getComputedStyle(document.querySelector('#coverages thead')).position")
    label = page.evaluate(
        "getComputedStyle(document.querySelector('#coverages td'), '::before').content"
    )
    assert label == '"Program"'
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(BROKEN_WORDS) == []
    breaking = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => "
        "getComputedStyle(e).wordBreak === 'break-all').length"
    )
    assert breaking == 0
    shoot(page, "worker-phone", tmp_path)
    # the live panel is one tap away from the header
    page.click("#live-jump")
    assert page.evaluate("document.activeElement.id") == "live-h"
    assert page.evaluate("document.querySelector('#live-h').getBoundingClientRect().top") < 780
    # the purpose stays chosen for the session, and can be changed
    page.reload()
    page.wait_for_selector("#section-sources")
    assert page.inner_text("#purpose-now") == "Penanganan kasus"
    page.click("#change-purpose")
    assert page.evaluate("document.activeElement.id") == "purpose"
    assert page.script_errors == []
    page.context.close()


def test_on_a_desk_the_worker_page_keeps_its_order_and_words(
    browser: Any, console: ConsoleStack, tmp_path: Path
) -> None:
    page = new_page(browser, **VIEWPORTS["desk"])
    sign_in(page, console, officer(console))
    page.click("#use-purpose")  # the purpose, chosen once
    open_worker(page, console, console.worker_ids[SITI])
    text = page.inner_text("main")
    assert not RAW_ENUM.search(text), RAW_ENUM.findall(text)
    assert "Masa kepesertaan" in page.inner_text("#coverages thead")  # not "Kontrak"
    assert "Hong Kong" in page.inner_text("#section-placements")  # a country, not "HK"
    for selector in ("#verdict-level", "[aria-controls=open-case]", "#print", "#live-h"):
        bottom = page.evaluate(
            f"document.querySelector('{selector}').getBoundingClientRect().bottom"
        )
        assert bottom <= 800, (selector, bottom)
    assert page.evaluate(BROKEN_WORDS) == []
    shoot(page, "worker-desk", tmp_path)
    assert page.script_errors == []
    page.context.close()


def test_a_narrower_role_asks_only_what_it_reads_and_still_tells_people_apart(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser, **VIEWPORTS["phone"])
    sign_in(page, console, LIMITED)  # no consular, social security or contact scopes
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if "graphql" in r.url else None)
    page.fill("#search-input", NAMESAKE)
    page.press("#search-input", "Enter")
    page.wait_for_selector("#results a")
    assert page.locator("#results a").count() == 20
    assert page.inner_text("#search-status") == "20 hasil"  # no refusal for any row
    assert page.locator("#results a .mission").count() == 0
    assert page.locator("#results a .level-tag").count() == 20
    assert page.locator("#results a .born").count() == 20
    search = next(body for body in sent if "ConsoleSearch" in body)
    assert "consular" not in search and "placements" in search
    assert page.script_errors == []
    page.context.close()
