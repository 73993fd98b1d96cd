// The worker's own page (a ``self`` token): their protection status in plain words, and who
// looked at their data (Query.accessLog). Nothing else: a frontend for workers can copy it.

import { errorText, graphql } from "./api.js";
import { fill, h } from "./dom.js";
import { formatDate, lang, t } from "./i18n.js";
import { MINE } from "./queries.js";
import { finding } from "./worker.js";

export class SelfPage {
  constructor(container, workerId) {
    this.container = container;
    this.workerId = workerId;
    this.result = null;
  }

  async load() {
    fill(this.container, h("p", { class: "status", role: "status" }, t("loading")));
    this.result = await graphql(MINE, { id: this.workerId });
    this.render();
  }

  render() {
    const { data, errors } = this.result || { data: null, errors: [] };
    const p = data?.worker?.protection;
    const entries = data?.accessLog?.entries || [];
    const problems = errors.map(errorText);
    fill(
      this.container,
      h("section", { id: "my-status", class: "card", "aria-labelledby": "my-status-h" },
        h("h2", { id: "my-status-h" }, t("myStatus")),
        p
          ? [
              h("p", { class: `level level-${p.level}`, id: "verdict-level" },
                h("strong", {}, t(`lv${p.level}`))),
              h("p", { class: "plain" }, t(`plain${p.level}`)),
              p.findings.length ? h("h3", {}, t("whatToDo")) : null,
              p.findings.length ? h("ul", { class: "findings" }, p.findings.map(finding)) : null,
            ]
          : h("p", { class: "problem" }, problems.join(" — ") || t("UNAVAILABLE"))),
      h("section", { id: "who-looked", class: "card", "aria-labelledby": "who-looked-h" },
        h("h2", { id: "who-looked-h" }, t("whoLooked")),
        entries.length ? accessTable(entries) : h("p", {}, t("noAccess"))),
    );
  }
}

function accessTable(entries) {
  const rows = entries.map((e) =>
    h("tr", { class: e.breakGlass ? "break-glass-row" : null },
      h("td", {}, formatDate(e.at, true)),
      h("td", {}, lang() === "EN" ? e.agencyEn : e.agencyId),
      h("td", {}, e.purpose ? t(e.purpose) : "—",
        e.breakGlass ? h("strong", {}, ` (${t("emergencyAccess")})`) : null),
      h("td", {}, e.categories.map((c) => t(`${c}Cat`)).join(", "))),
  );
  return h("div", { class: "table-wrap" },
    h("table", { id: "access-log" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("when")),
        h("th", { scope: "col" }, t("who")),
        h("th", { scope: "col" }, t("why")),
        h("th", { scope: "col" }, t("what")))),
      h("tbody", {}, rows)));
}
