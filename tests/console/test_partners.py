"""Partner organisations in the console, in Chromium at 360 px: the worker reads the exact
consent text, agrees, sees the consent with its receipt; the organisation's case worker (a
hub user with a second factor) sees only that worker, only what the consent opens (the NIK
masked), and refers a case; the worker's "who looked" names the organisation and the consent;
the worker revokes, and the case worker's next read says the consent was revoked."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from auth.users import add_user
from hub.partners import PartnerRegistry
from hub.storage import make_engine
from tests.console._support import BROKEN_WORDS, PHONE, new_page, shoot, sign_in
from tests.console.conftest import PASSWORD, SITI, WORKER, ConsoleStack

pytestmark = pytest.mark.e2e

CASE_WORKER = "pendamping.sbmi"


@pytest.fixture(scope="module")
def partner(console: ConsoleStack) -> str:
    engine = make_engine(console.stack.environ["HUB_DATABASE_URL"])
    try:
        PartnerRegistry(engine).add("SBMI", name="Serikat Buruh Migran Indonesia", contact="d")
        add_user(
            engine,
            username=CASE_WORKER,
            password=PASSWORD,
            role="case-worker",
            agency="SBMI",
            display_name="Pendamping SBMI",
            replace=True,
        )
    finally:
        engine.dispose()
    return CASE_WORKER


def test_consent_grant_read_refer_track_and_revoke(
    browser: Any, console: ConsoleStack, partner: str, tmp_path: Path
) -> None:
    siti = console.worker_ids[SITI]
    worker = new_page(browser, **PHONE)
    sign_in(worker, console, WORKER)
    worker.wait_for_selector("#consent-form")
    assert "Persetujuan untuk organisasi pendamping" in worker.inner_text("#consents")
    worker.fill("#consent-org", "SBMI")
    worker.select_option("#consent-purpose", "CASE_ASSISTANCE")
    for category in ("placement", "consular"):
        worker.uncheck(f"#cat-{category}")
    worker.fill("#consent-days", "30")
    worker.click("#consent-show")
    worker.wait_for_selector("#consent-words")
    words = worker.inner_text("#consent-words")
    assert "Saya mengizinkan Serikat Buruh Migran Indonesia" in words
    assert "bukan syarat pekerjaan" in words and "not a job requirement" in words
    wide = worker.evaluate(
        "() => [...document.querySelectorAll('#consents *')].filter(e =>"
        " e.getBoundingClientRect().right > 360).map(e => e.tagName + '#' + e.id + '.' +"
        " e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
    )
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    worker.click("#consent-agree")
    worker.wait_for_selector("#consents-list .consent-ACTIVE")
    worker.wait_for_selector("#receipt")
    receipt = worker.inner_text("#receipt")
    text_id, text_en = (worker.inner_text(f"#receipt p[lang={x}]") for x in ("id", "en"))
    digest = "sha256:" + hashlib.sha256(f"{text_id}\n\n{text_en}".encode()).hexdigest()
    assert worker.inner_text("#receipt-hash") == digest  # the hash of exactly what was shown
    assert "Tanda terima" in receipt and worker.locator("#print-receipt").count() == 1
    assert worker.evaluate(BROKEN_WORDS) == []
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(worker, "consent-phone", tmp_path, full_page=True)

    # the organisation's case worker: only the consented worker, only what it opens
    helper = new_page(browser, **PHONE)
    sign_in(helper, console, partner)
    helper.wait_for_selector("#consented")
    rows = helper.locator("#consented tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-worker") == siti
    assert helper.locator("#search, input[type=search]").count() == 0  # no search at all
    helper.click(".open-worker")
    helper.wait_for_selector("#partner-worker")
    page = helper.inner_text("#partner-worker")
    assert "siti aminah" in page.lower() and "3506********0003" in page
    assert "3506124508900003" not in page
    helper.select_option("#refer-kind", "WAGE_DISPUTE")
    helper.fill("#refer-summary", "Gaji tiga bulan belum dibayar")
    helper.click("#refer-submit")
    # Siti may have cases already (other modules open some): wait for the referred one
    helper.locator("#partner-cases", has_text="Sengketa upah").wait_for()
    cases = helper.inner_text("#partner-cases")
    assert "SBMI" in cases and "Sengketa upah" in cases
    assert "Kasus dirujuk" in helper.inner_text("#refer-outcome")
    assert helper.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(helper, "case-worker-phone", tmp_path, full_page=True)

    # the worker: who looked names the organisation and the consent; then she revokes
    worker.reload()
    worker.wait_for_selector("#access-log")
    log = worker.inner_text("#access-log")
    assert "Serikat Buruh Migran Indonesia" in log and "atas persetujuan cns_" in log
    assert "Pendampingan kasus" in log
    worker.click(".revoke-button")
    worker.wait_for_selector("#consents-list .consent-REVOKED")
    assert worker.locator(".revoke-button").count() == 0

    # the case worker's next read: the consent was revoked, in words, no data
    helper.click("#partner-back")
    helper.wait_for_selector("#partner")
    assert helper.locator("#consented tbody tr").count() == 0
    body = console.stack.graphql(
        "query($id: ID!) { worker(id: $id) { identity { fullName } } }",
        {"id": siti},
        token=_token(helper),
        purpose="CASE_ASSISTANCE",
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "CONSENT_REVOKED"
    helper.click("[data-lang=EN]")
    assert "Workers you accompany" in helper.inner_text("#partner")
    for page_ in (worker, helper):
        assert page_.script_errors == []
        page_.context.close()


def _token(page: Any) -> str:
    """The case worker's access token, as the console holds it (session storage)."""
    return str(
        page.evaluate(
            "() => { for (const k of Object.keys(sessionStorage)) {"
            " const v = sessionStorage.getItem(k);"
            " try { const o = JSON.parse(v); if (o && o.access) return o.access; }"
            " catch (e) {} } return null; }"
        )
    )
