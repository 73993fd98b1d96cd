"""Issue #19, item 6: the statistics page (#/statistics) in a real browser at 360 px.

A real release is computed on a console stack whose population is the console's scenario and
800 generated people (the small scenario alone publishes no rate: every cell is under the
threshold); the page draws its charts with the vendored Chart.js, every number of its tables
equals the API's, a suppressed cell is shown as suppressed and never as 0, and the bars drawn
are the release's published rates, in the bar's colour where the bar stands.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schema.population.generator import build_scenario
from schema.scenario import parse_scenario
from tests.console._support import PHONE, axe_violations, new_page, officer, shoot, sign_in
from tests.console.conftest import (
    FIXTURES,
    NAMESAKES,
    ConsoleStack,
    console_stack,
    namesake,
    wulan,
)
from tests.statistics.conftest import AS_OF, run_release

pytestmark = pytest.mark.e2e

GENERATED = 800  # enough for published rates (denominators of 50 and more) in every chart


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleStack]:
    """This module's own console stack (it replaces the package's): the console's scenario
    with GENERATED people of the fixed-seed generator added."""
    raw = json.loads((FIXTURES / "small_scenario.json").read_text())
    raw["people"] += [namesake(i) for i in range(NAMESAKES)]
    raw["people"].append(wulan())
    generated = build_scenario(people=GENERATED, seed=2026, as_of=AS_OF)
    for name, key in (("missions", "code"), ("placementAgencies", "licenseNumber")):
        known = {item[key] for item in raw[name]}
        raw[name] += [item for item in generated[name] if item[key] not in known]
    raw["people"] += generated["people"]
    scenario = parse_scenario(json.dumps(raw), "console scenario and a generated population")
    with console_stack(scenario, tmp_path_factory) as running:
        yield running


TABLE = """query($t: String!, $r: ID) { coverageStatistics(table: $t, release: $r) {
  release cells { dimensions { name value } count suppressed rate } } }"""
RATE = {"ID": re.compile(r"\d{1,3},\d %"), "EN": re.compile(r"\d{1,3}\.\d %")}
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
    """Two statistics runs over the console's population (before the module's browser starts):
    the API's answer for each table the page shows, of the latest release, and the first
    release's gap tables (``first``)."""
    first = asyncio.run(run_release(console.stack.environ)).release.id
    release_id = asyncio.run(run_release(console.stack.environ)).release.id
    assert first != release_id

    def read(name: str, release: str | None = None) -> dict[str, Any]:
        body = console.stack.graphql(
            TABLE,
            {"t": name, "r": release},
            client="statistics-partner",
            scope="statistics:read",
            purpose=None,
        ).json()
        assert "errors" not in body, body
        return body["data"]["coverageStatistics"]

    answers: dict[str, Any] = {name: read(name) for name in (*FIGURES, *GAPS)}
    assert all(a["release"] == release_id for a in answers.values())
    answers["first"] = {name: read(name, first) for name in GAPS}
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
            elif hit["rate"] is not None:  # one decimal always: 48,0 % beside 47,7 %
                assert RATE[lang].fullmatch(cells[3].strip()), (name, code, cells)
                shown_rate = float(cells[3].strip()[:-2].replace(",", "."))
                assert abs(shown_rate - hit["rate"] * 100) <= 0.05 + 1e-9, (name, code, cells)
    shown = rows(page, "stats-gaps-table")
    assert set(shown) == set(GAPS)
    for name, (outcome, target) in GAPS.items():
        hit = cell(release[name], country="TOTAL", **{outcome: target})
        total = cell(release[name], country="TOTAL", **{outcome: "TOTAL"})
        assert digits(shown[name][1]) == expected(hit, lang), (name, shown[name])
        assert digits(shown[name][2]) == expected(total, lang), (name, shown[name])
    shown = rows(page, "stats-trend-table")  # the gaps release by release
    releases = [release["first"], {name: release[name] for name in GAPS}]
    assert list(shown) == [r[next(iter(GAPS))]["release"] for r in releases]
    for i, name in enumerate(GAPS, start=1):
        for bodies, cells in zip(releases, shown.values(), strict=True):
            outcome, target = GAPS[name]
            hit = cell(bodies[name], country="TOTAL", **{outcome: target})
            want = expected(hit, lang) + ("" if hit["suppressed"] else " (")
            assert digits(cells[i]).startswith(want), (name, cells)
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
    agencies = page.inner_text("#stats-sources tbody")  # named as people say them, not codes
    assert "BPJS Ketenagakerjaan" in agencies and "BPJS_KETENAGAKERJAAN" not in agencies
    # every chart drawn: a canvas with pixels painted, not a blank box
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 4")
    painted = page.evaluate(
        """() => [...document.querySelectorAll('canvas')].map((c) => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
            return [c.id, c.width, n];
        })"""
    )
    assert len(painted) == 4 and all(w > 0 and n > 500 for _, w, n in painted), painted
    # readable at 360 px: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    suppressed = check_tables(page, release, "ID")
    assert suppressed > 0  # some provinces have cells under the threshold
    assert axe_violations(page, axe_source) == []

    page.click("[data-lang=EN]")
    page.wait_for_function("document.getElementById('stats-h').textContent === 'Statistics'")
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length === 4")
    check_tables(page, release, "EN")
    shoot(page, "statistics-phone", tmp_path, full_page=True)
    assert page.script_errors == []
    page.context.close()


