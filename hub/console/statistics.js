// The statistics page (#/statistics, scope statistics:read): the latest published release's
// coverage (enrolment rate) by destination country and by province of origin, and the gaps
// (placed but not enrolled, cover lapsed abroad, not in SISKOP2MI), each as a bar chart drawn
// by the vendored Chart.js (vendor/README.md) and as a table with the same numbers; with
// several published releases, the gaps release by release too.
// A suppressed cell is shown as such, never as 0; a rate the release does not publish (its
// margin is under 50) is not computed here either.

import { errorText, graphql } from "./api.js";
import { countryName, formatDate, lang, t, tOr } from "./i18n.js";
import { facts, fill, h, table } from "./dom.js";

const TABLE = `query($t: String!, $r: ID) { coverageStatistics(table: $t, release: $r) {
  release table referenceDate rulesVersion disclosureRule disclosureRuleId total titleId titleEn
  dimensionNames
  cells { dimensions { name value } count suppressed rate }
  sources { agency oldestFetch newestFetch answered unavailable } } }`;
const COVERAGE = [
  ["enrolment_by_country", "country"],
  ["enrolment_by_province", "province"],
];
const GAPS = [
  "placed_not_enrolled_by_country",
  "cover_lapsed_abroad_by_country",
  "abroad_not_in_siskop2mi_by_country",
];
const COLOURS = { rate: "#1f5f8b", gap: "#8b1a1a" };
const GAP_COLOURS = ["#8b1a1a", "#1f5f8b", "#4d6b1f"];
const HISTORY = 6; // the gaps over at most this many published releases, newest last
const TARGETS = { placed_not_enrolled: "NO_MEMBERSHIP", cover_lapsed: "LAPSED",
  not_in_siskop2mi: "NOT_IN_SISKOP2MI" };

let chartLibrary = null;
async function Chart() {
  chartLibrary ??= import("./vendor/chart.umd.js").then(() => globalThis.Chart);
  return chartLibrary;
}

function value(cell, name) {
  return cell.dimensions.find((d) => d.name === name)?.value;
}

function category(dimension, code) {
  if (code === "TOTAL") return t("statsAll");
  if (dimension === "country" && /^[A-Z]{2}$/.test(code)) return countryName(code);
  return tOr(`stats_${code}`, code.replaceAll("_", " "));
}

