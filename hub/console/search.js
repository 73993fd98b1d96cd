// One search box for a name, passport, NIK, KPJ or ID PMI, all answered by searchWorkers
// (ranked; names tolerate typos and variant spellings; identifiers match exactly). A hub
// worker id (wk_…) opens that worker's record directly.
// The results are links: Tab or the arrow keys move between them, Enter opens one.

import { errorText, graphql } from "./api.js";
import { fill, h } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { BY_ID, SEARCH } from "./queries.js";

let last = { text: "", rows: null, errors: [] };

/** The NIK as a list shows it: region and last four digits only. */
export function maskNik(nik) {
  if (!nik || nik.length !== 16 || nik.includes("*")) return nik || "";
  return `${nik.slice(0, 4)}********${nik.slice(-4)}`;
}

function country(node) {
  const placements = node.placements || [];
  return placements.length ? placements[placements.length - 1].destinationCountry : "";
}

async function find(text) {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  if (/^WK_[0-9A-F]{20}$/.test(compact)) {
    const { data, errors } = await graphql(BY_ID, { id: compact.toLowerCase() });
    return { rows: data?.worker ? [{ score: 1, node: data.worker }] : [], errors };
  }
  const { data, errors } = await graphql(SEARCH, { q: text.trim(), first: 20 });
  return { rows: data?.searchWorkers?.edges || [], errors };
}

export function renderSearch(container, { onOpen }) {
  const input = h("input", {
    id: "search-input",
    type: "search",
    name: "q",
    required: true,
    maxlength: 200,
    autocomplete: "off",
    "aria-describedby": "search-hint",
    value: last.text,
  });
  const status = h("p", { id: "search-status", class: "status", role: "status" }); // live
  const list = h("ol", { id: "results", class: "results", "aria-label": t("results") });
  const form = h(
    "form",
    { class: "search", role: "search", onsubmit: submit },
    h("label", { for: "search-input" }, t("searchLabel")),
    h("div", { class: "row" }, input, h("button", { type: "submit" }, t("searchButton"))),
    h("p", { id: "search-hint", class: "hint" }, t("searchHint")),
  );
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && list.querySelector("a")) {
      event.preventDefault();
      list.querySelector("a").focus();
    }
  });
  list.addEventListener("keydown", (event) => moveFocus(event, list, input));
  fill(container, form, status, list);
  if (last.rows) show(last.rows, last.errors);

  async function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    status.textContent = t("searching");
    const { rows, errors } = await find(text);
    last = { text, rows, errors };
    show(rows, errors);
  }

  function show(rows, errors) {
    fill(list);
    const problems = errors.map(errorText);
    const count = rows.length ? t("resultCount", { n: rows.length }) : t("noResults");
    status.textContent = [count, ...problems].join(" — ");
    for (const { score, node } of rows) {
      const identity = node.identity || {};
      const link = h(
        "a",
        {
          href: `#/worker/${encodeURIComponent(node.id)}`,
          class: "result",
          dataset: { workerId: node.id },
          onclick: (event) => {
            event.preventDefault();
            onOpen(node.id);
          },
        },
        h("span", { class: "result-name" }, identity.fullName || node.id),
        h(
          "span",
          { class: "result-meta" },
          h("span", {}, `${t("nik")} ${maskNik(identity.nik)}`),
          h("span", {}, `${t("birthDate")} ${formatDate(identity.birthDate)}`),
          country(node) ? h("span", {}, `${t("country")} ${country(node)}`) : null,
          h("span", { class: "score" }, `${t("score")} ${Math.round(score * 100)}%`),
        ),
      );
      list.append(h("li", {}, link));
    }
  }
  return input;
}

function moveFocus(event, list, input) {
  const links = [...list.querySelectorAll("a")];
  const index = links.indexOf(document.activeElement);
  if (index < 0) return;
  if (event.key === "ArrowDown" && index < links.length - 1) links[index + 1].focus();
  else if (event.key === "ArrowUp") (index === 0 ? input : links[index - 1]).focus();
  else if (event.key === "Home") links[0].focus();
  else if (event.key === "End") links[links.length - 1].focus();
  else return;
  event.preventDefault();
}
