// The worker's own page (a ``self`` token), in plain words for the worker: their protection
// status, what they should do (the rules' own actions addressed to the worker, ``actionsFor
// (party: WORKER)``: never the officer's, the placement company's or BPJS's), the
// numbers to call (the missions of the country they work in and BPJS Ketenagakerjaan), and
// who looked at their data, their own reads as "you" (a partner organisation's by its name,
// purpose and the consent it read under), and their consents to partner organisations
// (grant, review, revoke: consents.js). No case details: the hub words a
// case for a worker as "an officer of <mission> is handling your case".

import { errorText, graphql } from "./api.js";
import { fill, h, table } from "./dom.js";
import { formatDate, lang, t, tOr } from "./i18n.js";
import { ConsentsCard } from "./consents.js";
import { MINE } from "./queries.js";
import { phoneLink } from "./sections.js";

const BPJS_HOTLINE = "175"; // BPJS Ketenagakerjaan's call centre (schema/missions.py)
const PEDULI_WNI = "https://peduliwni.kemlu.go.id";

export class SelfPage {
  constructor(container, workerId, { announce } = {}) {
    this.container = container;
    this.workerId = workerId;
    this.result = null;
    this.consents = new ConsentsCard(
      h("section", { id: "consents", class: "card", "aria-labelledby": "consents-h" }),
      { announce: announce || (() => {}) },
    );
  }

  async load() {
    fill(this.container, h("p", { class: "status", role: "status" }, t("loading")));
    this.result = await graphql(MINE, { id: this.workerId });
    this.render();
    await this.consents.load();
  }

  render() {
    const { data, errors } = this.result || { data: null, errors: [] };
    const p = data?.worker?.protection;
    const entries = data?.accessLog?.entries || [];
    const problems = errors.filter((e) => (e.path || []).length <= 2).map(errorText);
    fill(
      this.container,
      h("section", { id: "my-status", class: "card", "aria-labelledby": "my-status-h" },
        h("h2", { id: "my-status-h" }, t("myStatus")),
        p ? status(p) : h("p", { class: "problem" }, problems.join(" — ") || t("UNAVAILABLE"))),
      p ? todo(p) : null,
      hotlines(data?.worker?.placements || [], data?.missions || []),
      this.consents.container,
      h("section", { id: "who-looked", class: "card", "aria-labelledby": "who-looked-h" },
        h("h2", { id: "who-looked-h" }, t("whoLooked")),
        entries.length ? accessTable(entries) : h("p", {}, t("noAccess"))),
    );
    this.consents.render();
  }
}

function status(p) {
  return [
    h("p", { class: `level level-${p.level}`, id: "verdict-level" }, h("strong", {}, t(`lv${p.level}`))),
    h("p", { class: "plain" }, t(`plain${p.level}`)),
    p.complete ? null : h("p", { class: "incomplete" }, t("notAllRead")),
  ];
}

/** One line per distinct thing the rules ask of the worker, gravest finding first (the hub
 * orders them); a case is "an officer of <mission> is handling your case" with its contact. */
function todo(p) {
  const en = lang() === "EN";
  const lines = new Map();
  for (const f of p.findings) {
    for (const text of (en ? f.workerActionsEn : f.workerActions) || []) {
      if (!lines.has(text)) lines.set(text, f.severity);
    }
  }
  const items = [...lines].map(([text, severity]) =>
    h("li", { class: `finding severity-${severity}` }, text));
  return h("section", { id: "my-todo", class: "card", "aria-labelledby": "my-todo-h" },
    h("h2", { id: "my-todo-h" }, t("whatToDo")),
    items.length ? h("ul", { class: "findings" }, items) : h("p", {}, t("nothingToDo")));
}

/** The missions in the country of the worker's current placement, BPJS, and Peduli WNI. */
function hotlines(placements, missions) {
  const current = placements.length ? placements[placements.length - 1] : null;
  const here = current ? missions.filter((m) => m.country === current.destinationCountry) : [];
  const items = here.map((m) =>
    h("li", {}, `${t("missionLine", { name: m.name, city: m.city })}: `,
      m.phone ? phoneLink(m.phone) : h("a", { href: PEDULI_WNI }, "peduliwni.kemlu.go.id")));
  items.push(h("li", {}, `${t("bpjsHotline")}: `, phoneLink(BPJS_HOTLINE)));
  items.push(h("li", {}, `${t("peduliWni")}: `, h("a", { href: PEDULI_WNI }, "peduliwni.kemlu.go.id")));
  return h("section", { id: "my-numbers", class: "card", "aria-labelledby": "my-numbers-h" },
    h("h2", { id: "my-numbers-h" }, t("whoToCall")),
    h("ul", { class: "numbers" }, items));
}

function accessTable(entries) {
  const headings = [t("when"), t("who"), t("why"), t("what")];
  const rows = entries.map((e) => {
    const own = e.purpose === "SELF_SERVICE"; // only the worker's own token reads for it
    const who = own ? t("you") : lang() === "EN" ? e.agencyEn : e.agencyId;
    const why = [e.purpose ? t(e.purpose) : "—",
      e.breakGlass ? h("strong", {}, ` (${t("emergencyAccess")})`) : null,
      e.consentId ? h("span", { class: "consent-read" }, ` (${t("consentRead", { id: e.consentId })})`) : null];
    const what = e.categories.map((c) => tOr(`${c}Cat`, t("otherCat")));
    return {
      attrs: { class: [own ? "own-read" : "", e.breakGlass ? "break-glass-row" : ""].join(" ").trim() || null },
      cells: [formatDate(e.at, true), who, why, [...new Set(what)].join(", ")],
    };
  });
  return table({ id: "access-log" }, headings, rows);
}
