"""Issue #19, item 6: the statistics page (#/statistics) in a real browser at 360 px.

A real release is computed on the console stack (the run of tests/statistics); the page draws
its charts with the vendored Chart.js, and every number of its tables equals the API's, a
suppressed cell shown as suppressed and never as 0.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from tests.console._support import PHONE, axe_violations, new_page, officer, shoot, sign_in
from tests.console.conftest import ConsoleStack
from tests.statistics.conftest import run_release

pytestmark = pytest.mark.e2e

TABLE = """query($t: String!) { coverageStatistics(table: $t) {
  release cells { dimensions { name value } count suppressed rate } } }"""
FIGURES = {
    "enrolment_by_country": ("country", "enrolled", "YES"),
    "enrolment_by_province": ("province", "enrolled", "YES"),
}
GAPS = {
    "placed_not_enrolled_by_country": ("placed_not_enrolled", "NO_MEMBERSHIP"),
    "cover_lapsed_abroad_by_country": ("cover_lapsed", "LAPSED"),
    "abroad_not_in_siskop2mi_by_country": ("not_in_siskop2mi", "NOT_IN_SISKOP2MI"),
}
SUPPRESSED = {"ID": "disembunyikan", "EN": "suppressed"}


@pytest.fixture(scope="module")
def release(console: ConsoleStack) -> dict[str, Any]:
    """One statistics run over the console's population (before the module's browser starts);
    the API's answer for each table the page shows."""
    report = asyncio.run(run_release(console.stack.environ))
    release_id = report.release.id
    answers = {}
    for name in (*FIGURES, *GAPS):
        body = console.stack.graphql(
            TABLE, {"t": name}, client="statistics-partner", scope="statistics:read", purpose=None
        ).json()
        assert "errors" not in body, body
        answers[name] = body["data"]["coverageStatistics"]
        assert answers[name]["release"] == release_id
    return answers


def cell(body: dict[str, Any], **key: str) -> dict[str, Any]:
    return next(
        c
        for c in body["cells"]
        if all({d["name"]: d["value"] for d in c["dimensions"]}[k] == v for k, v in key.items())
    )


def expected(found: dict[str, Any], lang: str) -> str:
    return SUPPRESSED[lang] if found["suppressed"] else str(found["count"])


def digits(text: str) -> str:
    """A shown count without its grouping ("1.234" / "1,234" -> "1234"); words as they are."""
    return re.sub(r"(?<=\d)[.,\u00a0](?=\d{3}\b)", "", text.strip())


def rows(page: Any, table_id: str) -> dict[str, list[str]]:
    return page.evaluate(
        """(id) => Object.fromEntries([...document.querySelectorAll(`#${id} tbody tr`)].map(
            (tr) => [tr.dataset.code, [...tr.children].map((c) => c.textContent)]))""",
        table_id,
    )


def check_tables(page: Any, release: dict[str, Any], lang: str) -> int:
    suppressed = 0
    for name, (dimension, outcome, target) in FIGURES.items():
        shown = rows(page, f"stats-{name}-table")
        codes = {c["dimensions"][0]["value"] for c in release[name]["cells"]}
        assert set(shown) == codes, name
        for code, cells in shown.items():
            hit = cell(release[name], **{dimension: code, outcome: target})
            total = cell(release[name], **{dimension: code, outcome: "TOTAL"})
            assert digits(cells[1]) == expected(hit, lang), (name, code, cells)
            assert digits(cells[2]) == expected(total, lang), (name, code, cells)
            suppressed += hit["suppressed"]
            if hit["suppressed"]:
                assert SUPPRESSED[lang] in cells[3] and "0" not in cells[1]
    shown = rows(page, "stats-gaps-table")
    assert set(shown) == set(GAPS)
    for name, (outcome, target) in GAPS.items():
        hit = cell(release[name], country="TOTAL", **{outcome: target})
        total = cell(release[name], country="TOTAL", **{outcome: "TOTAL"})
        assert digits(shown[name][1]) == expected(hit, lang), (name, shown[name])
        assert digits(shown[name][2]) == expected(total, lang), (name, shown[name])
    return suppressed


def test_statistics_page_at_360px(
    release: dict[str, Any], browser: Any, console: ConsoleStack, axe_source: str, tmp_path: Path
) -> None:
    page = new_page(browser, **PHONE)
    sign_in(page, console, officer(console))
    page.click("#pages a[href='#/statistics']")
    page.wait_for_selector("#stats-about")
    assert page.inner_text("#stats-h") == "Statistik"
    assert release["enrolment_by_country"]["release"] in page.inner_text("#stats-about")
    assert page.locator("#stats-sources tbody tr").count() >= 1  # freshness per agency
    # every chart drawn: a canvas with pixels painted, not a blank box
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 3")
    painted = page.evaluate(
        """() => [...document.querySelectorAll('canvas')].map((c) => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
            return [c.id, c.width, n];
        })"""
    )
    assert len(painted) == 3 and all(w > 0 and n > 500 for _, w, n in painted), painted
    # readable at 360 px: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    suppressed = check_tables(page, release, "ID")
    assert suppressed > 0  # the small population has cells under the threshold
    assert axe_violations(page, axe_source) == []

    page.click("[data-lang=EN]")
    page.wait_for_function("document.getElementById('stats-h').textContent === 'Statistics'")
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 3")
    check_tables(page, release, "EN")
    shoot(page, "statistics-phone", tmp_path, full_page=True)
    assert page.script_errors == []
    page.context.close()
