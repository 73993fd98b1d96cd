// The crisis page (#/crisis), for officers holding cohort:read under the purpose EMERGENCY or
// CASE_HANDLING: choose an area (mission, country, employer city or region; optionally
// levels, phase, last contact older than N days), see the count at each level, then the
// people most urgent first (Query.cohort's order) with the phone and next of kin the token
// may read, mark each reached or not (marks.js), page on, and export what the page shows as
// CSV. The alerts of the officer's mission are beside it (alerts.js).

import { currentPurpose, errorText, graphql } from "./api.js";
import { loadMissions } from "./cases.js";
import { fill, h } from "./dom.js";
import { countryName, formatDate, t } from "./i18n.js";
import { markOf, recordMark } from "./marks.js";
import { cohortQuery } from "./queries.js";
import { phoneLink } from "./sections.js";

export const CRISIS_PURPOSES = ["EMERGENCY", "CASE_HANDLING"];
const LEVELS = ["EMERGENCY", "UNPROTECTED", "UNKNOWN", "AT_RISK", "PROTECTED"]; // urgency
const PHASES = ["PRE_PLACEMENT", "PLACEMENT", "POST_PLACEMENT", "UNKNOWN"];
const PAGE = 20;
const FILTER_KEY = "pmihub.console.crisis"; // the area last shown, for this tab (no personal data)
const EMPTY = { missionCode: "", country: "", city: "", levels: [], phase: "", days: "" };

function storedForm() {
  try {
    const form = JSON.parse(sessionStorage.getItem(FILTER_KEY) || "null");
    return form && typeof form === "object" ? { ...EMPTY, ...form } : null;
  } catch {
    return null;
  }
}

export class CrisisPage {
  constructor(container, { scopes, announce, onOpen, onSearch = () => {} }) {
    this.container = container;
    this.onSearch = onSearch;
    this.scopes = scopes;
    this.announce = announce;
    this.onOpen = onOpen;
    this.filter = null; // the filter last shown, as sent
    this.result = null; // {total, counts, rows, next, problem}
    this.form = storedForm() || { ...EMPTY };
    this.resume = storedForm() !== null; // a reload shows the same list again
  }

  render() {
    if (!CRISIS_PURPOSES.includes(currentPurpose())) {
      fill(this.container, h("section", { class: "card", id: "crisis-refused" },
        h("h2", {}, t("crisis")), h("p", { role: "status" }, t("crisisPurpose"))));
      return;
    }
    fill(this.container,
      h("h2", { id: "crisis-h", tabindex: "-1" }, t("crisis")),
      this.filterForm(),
      h("div", { id: "crisis-result" }));
    if (this.resume) {
      this.resume = false;
      this.search();
    } else {
      this.showResult();
    }
  }

  filterForm() {
    const f = this.form;
    const mission = h("select", { id: "crisis-mission", name: "missionCode" },
      h("option", { value: "" }, t("anyMission")));
    const country = h("select", { id: "crisis-country", name: "country" },
      h("option", { value: "" }, t("anyCountry")));
    loadMissions().then((list) => {
      mission.append(...list.map((m) =>
        h("option", { value: m.code, selected: m.code === f.missionCode }, `${m.name} (${m.code})`)));
      const codes = [...new Set(list.map((m) => m.country))].sort();
      country.append(...codes.map((c) =>
        h("option", { value: c, selected: c === f.country }, countryName(c))));
    });
    const city = h("input", { id: "crisis-city", name: "city", maxlength: 100,
      autocomplete: "off", value: f.city });
    const levels = h("fieldset", { class: "levels" }, h("legend", {}, t("crisisLevels")),
      LEVELS.map((level) => h("div", { class: "check" },
        h("input", { type: "checkbox", id: `crisis-level-${level}`, name: "levels", value: level,
          checked: f.levels.includes(level) }),
        h("label", { for: `crisis-level-${level}` },
          h("span", { class: `level-tag level-${level}` }, t(`lv${level}`))))));
    const phase = h("select", { id: "crisis-phase", name: "phase" },
      h("option", { value: "" }, t("anyPhase")),
      PHASES.map((p) => h("option", { value: p, selected: p === f.phase }, t(p))));
    const days = h("input", { id: "crisis-days", name: "days", type: "number", min: 0,
      max: 36500, inputmode: "numeric", value: f.days, "aria-describedby": "crisis-days-hint" });
    const form = h("form", { id: "crisis-filter", class: "card crisis-filter", onsubmit: (event) => {
      event.preventDefault();
      this.form = {
        missionCode: mission.value, country: country.value, city: city.value.trim(),
        levels: [...form.querySelectorAll("input[name=levels]:checked")].map((i) => i.value),
        phase: phase.value, days: days.value,
      };
      this.search();
    } },
    h("p", { class: "hint" }, t("crisisIntro")),
    h("div", { class: "grid" },
      h("div", {}, h("label", { for: "crisis-mission" }, t("crisisMission")), mission),
      h("div", {}, h("label", { for: "crisis-country" }, t("country")), country),
      h("div", {}, h("label", { for: "crisis-city" }, t("crisisCity")), city),
      h("div", {}, h("label", { for: "crisis-phase" }, t("phase")), phase),
      h("div", {}, h("label", { for: "crisis-days" }, t("crisisDays")), days,
        h("p", { class: "hint", id: "crisis-days-hint" }, t("crisisDaysHint")))),
    levels,
    h("button", { type: "submit", id: "crisis-show" }, t("crisisShow")));
    return form;
  }