const number = (n) => new Intl.NumberFormat(lang() === "EN" ? "en-GB" : "id-ID").format(n);
const percent = (rate) => `${(rate * 100).toLocaleString(lang() === "EN" ? "en-GB" : "id-ID",
  { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;  // 48,0 % beside 47,7 %

/** One category's figure: the outcome's count and rate, the margin's count. */
function figure(body, dimension, outcome, target, code) {
  const at = (o) => body.cells.find((c) => value(c, dimension) === code && value(c, outcome) === o);
  const hit = at(target);
  const all = at("TOTAL");
  return { code, hit, all };
}

/** A gap table's figure over all countries: the gap's count and rate, and the margin. */
function gapFigure(body) {
  const outcome = body.dimensionNames.at(-1);
  return figure(body, "country", outcome, TARGETS[outcome], "TOTAL");
}

function countText(cell) {
  if (!cell) return "–";
  return cell.suppressed ? t("statsSuppressed") : number(cell.count);
}

function rateText(cell) {
  if (!cell || cell.suppressed) return t("statsSuppressed");
  return cell.rate === null ? t("statsNoRate") : percent(cell.rate);
}

export class StatisticsPage {
  constructor(container, { announce }) {
    this.container = container;
    this.announce = announce;
    this.tables = null; // table name -> body
    this.error = null;
    this.charts = [];
  }

  async load() {
    this.render();
    try {
      const names = [...COVERAGE.map(([n]) => n), ...GAPS];
      const answers = await Promise.all(names.map((name) => graphql(TABLE, { t: name })));
      const problem = answers.flatMap((a) => a.errors)[0];
      if (problem) throw problem;
      this.tables = Object.fromEntries(names.map((n, i) => [n, answers[i].data.coverageStatistics]));
      this.history = await this.releases();
    } catch (error) {
      this.error = error;
    }
    this.render();
    this.announce(this.error ? t("statsFailed") : t("statsLoaded"));
  }

  /** The gap tables of the last HISTORY published releases (public listing), when there are
   * several: [{release, referenceDate, bodies: {table: body}}], oldest first. */
  async releases() {
    const response = await fetch("/statistics/releases", { credentials: "omit" });
    if (!response.ok) return [];
    const listed = (await response.json()).releases
      .filter((r) => r.status === "PUBLISHED")
      .sort((a, b) => a.referenceDate.localeCompare(b.referenceDate) || a.id.localeCompare(b.id))
      .slice(-HISTORY);
    if (listed.length < 2) return [];
    return Promise.all(listed.map(async (r) => {
      const answers = await Promise.all(GAPS.map((name) => graphql(TABLE, { t: name, r: r.id })));
      const bodies = Object.fromEntries(GAPS.map((n, i) => [n, answers[i].data?.coverageStatistics]));
      return { release: r.id, referenceDate: r.referenceDate, bodies };
    }));
  }

  render() {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    const heading = h("h2", { id: "stats-h", tabindex: "-1" }, t("statistics"));
    const section = h("section", { class: "card statistics", "aria-labelledby": "stats-h" }, heading);
    fill(this.container, section);
    if (this.error) {
      section.append(h("p", { class: "problem", role: "alert" },
        `${t("statsFailed")}: ${errorText(this.error)}`));
      return;
    }
    if (!this.tables) return section.append(h("p", {}, t("loading")));
    const first = Object.values(this.tables).find(Boolean);
    if (!first) return section.append(h("p", { id: "stats-none" }, t("statsNone")));
    section.append(h("p", { class: "hint" }, t("statsIntro")), this.about(first));
    for (const [name, dimension] of COVERAGE) {
      const body = this.tables[name];
      if (body) section.append(this.coverage(body, dimension));
    }
    section.append(this.gaps());
    if (this.history?.length > 1) section.append(this.trend());
  }

  about(body) {
    const sources = body.sources.map((s) => ({ cells: [
      tOr(`stats_${s.agency}`, tOr(s.agency, s.agency)),
      s.newestFetch ? formatDate(s.newestFetch, true) : t("unknownValue"),
      number(s.answered), number(s.unavailable),
    ] }));
    return h("div", { id: "stats-about" },
      facts([
        [t("statsRelease"), body.release],
        [t("statsReferenceDate"), formatDate(body.referenceDate)],
        [t("statsRules"), body.rulesVersion],
        [t("statsDisclosure"), lang() === "EN" ? body.disclosureRule : body.disclosureRuleId],
      ]),
      h("h3", {}, t("statsFreshness")),
      table({ id: "stats-sources" },
        [t("statsAgency"), t("statsNewest"), t("statsAnswered"), t("statsUnavailable")],
        sources, { rowHeadings: true }));
  }

  coverage(body, dimension) {
    const codes = [...new Set(body.cells.map((c) => value(c, dimension)))]
      .sort((a, b) => (a === "TOTAL") - (b === "TOTAL") || a.localeCompare(b));
    const rows = codes.map((code) => figure(body, dimension, "enrolled", "YES", code));
    const id = `stats-${body.table}`;
    const title = t(`statsCoverageBy_${dimension}`);
    const part = h("div", { class: "stats-figure", id });
    part.append(
      h("h3", { id: `${id}-h` }, title),
      this.chart(`${id}-chart`, title, rows.map((r) => category(dimension, r.code)),
        rows.map((r) => r.hit), COLOURS.rate),
      table({ id: `${id}-table`, "aria-labelledby": `${id}-h` },
        [t(`statsDim_${dimension}`), t("statsEnrolled"), t("statsOf"), t("statsRate")],
        rows.map((r) => ({ attrs: { "data-code": r.code }, cells: [
          category(dimension, r.code), countText(r.hit), countText(r.all), rateText(r.hit),
        ] })), { rowHeadings: true }),
    );
    return part;
  }

  gaps() {
    const rows = GAPS.filter((name) => this.tables[name]).map((name) => {
      const body = this.tables[name];
      return { name, ...gapFigure(body) };
    });
    const title = t("statsGaps");
    return h("div", { class: "stats-figure", id: "stats-gaps" },
      h("h3", { id: "stats-gaps-h" }, title),
      this.chart("stats-gaps-chart", title, rows.map((r) => t(`statsGap_${r.name}`)),
        rows.map((r) => r.hit), COLOURS.gap),
      table({ id: "stats-gaps-table", "aria-labelledby": "stats-gaps-h" },
        [t("statsGap"), t("statsCount"), t("statsOf"), t("statsRate")],
        rows.map((r) => ({ attrs: { "data-code": r.name }, cells: [
          t(`statsGap_${r.name}`), countText(r.hit), countText(r.all), rateText(r.hit),
        ] })), { rowHeadings: true }));
  }

  /** The gaps (all countries) release by release: a line per gap, then a table. */
  trend() {
    const title = t("statsTrend");
    const labels = this.history.map((r) => `${formatDate(r.referenceDate)} (${r.release})`);
    const canvas = h("canvas", { id: "stats-trend-chart", role: "img",
      "aria-label": `${title} (${t("statsSeeTable")})` });
    const datasets = GAPS.map((name, i) => ({
      label: t(`statsGap_${name}`),
      borderColor: GAP_COLOURS[i],
      backgroundColor: GAP_COLOURS[i],
      data: this.history.map((r) => {
        const hit = r.bodies[name] && gapFigure(r.bodies[name]).hit;
        return hit && !hit.suppressed && hit.rate !== null ? hit.rate * 100 : null;
      }),
    }));
    const box = h("div", { class: "stats-chart" }, canvas);
    Chart().then((ChartJs) => {
      if (!canvas.isConnected) return;
      this.charts.push(new ChartJs(canvas, {
        type: "line",
        data: { labels: this.history.map((r) => formatDate(r.referenceDate)), datasets },
        options: {
          animation: false,
          aspectRatio: (box.clientWidth || 320) < 500 ? 1 : 2,
          plugins: { legend: { position: "bottom" } },
          scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } } },
        },
      }));
      canvas.dataset.drawn = "true";
    });
    const cellText = (hit) => {
      if (!hit || hit.suppressed) return countText(hit);
      return `${countText(hit)} (${rateText(hit)})`;
    };
    return h("div", { class: "stats-figure", id: "stats-trend" },
      h("h3", { id: "stats-trend-h" }, title), box,
      table({ id: "stats-trend-table", "aria-labelledby": "stats-trend-h" },
        [t("statsRelease"), ...GAPS.map((n) => t(`statsGap_${n}`))],
        this.history.map((r, i) => ({ attrs: { "data-code": r.release }, cells: [
          labels[i],
          ...GAPS.map((n) => cellText(r.bodies[n] && gapFigure(r.bodies[n]).hit)),
        ] })), { rowHeadings: true }));
  }

  /** A horizontal bar chart of rates in percent; a suppressed or unpublished rate is no bar
   * (null), never a bar of 0. The canvas is hidden from screen readers: the table beside it
   * carries the same numbers. */
  chart(id, title, labels, cells, colour) {
    const canvas = h("canvas", { id, role: "img", "aria-label": `${title} (${t("statsSeeTable")})` });
    const box = h("div", { class: "stats-chart" }, canvas);
    const data = cells.map((c) => (c && !c.suppressed && c.rate !== null ? c.rate * 100 : null));
    Chart().then((ChartJs) => {
      if (!canvas.isConnected) return;
      // a bar per label, whatever the width: the height follows from the ratio
      const ratio = (box.clientWidth || 320) / (labels.length * 28 + 60);
      this.charts.push(new ChartJs(canvas, {
        type: "bar",
        data: { labels, datasets: [{ label: t("statsRate"), data, backgroundColor: colour }] },
        options: {
          indexAxis: "y",
          animation: false,
          aspectRatio: Math.max(0.3, Math.min(ratio, 3)),
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => (item.raw === null ? t("statsSuppressed")
              : percent(item.raw / 100)) } },
          },
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } } },
        },
      }));
      canvas.dataset.drawn = "true";
    });
    return box;
  }
}