BARS = {
    "stats-enrolment_by_country-chart": ("enrolment_by_country", "country", "enrolled", "YES"),
    "stats-enrolment_by_province-chart": ("enrolment_by_province", "province", "enrolled", "YES"),
}
COLOUR = {"stats-enrolment_by_country-chart": (0x1F, 0x5F, 0x8B)}  # COLOURS.rate
COLOUR["stats-enrolment_by_province-chart"] = COLOUR["stats-enrolment_by_country-chart"]
COLOUR["stats-gaps-chart"] = (0x8B, 0x1A, 0x1A)  # COLOURS.gap

BARS_SCRIPT = """(id) => {
  const canvas = document.getElementById(id);
  const chart = globalThis.Chart.getChart(canvas);
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const context = canvas.getContext('2d');
  const codes = [...document.querySelectorAll(
    `#${id.replace(/-chart$/, '-table')} tbody tr`)].map((tr) => tr.dataset.code);
  return chart.getDatasetMeta(0).data.map((bar, i) => {
    const width = Math.abs(bar.x - bar.base);
    const x = Math.round(((bar.x + bar.base) / 2) * scale);
    const y = Math.round(bar.y * scale);
    const pixel = width > 2 ? [...context.getImageData(x, y, 1, 1).data] : null;
    return { code: codes[i], value: chart.data.datasets[0].data[i], width, pixel };
  });
}"""


def test_the_bars_are_the_published_rates(
    release: dict[str, Any], browser: Any, console: ConsoleStack
) -> None:
    """Every bar of the coverage and gap charts stands for its row: a published rate is a
    bar of that length (in percent) painted in the chart's colour, an unpublished one no
    bar; a population of this size publishes rates in every chart."""
    page = new_page(browser, **PHONE)
    sign_in(page, console, officer(console))
    page.click("#pages a[href='#/statistics']")
    page.wait_for_selector("#stats-about")
    page.wait_for_function("() => document.querySelectorAll('canvas[data-drawn]').length === 4")
    charts = {**BARS, "stats-gaps-chart": None}
    for chart_id, spec in charts.items():
        bars = page.evaluate(BARS_SCRIPT, chart_id)
        assert bars and all(b["code"] for b in bars), chart_id
        drawn = 0
        for bar in bars:
            if spec is None:  # a gap over all countries
                outcome = GAPS[bar["code"]]
                hit = cell(release[bar["code"]], country="TOTAL", **{outcome[0]: outcome[1]})
            else:
                name, dimension, outcome, target = spec
                hit = cell(release[name], **{dimension: bar["code"], outcome: target})
            if hit["suppressed"] or hit["rate"] is None:
                assert bar["value"] is None, (chart_id, bar, hit)
                continue
            assert bar["value"] == pytest.approx(hit["rate"] * 100), (chart_id, bar, hit)
            if hit["rate"] > 0.02:  # a bar wide enough to see
                assert bar["width"] > 2, (chart_id, bar)
                assert tuple(bar["pixel"][:3]) == COLOUR[chart_id], (chart_id, bar)
                drawn += 1
        assert drawn >= 2, (chart_id, bars)  # real bars, not an empty chart
    assert page.script_errors == []
    page.context.close()
