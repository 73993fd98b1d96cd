"""Issue #18, point 4: the crisis page in a real browser at 360x780 and 1280x800.

The console stack runs the hub's census loop (conftest.py), so the page lists what
Query.cohort answers; the counts are checked against the census table itself, a mark against
the contact marks stored (and no case opened) after a reload, and an alert is raised by a
change at BPJS (a cover ended) picked up by a sync, as ``pmihub sync`` would.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from hub.census.run import CENSUS, PENDING
from hub.census.tables import ContactMarkRow
from hub.crosswalk import Pseudonymizer
from hub.runtime import hub_services
from hub.settings import Settings
from hub.storage import make_engine
from hub.sync import sync_all
from schema.clock import today
from tests.console._support import (
    BROKEN_WORDS,
    VIEWPORTS,
    focus_lands_on,
    new_page,
    officer,
    shoot,
    sign_in,
)
from tests.console.conftest import LIMITED, ConsoleStack, namesake
from tests.eventually import eventually

pytestmark = pytest.mark.e2e

URGENCY = ["EMERGENCY", "UNPROTECTED", "UNKNOWN", "AT_RISK", "PROTECTED"]
MISSION = "HKG"  # the demo officer's mission: its cohorts and alerts only
CASES = "query($i: ID!) { worker(id: $i) { cases { id } } }"
MARK = ContactMarkRow.__table__  # type: ignore[attr-defined]
ALERTS = "query { protectionAlerts(first: 50) { id workerId acknowledgedAt } }"


def census(console: ConsoleStack) -> list[Any]:
    """The census rows once the hub's loop has taken every marked worker."""
    engine = make_engine(console.stack.environ["HUB_DATABASE_URL"])
    try:
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                pending = connection.execute(select(func.count()).select_from(PENDING)).scalar()
                rows = list(connection.execute(select(CENSUS)).all())
            if rows and not pending:
                return rows
            assert time.monotonic() < deadline, "the census did not run"
            time.sleep(0.1)
    finally:
        engine.dispose()


def contact_marks(console: ConsoleStack, worker_id: str) -> list[Any]:
    engine = make_engine(console.stack.environ["HUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            query = select(MARK).where(MARK.c.worker_id == worker_id).order_by(MARK.c.id)
            return list(connection.execute(query))
    finally:
        engine.dispose()


def show(page: Any, console: ConsoleStack, fill: dict[str, str]) -> None:
    page.goto(f"{console.url}#/crisis")
    page.wait_for_selector("#crisis-filter")
    page.wait_for_selector(f"#crisis-mission option[value={MISSION}]", state="attached")
    for selector, value in fill.items():
        if selector.startswith("#crisis-level"):
            page.check(selector)
        elif page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("#crisis-show")
    page.wait_for_selector("#crisis-counts")


def shown_counts(page: Any) -> dict[str, int]:
    return {
        level: int(page.inner_text(f"#crisis-counts li[data-level={level}] .count"))
        for level in URGENCY
    }


FILTERS = {  # per screen: a filter, and which census rows it means (the officer is HKG's)
    "phone": ({"#crisis-mission": MISSION}, lambda r: r.mission_code == MISSION),
    "desk": (
        {"#crisis-country": "HK", "#crisis-city": "sha TIN"},
        lambda r: (
            r.mission_code == MISSION and r.country == "HK" and "sha tin" in (r.city, r.region)
        ),
    ),
}


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_counts_by_level_the_list_a_mark_that_survives_a_reload_and_the_export(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    fill, chosen = FILTERS[screen]
    expected = Counter(r.level for r in census(console) if chosen(r))
    assert sum(expected.values()) >= 2, expected  # enough people to mean something
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, officer(console))
    page.click("#pages a[href='#/crisis']")
    focus_lands_on(page, "crisis-h")
    show(page, console, fill)
    assert shown_counts(page) == {level: expected.get(level, 0) for level in URGENCY}
    people = page.locator("#crisis-list > li")
    total = sum(expected.values())
    assert people.count() == min(total, 20)
    levels = [people.nth(i).get_attribute("data-level") for i in range(people.count())]
    assert [URGENCY.index(v) for v in levels] == sorted(URGENCY.index(v) for v in levels)
    if screen == "phone":  # Siti (HKG) has a phone and a next of kin: tel: links
        assert page.locator("#crisis-list .reach a[href^='tel:']").count() >= 1
        assert page.locator("#crisis-list .kin a[href^='tel:']").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]
    assert page.evaluate(BROKEN_WORDS) == []
    # mark the last person reached: a contact mark of its own, not a case (the last: Siti,
    # first in HKG's list, is the partner test's worker, whose case list it reads)
    last = people.nth(people.count() - 1)
    worker = last.get_attribute("data-worker-id")
    cases = console.stack.graphql(CASES, {"i": worker}).json()["data"]["worker"]["cases"]
    before = len(contact_marks(console, worker))  # the other screen's run may have marked her
    last.locator("button[data-mark=REACHED]").click()
    page.locator(f"li[data-worker-id='{worker}'] .mark", has_text="Berhasil dihubungi").wait_for()
    # (the label may be the other screen's mark: the new one is known once the hub holds it)
    eventually(lambda: len(contact_marks(console, worker)) > before)
    marks = contact_marks(console, worker)
    assert len(marks) == before + 1 and marks[-1].reached is True
    assert console.stack.graphql(CASES, {"i": worker}).json()["data"]["worker"]["cases"] == cases
    page.reload()  # the filter is kept for this tab; the list is read again
    page.wait_for_selector("#crisis-counts")
    again = page.locator(f"li[data-worker-id='{worker}']")
    assert again.locator(".mark").inner_text().startswith("Berhasil dihubungi")
    assert again.locator("button[data-mark=REACHED]").get_attribute("aria-pressed") == "true"
    shoot(page, f"crisis-{screen}", tmp_path, full_page=screen == "desk")
    # the export is what the page shows, in its order
    with page.expect_download() as download:
        page.click("#crisis-export")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["worker_id"] for r in rows] == [
        people.nth(i).get_attribute("data-worker-id") for i in range(people.count())
    ]
    assert rows[-1]["mark"] == "Berhasil dihubungi"
    assert page.script_errors == []
    page.context.close()


