"""Issue #21, point 4: the worker's own page in plain words, at 360x780 and 1280x800: their
status, what they should do (never an officer's instruction), the numbers to call, who looked
at their data (their own reads as "you"), and no case details. Issue #17: what to do is the
rules' own actions addressed to the worker (``actionsFor(party: WORKER)``), and only those."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.console._support import BROKEN_WORDS, VIEWPORTS, new_page, shoot, sign_in
from tests.console.conftest import SITI, WORKER, WORKER_WULAN, WULAN, ConsoleStack

pytestmark = pytest.mark.e2e

FINDINGS = """query($id: ID!) { worker(id: $id) { protection { findings {
  code action(lang: ID) actionEn: action(lang: EN) } } } }"""
PARTIES = ("WORKER", "OFFICER", "P3MI", "BPJS")
ACTIONS = " ".join(
    f"{p}: actionsFor(party: {p}, lang: ID) {p}En: actionsFor(party: {p}, lang: EN)"
    for p in PARTIES
)
EVERY_PARTY = (
    f"query($id: ID!) {{ worker(id: $id) {{ protection {{ findings {{ code {ACTIONS} }} }} }} }}"
)
OFFICERS_WORDS = ("Tindak lanjuti", "Informasikan", "Minta atase", "kepada pekerja", "Tindakan:")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_worker_reads_status_advice_numbers_and_who_looked(
    browser: Any, console: ConsoleStack, screen: str, tmp_path: Path
) -> None:
    siti = console.worker_ids[SITI]
    # an officer's system reads her record (it must show in her log, by its agency's name)
    console.stack.graphql(
        "query($id: ID!) { worker(id: $id) { identity { fullName } } }", {"id": siti}
    )
    officers = console.stack.graphql(FINDINGS, {"id": siti}).json()["data"]["worker"]
    actions = [f["action"] for f in officers["protection"]["findings"] if f["action"]]
    assert actions  # the officers' instructions exist; the worker must not see them
    page = new_page(browser, **VIEWPORTS[screen])
    sign_in(page, console, WORKER)
    page.wait_for_selector("#access-log")
    page.reload()  # her first read is recorded as the page is answered: now it is in the log
    page.wait_for_selector("#access-log")
    text = page.inner_text("main")
    assert page.inner_text("#verdict-level strong") in {
        "Terlindungi",
        "Berisiko",
        "Tidak terlindungi",
        "Darurat",
        "Tidak diketahui",
    }
    assert page.locator("#my-status .plain").inner_text().strip()
    todo = page.inner_text("#my-todo")
    assert "Yang perlu Anda lakukan" in todo and todo.count("\n") >= 1
    for words in (*OFFICERS_WORDS, *actions):
        if "KJRI Hong Kong" not in words:  # the hub's case notice is addressed to her
            assert words not in text, words
    # the numbers to call: her mission in Hong Kong and BPJS Ketenagakerjaan's 175
    assert page.locator("#my-numbers a[href='tel:175']").count() == 1
    assert page.locator("#my-numbers a[href='tel:+85228904421']").count() == 1
    assert "KJRI Hong Kong" in page.inner_text("#my-numbers")
    # who looked: the embassy's system by name, her own reads as "you", no raw keys
    log = page.inner_text("#access-log")
    assert "Perwakilan RI (Kemlu)" in log and "Anda sendiri" in log
    assert not re.search(r"\b\w+Cat\b", text) and "nikCat" not in text
    # no case details: neither the kind, the summary, nor the case ids
    for secret in (
        "Gaji tidak dibayar",
        "Unpaid wages",
        "HKG-2026-0042",
        "ADU-2026-000311",
        "sengketa upah",
        "Sengketa upah",
    ):
        assert secret not in text, secret
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]
    shoot(page, f"self-{screen}", tmp_path, full_page=True)
    page.click("[data-lang=EN]")
    assert "What you should do" in page.inner_text("#my-todo")
    assert "You" in page.inner_text("#access-log")
    assert page.script_errors == []
    page.context.close()


def shown_actions(page: Any) -> list[str]:
    items = page.locator("#my-todo li")
    return [items.nth(i).inner_text().strip() for i in range(items.count())]


def test_the_worker_sees_the_rules_actions_addressed_to_her_and_no_one_elses(
    browser: Any, console: ConsoleStack
) -> None:
    # given: what the rules ask of each party about Wulan, as an officer's system reads it
    wulan = console.worker_ids[WULAN]
    body = console.stack.graphql(EVERY_PARTY, {"id": wulan}).json()
    findings = body["data"]["worker"]["protection"]["findings"]
    codes = {f["code"] for f in findings if f["WORKER"]}
    assert {
        "BPJS_COVERAGE_EXPIRED",
        "PMI_CARD_MISSING_OR_EXPIRED",
        "EXTENSION_NOT_SIGNED_AT_MISSION",
    } <= codes, codes
    mine = {lang: [a for f in findings for a in f[f"WORKER{lang}"]] for lang in ("", "En")}
    others = {
        lang: {a for f in findings for p in PARTIES[1:] for a in f[f"{p}{lang}"]}
        for lang in ("", "En")
    }
    assert others[""] and others["En"]  # the officer, the company: actions she must not see
    assert not others[""] & set(mine[""]) and not others["En"] & set(mine["En"])
    # when: she opens her own page
    page = new_page(browser, **VIEWPORTS["phone"])
    sign_in(page, console, WORKER_WULAN)
    page.wait_for_selector("#my-todo li")
    # then: exactly her actions, gravest finding first, once each, in Indonesian ...
    assert shown_actions(page) == list(dict.fromkeys(mine[""]))
    text = page.inner_text("main")
    for words in (*others[""], *OFFICERS_WORDS):
        assert words not in text, words
    # ... and in English
    page.click("[data-lang=EN]")
    page.wait_for_function("document.querySelector('#my-todo h2').innerText.includes('What')")
    assert shown_actions(page) == list(dict.fromkeys(mine["En"]))
    text = page.inner_text("main")
    for words in others["En"]:
        assert words not in text, words
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.script_errors == []
    page.context.close()
