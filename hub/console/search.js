// One search box for a name, passport, NIK, KPJ or ID PMI, all answered by searchWorkers
// (ranked; names tolerate typos and variant spellings; identifiers match exactly). A hub
// worker id (wk_…) opens that worker's record directly.
// Each result shows what tells two people of one name apart: the protection level (colour
// and word), birth date, the newest passport's last four characters, the placement's country
// and employer city, the mission, the agencies that know the person and why they matched.
// "More results" pages on through the cursor. Tab or the arrow keys move between results.

import { errorText, graphql } from "./api.js";
import { fill, h } from "./dom.js";
import { countryName, formatDate, t } from "./i18n.js";
import { byIdQuery, searchQuery } from "./queries.js";

const PAGE = 20;
let last = { text: "", rows: null, errors: [], next: null };

function current(node) {
  const placements = node.placements || [];
  return placements.length ? placements[placements.length - 1] : null;
}

/** Errors of the whole search (not of one result's section, which its row shows as absent). */
function searchErrors(errors) {
  return errors.filter((e) => (e.path || []).length <= 1);
}

async function find(text, scopes, after = null) {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  if (/^WK_[0-9A-F]{20}$/.test(compact)) {
    const { data, errors } = await graphql(byIdQuery(scopes), { id: compact.toLowerCase() });
    const rows = data?.worker ? [{ score: 1, matchedOn: [], node: data.worker }] : [];
    return { rows, errors: searchErrors(errors), next: null };
  }
  const { data, errors } = await graphql(searchQuery(scopes), { q: text.trim(), first: PAGE, after });
  const found = data?.searchWorkers;
  const next = found?.pageInfo?.hasNextPage ? found.pageInfo.endCursor : null;
  return { rows: found?.edges || [], errors: searchErrors(errors), next };
}

export function renderSearch(container, { scopes, onOpen, onSearch = () => {} }) {
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
  const same = h("p", { id: "same-name", class: "same-name", hidden: true });
  const list = h("ol", { id: "results", class: "results", "aria-label": t("results") });
  const more = h("button", { type: "button", id: "more-results", class: "secondary", hidden: true },
    t("moreResults"));
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
  more.addEventListener("click", async () => {
    more.disabled = true;
    const before = last.rows.length;
    const { rows, errors, next } = await find(last.text, scopes, last.next);
    last = { ...last, rows: [...last.rows, ...rows], errors, next };
    show();
    more.disabled = false;
    list.querySelectorAll("a")[before]?.focus(); // the first new result
  });
  fill(container, form, status, same, list, more);
  if (last.rows) show();

  async function submit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    onSearch();
    status.textContent = t("searching");
    const { rows, errors, next } = await find(text, scopes);
    last = { text, rows, errors, next };
    show();
  }

  function show() {
    const { rows, errors, next } = last;
    fill(list);
    const problems = errors.map(errorText);
    const count = rows.length ? t("resultCount", { n: rows.length }) : t("noResults");
    status.textContent = [count, ...problems].join(" — ");
    const names = new Map();
    for (const { node } of rows) {
      const name = (node.identity?.fullName || "").toUpperCase();
      names.set(name, (names.get(name) || 0) + 1);
    }
    for (const row of rows) list.append(h("li", {}, resultLink(row, onOpen)));
    more.hidden = !next;
    const groups = [...names].filter(([name, n]) => name && n > 1);
    same.hidden = groups.length === 0;
    same.textContent = groups.map(([name, n]) => t("sameName", { n, name })).join(" ");
  }
  return input;
}

function resultLink({ score, matchedOn, node }, onOpen) {
  const identity = node.identity || {};
  const level = node.protection?.level;
  const placement = current(node);
  const where = placement
    ? [countryName(placement.destinationCountry), placement.employer?.city].filter(Boolean)
    : [];
  const mission = node.consular?.mission;
  const agencies = [...new Set((identity.links || []).map((l) => t(l.agency)))].sort();
  return h(
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
    h("span", { class: "result-head" },
      level ? h("span", { class: `level-tag level-${level}` }, t(`lv${level}`)) : null,
      h("span", { class: "result-name" }, identity.fullName || node.id),
      h("span", { class: "score" }, `${t("score")} ${Math.round(score * 100)}%`)),
    h("span", { class: "result-meta" },
      h("span", { class: "born" }, t("born", { d: formatDate(identity.birthDate) })),
      identity.passportLast4
        ? h("span", { class: "passport" }, t("passportEnd", { d: identity.passportLast4 }))
        : null,
      where.length ? h("span", { class: "where" }, where.join(" · ")) : null,
      mission ? h("span", { class: "mission" }, mission.name) : null),
    agencies.length
      ? h("span", { class: "result-sub" }, `${t("knownTo")}: ${agencies.join(", ")}`)
      : null,
    matchedOn?.length
      ? h("span", { class: "result-sub why" },
          `${t("matchedOn")}: ${matchedOn.map((m) => t(`m${m}`)).join(", ")}`)
      : null,
  );
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