COHORT_ORDER = """query($f: CohortFilter!) { cohort(filter: $f, first: 200) {
  totalCount edges { node { id } } } }"""
SMALL_PAGE = 2


def smaller_pages(route: Any) -> None:
    """The page's own cohort reads, asked in pages of SMALL_PAGE instead of 20: the console
    stack holds fewer than 20 people of one mission, and the paging is the same code."""
    body = route.request.post_data_json
    if isinstance(body, dict) and "ConsoleCohort" in body.get("query", ""):
        body["variables"]["first"] = SMALL_PAGE
        route.continue_(post_data=json.dumps(body))
    else:
        route.continue_()


def test_more_pages_through_the_whole_cohort_in_urgency_order(
    browser: Any, console: ConsoleStack
) -> None:
    expected = [r for r in census(console) if r.mission_code == MISSION]
    assert len(expected) > 2 * SMALL_PAGE, len(expected)  # three pages at least
    answer = console.stack.graphql(COHORT_ORDER, {"f": {"missionCode": MISSION}}).json()
    order = [e["node"]["id"] for e in answer["data"]["cohort"]["edges"]]
    assert sorted(order) == sorted(r.worker_id for r in expected)
    page = new_page(browser, **VIEWPORTS["phone"])
    sign_in(page, console, officer(console))
    page.route("**/graphql", smaller_pages)
    show(page, console, {"#crisis-mission": MISSION})
    people = page.locator("#crisis-list > li")
    assert people.count() == SMALL_PAGE
    levels = Counter(r.level for r in expected)
    assert shown_counts(page) == {level: levels.get(level, 0) for level in URGENCY}
    pages = 1
    while page.locator("#crisis-more").count():
        before = people.count()
        page.click("#crisis-more")
        people.nth(before).wait_for()  # the next page's first person
        pages += 1
        shown = people.count()
        assert shown == min(before + SMALL_PAGE, len(order))
        assert page.inner_text("#crisis-shown").startswith(f"Tampil {shown} dari {len(order)}")
        # the focus moves to the first person of the new page, not back to the top
        focused = page.evaluate("document.activeElement.closest('li')?.dataset.workerId")
        assert focused == people.nth(before).get_attribute("data-worker-id")
    listed = [people.nth(i).get_attribute("data-worker-id") for i in range(people.count())]
    assert listed == order  # every person once, in the API's urgency order, across the pages
    assert pages == -(-len(order) // SMALL_PAGE)
    with page.expect_download() as download:  # the export holds every page loaded
        page.click("#crisis-export")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert [r["worker_id"] for r in csv.DictReader(io.StringIO(text))] == order
    assert page.script_errors == []
    page.context.close()


def end_cover(console: ConsoleStack) -> str:
    """Namesake 0 (Hong Kong, BPJS member, reported at HKG): her cover ended three days ago at
    BPJS, then one sync pass. Returns her worker id."""
    person = namesake(0)
    ended = (today() - timedelta(days=3)).isoformat()  # the hub's day (HUB_TODAY in tests)
    for coverage in person["bpjs"]["coverages"]:  # type: ignore[index]
        coverage["end"] = ended
    person["bpjs"] = [person["bpjs"]]
    with console.stack.sandbox("bpjs") as bpjs:
        answer = bpjs.post("/_sandbox/people", json=person)
        assert answer.status_code == 200, answer.text

    async def sync() -> None:
        settings = Settings.from_environ(console.stack.environ)
        async with hub_services(settings) as (engine, connectors):
            report = await sync_all(engine, Pseudonymizer(settings.pseudonym_key), connectors)
            assert report.ok, report

    with ThreadPoolExecutor(1) as pool:  # Playwright keeps an event loop in this thread
        pool.submit(asyncio.run, sync()).result(timeout=120)
    body = console.stack.graphql(
        "query($n: String!) { workerBy(nik: $n) { id } }", {"n": person["nik"]}
    ).json()
    return str(body["data"]["workerBy"]["id"])


def test_an_alert_raised_at_an_agency_reaches_the_page_and_is_acknowledged(
    browser: Any, console: ConsoleStack, tmp_path: Path
) -> None:
    census(console)
    page = new_page(browser, **VIEWPORTS["desk"])
    sign_in(page, console, officer(console))
    page.goto(f"{console.url}#/crisis")
    # a purpose other than EMERGENCY or CASE_HANDLING: refused politely, then chosen again
    page.select_option("#purpose", "CLAIM_PROCESSING")
    page.click("#use-purpose")
    assert "penanganan darurat" in page.inner_text("#crisis-refused")
    page.click("#change-purpose")
    page.select_option("#purpose", "EMERGENCY")
    page.click("#use-purpose")
    page.wait_for_selector("#crisis-filter")
    page.wait_for_selector("#alerts-list")
    assert page.locator("#live").is_hidden()  # the alerts beside the list, not the case feed
    box = page.locator("#alerts").bounding_box()
    assert box is not None and box["x"] > 640  # beside, not below
    worker = end_cover(console)
    item = page.locator(f"#alerts-list li:has(a[href='#/worker/{worker}'])")
    item.wait_for(timeout=60_000)
    assert "Terlindungi →" in item.inner_text()  # the level before, and the new one
    assert item.locator(".codes code").count() >= 1  # the new finding codes
    item.locator("input[name=note]").fill("Ditelepon; BPJS diperpanjang minggu ini")
    item.locator("button[type=submit]").click()
    item.locator(".acknowledged").wait_for()
    listed = console.stack.graphql(ALERTS).json()["data"]["protectionAlerts"]
    mine = [a for a in listed if a["workerId"] == worker]
    assert len(mine) == 1 and mine[0]["acknowledgedAt"]  # one alert per change, acknowledged
    shoot(page, "crisis-alert-desk", tmp_path)
    page.click("#live-jump")  # the header's jump goes to the alerts on this page
    assert page.evaluate("document.activeElement.id") == "alerts-h"
    page.click("[data-lang=EN]")
    assert page.inner_text("#alerts-h") == "Protection alerts"
    assert "Acknowledged" in item.inner_text()
    page.click("[data-lang=ID]")
    assert page.script_errors == []
    page.context.close()


def test_an_officer_without_cohort_read_sees_no_crisis_page(
    browser: Any, console: ConsoleStack
) -> None:
    page = new_page(browser, **VIEWPORTS["phone"])
    sign_in(page, console, LIMITED)
    assert page.locator("#pages").count() == 0
    assert page.locator("a[href='#/crisis']").count() == 0
    page.goto(f"{console.url}#/crisis")  # typed in: the search, not the crisis page
    page.wait_for_selector("#search-input")
    assert page.locator("#crisis-filter").count() == 0
    assert page.script_errors == []
    page.context.close()