  filterOf() {
    const f = this.form;
    const filter = {};
    if (f.missionCode) filter.missionCode = f.missionCode;
    if (f.country) filter.country = f.country;
    if (f.city) filter.city = f.city;
    if (f.levels.length) filter.levels = f.levels;
    if (f.phase) filter.phases = [f.phase];
    if (f.days !== "") filter.lastContactOlderThanDays = Number(f.days);
    return filter;
  }

  async read(after) {
    const { data, errors } = await graphql(cohortQuery(this.scopes),
      { filter: this.filter, first: PAGE, after });
    const found = data?.cohort;
    const whole = errors.filter((e) => (e.path || []).length <= 1);
    return { found, problem: whole.map(errorText).join(" — ") };
  }

  async search() {
    this.onSearch();
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(this.form));
    this.filter = this.filterOf();
    const status = this.container.querySelector("#crisis-result");
    fill(status, h("p", { class: "status", role: "status" }, t("loading")));
    const { found, problem } = await this.read(null);
    this.result = found
      ? { total: found.totalCount, counts: found.countsByLevel, rows: found.edges.map(row),
          next: found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null, problem: "" }
      : { total: 0, counts: [], rows: [], next: null, problem: problem || t("failed") };
    this.showResult();
    const heading = this.container.querySelector("#crisis-counts-h"); // on a phone: below the form
    heading?.focus({ preventScroll: true });
    heading?.scrollIntoView({ block: "start" });
    this.announce(this.result.problem || t("crisisFound", { n: this.result.total }));
  }

  async more() {
    const before = this.result.rows.length;
    const { found, problem } = await this.read(this.result.next);
    if (!found) {
      this.result.problem = problem || t("failed");
    } else {
      this.result.rows.push(...found.edges.map(row));
      this.result.next = found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null;
    }
    this.showResult();
    this.container.querySelectorAll("#crisis-list .person-name")[before]?.focus();
  }

  showResult() {
    const box = this.container.querySelector("#crisis-result");
    if (!box || !this.result) return;
    const r = this.result;
    if (r.problem) return fill(box, h("p", { class: "problem", role: "alert" }, r.problem));
    const counts = new Map(r.counts.map((c) => [c.level, c.count]));
    const more = h("button", { type: "button", id: "crisis-more", class: "secondary",
      onclick: () => this.more() }, t("moreResults"));
    fill(box,
      h("section", { class: "card", "aria-labelledby": "crisis-counts-h" },
        h("h3", { id: "crisis-counts-h", tabindex: "-1" }, t("crisisCounts", { n: r.total })),
        h("ul", { id: "crisis-counts", class: "counts" }, LEVELS.map((level) =>
          h("li", { dataset: { level } },
            h("span", { class: `level-tag level-${level}` }, t(`lv${level}`)),
            " ", h("strong", { class: "count" }, String(counts.get(level) || 0)))))),
      h("div", { class: "row crisis-tools" },
        h("p", { id: "crisis-shown", class: "status" },
          t("crisisShown", { n: r.rows.length, total: r.total })),
        h("button", { type: "button", id: "crisis-export", class: "secondary",
          disabled: !r.rows.length, onclick: () => this.exportCsv() }, t("crisisExport"))),
      h("ol", { id: "crisis-list", class: "crisis-list", "aria-label": t("crisisList") },
        r.rows.map((p) => this.person(p))),
      r.next ? more : null);
  }

  person(p) {
    const kin = p.nextOfKin;
    const where = [countryName(p.country), p.city].filter(Boolean).join(" · ");
    const markText = p.mark
      ? `${t(`mark${p.mark.mark}`)} · ${formatDate(p.mark.at, true)}` : t("markNone");
    const problem = h("p", { class: "problem", role: "alert" });
    const button = (mark) => h("button", {
      type: "button", class: mark === "REACHED" ? "" : "secondary",
      "aria-pressed": String(p.mark?.mark === mark),
      dataset: { mark },
      onclick: async (event) => {
        const buttons = event.target.closest(".marks").querySelectorAll("button");
        for (const b of buttons) b.disabled = true;
        try {
          p.mark = await recordMark(p.id, mark);
          this.announce(t("marked", { name: p.name, mark: t(`mark${mark}`) }));
          item.replaceWith(this.person(p));
        } catch (error) {
          problem.textContent = error.message;
          for (const b of buttons) b.disabled = false;
        }
      } }, t(`set${mark}`));
    const item = h("li", { class: "card person", dataset: { workerId: p.id, level: p.level } },
      h("div", { class: "result-head" },
        h("span", { class: `level-tag level-${p.level}` }, t(`lv${p.level}`)),
        h("a", { class: "person-name", href: `#/worker/${p.id}`, onclick: (event) => {
          event.preventDefault();
          this.onOpen(p.id);
        } }, p.name || t("unnamed"))),
      h("p", { class: "person-meta" },
        p.birthDate ? h("span", { class: "born" }, t("born", { d: formatDate(p.birthDate) })) : null,
        where ? h("span", {}, where) : null,
        p.mission ? h("span", {}, p.mission) : null,
        h("span", { class: "last-contact" },
          `${t("lastContact")}: ${p.lastContactOn ? formatDate(p.lastContactOn) : t("never")}`)),
      p.phone !== undefined
        ? h("p", { class: "reach" }, `${t("phone")}: `, phoneLink(p.phone) || t("unknownValue"))
        : null,
      kin ? h("p", { class: "reach kin" }, `${t("nextOfKin")}: ${kin.name}`,
        kin.relation ? ` (${kin.relation})` : "", kin.phone ? " " : "", phoneLink(kin.phone))
        : null,
      h("div", { class: "marks" },
        h("p", { class: "mark", role: "status" }, h("strong", {}, markText)),
        scopesAllowMarks(this.scopes)
          ? h("div", { class: "row" }, button("REACHED"), button("NOT_REACHED")) : null,
        problem));
    return item;
  }

  exportCsv() {
    const rows = [
      ["level", "name", "phone", "next_of_kin", "next_of_kin_relation", "next_of_kin_phone",
        "mission", "where", "last_contact_on", "mark", "marked_at", "worker_id"],
      ...this.result.rows.map((p) => [
        t(`lv${p.level}`), p.name, p.phone, p.nextOfKin?.name, p.nextOfKin?.relation,
        p.nextOfKin?.phone, p.mission, [countryName(p.country), p.city].filter(Boolean).join(" · "),
        p.lastContactOn, p.mark ? t(`mark${p.mark.mark}`) : "", p.mark?.at, p.id]),
    ];
    const text = rows.map((cells) => cells.map(csvCell).join(",")).join("\r\n");
    const url = URL.createObjectURL(new Blob(["\ufeff", text, "\r\n"], { type: "text/csv" }));
    const link = h("a", { href: url, download: `krisis-${new Date().toISOString().slice(0, 10)}.csv`,
      hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

function scopesAllowMarks(scopes) {
  return scopes.includes("case:write") && scopes.includes("cohort:read"); // as markReached
}

/** One cohort edge as the page keeps it (undefined: a section the token does not read). */
function row(edge) {
  const n = edge.node;
  const placements = n.placements || [];
  const placement = placements[placements.length - 1];
  return {
    id: n.id,
    level: edge.level,
    lastContactOn: edge.lastContactOn,
    name: n.identity?.fullName,
    birthDate: n.identity?.birthDate,
    phone: n.identity && "phone" in n.identity ? n.identity.phone : undefined,
    nextOfKin: n.identity?.nextOfKin || null,
    country: placement?.destinationCountry,
    city: placement?.employer?.city,
    mission: n.consular?.mission?.name,
    mark: markOf(edge.contactMark),
  };
}

/** A CSV cell: quoted, and text a spreadsheet would run as a formula made inert. */
function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^\+?[0-9 ()-]+$/.test(text))) {
    text = `'${text}`;
  }
  return `"${text.replaceAll('"', '""')}"`;
}
