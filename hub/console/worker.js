// The officer's worker page, in the order an emergency needs it: the protection verdict and
// its actions, identity and next of kin, placement (placement company and employer contacts),
// BPJS coverage and claims, consular record, cases, and the sources with their freshness.
// A section the officer's role may not see says so and offers break-glass access.

import { errorsAt, errorText, graphql } from "./api.js";
import { facts, fill, h } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { BREAK_GLASS, WORKER } from "./queries.js";
import { caseItem, renderOpenCase } from "./cases.js";

const SECTIONS = ["protection", "identity", "placements", "socialSecurity", "consular", "cases"];

export class WorkerPage {
  constructor(container, { scopes, announce, onBack }) {
    this.container = container;
    this.scopes = scopes;
    this.announce = announce;
    this.onBack = onBack;
    this.workerId = null;
    this.result = null;
    this.notice = null;
  }

  async load(workerId) {
    this.workerId = workerId;
    fill(this.container, h("p", { class: "status", role: "status" }, t("loading")));
    const { data, errors } = await graphql(WORKER, { id: workerId });
    if (this.workerId !== workerId) return; // another worker was opened meanwhile
    this.result = { worker: data?.worker ?? null, errors };
    this.render();
  }

  /** A case from the live feed: shown at once if it is this worker's. */
  caseEvent(item) {
    const worker = this.result?.worker;
    if (!worker || item.workerId !== worker.id) return;
    const cases = (worker.cases || []).filter((c) => c.id !== item.id);
    worker.cases = [item, ...cases];
    const list = this.container.querySelector("#cases-list");
    if (list) fill(list, ...worker.cases.map((c) => caseItem(c, this.caseActions())));
  }

  /** What a case in the list may do: officers holding case:write change a hub case's status. */
  caseActions() {
    if (!this.scopes.includes("case:write")) return null;
    return { announce: this.announce, onChanged: (item) => this.caseEvent(item) };
  }

  render() {
    const { worker, errors } = this.result || {};
    const back = h("button", { type: "button", class: "link", onclick: this.onBack }, t("back"));
    if (!worker) {
      const problems = (errors || []).map(errorText);
      fill(this.container, back, h("p", { role: "alert" }, problems.join(" — ") || t("notFound")));
      return;
    }
    const name = worker.identity?.fullName || worker.id;
    const heading = h("h2", { id: "worker-name", tabindex: "-1" }, name);
    fill(
      this.container,
      back,
      heading,
      this.notice ? h("p", { class: "notice", role: "status" }, this.notice) : null,
      this.verdict(worker, errors),
      this.section("identity", t("identity"), worker, errors, () => identity(worker, errors)),
      this.section("placements", t("placement"), worker, errors, () => placements(worker)),
      this.section("socialSecurity", t("bpjs"), worker, errors, () => social(worker)),
      this.section("consular", t("consular"), worker, errors, () => consular(worker)),
      this.section("cases", t("cases"), worker, errors, () => cases(worker, this.caseActions())),
      sources(worker),
    );
  }

  verdict(worker, errors) {
    const box = this.section("protection", t("verdict"), worker, errors, () =>
      protection(worker.protection),
    );
    const actions = h("div", { class: "actions" });
    if (this.scopes.includes("case:write")) {
      const form = renderOpenCase(worker, {
        announce: this.announce,
        onOpened: (item) => this.caseEvent({ ...item, workerId: worker.id }),
      });
      form.hidden = true;
      const toggle = h("button", {
        type: "button",
        "aria-expanded": "false",
        "aria-controls": "open-case",
        onclick: () => {
          form.hidden = !form.hidden;
          toggle.setAttribute("aria-expanded", String(!form.hidden));
          if (!form.hidden) form.querySelector("select").focus();
        },
      }, t("openCase"));
      actions.append(toggle, form);
    }
    box.append(actions);
    return box;
  }

  section(name, title, worker, errors, body) {
    const id = `section-${name}`;
    const box = h("section", { id, class: "card", "aria-labelledby": `${id}-h` });
    box.append(h("h3", { id: `${id}-h` }, title));
    const own = errorsAt(errors || [], ["worker", name]);
    const refused = own.find((e) => e.extensions?.code === "FORBIDDEN" && e.path.length === 2);
    if (worker[name] === null && refused) {
      box.classList.add("forbidden");
      box.append(h("p", {}, t("forbidden")));
      if (this.scopes.includes("emergency")) box.append(this.breakGlass());
      return box;
    }
    if (worker[name] === null) {
      box.append(h("p", { class: "problem" }, own.map(errorText).join(" — ") || t("UNAVAILABLE")));
      return box;
    }
    box.append(body());
    return box;
  }

  breakGlass() {
    const wrapper = h("div", { class: "break-glass" });
    const open = h("button", { type: "button", class: "danger" }, t("breakGlass"));
    open.addEventListener("click", () => {
      const reason = h("textarea", {
        id: "break-glass-reason",
        name: "reason",
        required: true,
        minlength: 20,
        maxlength: 500,
        rows: 3,
      });
      const problem = h("p", { class: "problem", role: "alert" });
      const form = h(
        "form",
        { class: "break-glass-form", onsubmit: submit },
        h("p", {}, t("breakGlassIntro")),
        h("label", { for: "break-glass-reason" }, t("reason")),
        reason,
        problem,
        h("div", { class: "row" },
          h("button", { type: "submit", class: "danger" }, t("openAccess")),
          h("button", { type: "button", onclick: () => fill(wrapper, open) }, t("cancel"))),
      );
      fill(wrapper, form);
      reason.focus();
      const page = this;
      async function submit(event) {
        event.preventDefault();
        const { data, errors } = await graphql(BREAK_GLASS, {
          id: page.workerId,
          reason: reason.value,
        });
        if (!data?.breakGlass) {
          problem.textContent = errors.map(errorText).join(" — ") || t("failed");
          return;
        }
        page.notice = t("grantOpened", { t: formatDate(data.breakGlass.expiresAt, true) });
        page.announce(page.notice);
        await page.load(page.workerId);
        page.container.querySelector("#worker-name")?.focus();
      }
    });
    wrapper.append(open);
    return wrapper;
  }
}

function protection(p) {
  const findings = p.findings.length
    ? h("ul", { class: "findings" }, p.findings.map(finding))
    : h("p", {}, t("noFindings"));
  return h(
    "div",
    {},
    h("p", { class: `level level-${p.level}`, id: "verdict-level" },
      h("strong", {}, t(`lv${p.level}`)), " · ", `${t("phase")}: ${t(p.phase)}`),
    h("p", { class: p.complete ? "complete" : "incomplete" },
      p.complete ? t("complete") : t("incomplete")),
    h("h4", {}, t("findings")),
    findings,
  );
}

export function finding(f) {
  const en = document.documentElement.lang === "en";
  const action = en ? f.actionEn : f.action;
  return h(
    "li",
    { class: `finding severity-${f.severity}`, dataset: { code: f.code } },
    h("span", { class: "badge" }, t(f.severity)),
    " ",
    h("span", { class: "message" }, en ? f.messageEn : f.message),
    action ? h("p", { class: "action" }, h("strong", {}, `${t("action")}: `), action) : null,
  );
}

function phoneLink(number) {
  return number ? h("a", { href: `tel:${number.replace(/[^+0-9]/g, "")}` }, number) : null;
}

function identity(worker, errors) {
  const id = worker.identity;
  const passports = id.passports.map(
    (p) => `${p.number}${p.expiresOn ? ` (${t("validUntil")} ${formatDate(p.expiresOn)})` : ""}`,
  );
  const origin = [id.originRegency, id.originProvince].filter(Boolean).join(", ");
  const kinRefused = errorsAt(errors, ["worker", "identity", "nextOfKin"]).length > 0;
  const kin = id.nextOfKin;
  return h(
    "div",
    {},
    facts([
      [t("fullName"), id.fullName],
      [t("otherNames"), id.otherNames.join(", ")],
      [t("nik"), id.nik],
      [t("birthDate"), formatDate(id.birthDate)],
      [t("sex"), id.sex ? t(id.sex) : null],
      [t("origin"), origin],
      [t("passports"), passports.join(", ")],
      [t("phone"), phoneLink(id.phone)],
    ]),
    h("h4", {}, t("nextOfKin")),
    kin
      ? facts([
          [t("name"), kin.relation ? `${kin.name} (${kin.relation})` : kin.name],
          [t("phone"), phoneLink(kin.phone)],
          [t("address"), kin.address],
        ])
      : h("p", {}, kinRefused ? t("forbidden") : t("unknownValue")),
  );
}

function yesNo(value) {
  if (value === null || value === undefined) return t("unknownValue");
  return value ? t("yes") : t("no");
}

function placements(worker) {
  if (!worker.placements.length) return h("p", {}, t("noPlacement"));
  return h(
    "div",
    {},
    worker.placements.map((p) =>
      h(
        "article",
        { class: "placement" },
        h("h4", {}, `${p.placementId} · ${t(p.status)} · ${p.destinationCountry}`),
        facts([
          [t("placement"), p.occupation],
          [t("contract"), `${formatDate(p.contractStart)} – ${formatDate(p.contractEnd)}`],
          [t("endorsed"), yesNo(p.contractEndorsed)],
          [t("orientation"), yesNo(p.orientationCompleted)],
        ]),
        p.agency
          ? h("div", { class: "contact" },
              h("h5", {}, t("agency")),
              facts([
                [t("name"), p.agency.name],
                [t("license"), `${p.agency.licenseNumber} · ${t(p.agency.licenseStatus)}`],
                [t("phone"), phoneLink(p.agency.phone)],
              ]))
          : null,
        p.employer
          ? h("div", { class: "contact" },
              h("h5", {}, t("employer")),
              facts([
                [t("name"), p.employer.name],
                [t("address"), [p.employer.city, p.employer.country].filter(Boolean).join(", ")],
                [t("phone"), phoneLink(p.employer.phone)],
              ]))
          : null,
      ),
    ),
  );
}

function social(worker) {
  const s = worker.socialSecurity;
  const active = s.coverages.filter((c) => c.active && ["JKK", "JKM"].includes(c.program));
  const claimable = [...new Set(active.map((c) => c.program))].map((p) => t(p));
  const rows = s.coverages.map((c) =>
    h("tr", {},
      h("td", {}, t(c.program)),
      h("td", {}, t(c.phase)),
      h("td", {}, `${formatDate(c.start)} – ${formatDate(c.end)}`),
      h("td", {}, c.active ? t("active") : t("ended"))),
  );
  return h(
    "div",
    {},
    facts([["KPJ", s.kpj]]),
    h("p", { class: claimable.length ? "complete" : "incomplete", id: "family-claim" },
      claimable.length
        ? t("familyCanClaim", { programs: claimable.join(", ") })
        : t("familyCannotClaim")),
    h("div", { class: "table-wrap" },
      h("table", {},
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("coverage")),
          h("th", { scope: "col" }, t("phase")),
          h("th", { scope: "col" }, t("contract")),
          h("th", { scope: "col" }, t("state")))),
        h("tbody", {}, rows))),
    h("h4", {}, t("claims")),
    s.claims.length
      ? h("ul", {}, s.claims.map((c) =>
          h("li", {}, `${t(c.program)} · ${t(c.status)} · ${formatDate(c.submittedOn)}`
            + (c.amount ? ` · Rp${c.amount.toLocaleString("id-ID")}` : ""))))
      : h("p", {}, t("noClaims")),
  );
}

function consular(worker) {
  const c = worker.consular;
  return facts([
    [t("reported"), c.reported ? `${t("yes")} · ${formatDate(c.reportedOn)}` : t("notReported")],
    [t("mission"), c.mission ? `${c.mission.name} (${c.mission.code})` : null],
    [t("address"), c.addressAbroad],
    [t("lastContact"), c.lastContactOn ? formatDate(c.lastContactOn) : null],
  ]);
}

function cases(worker, actions) {
  const list = h("ul", { id: "cases-list", class: "cases" });
  if (worker.cases.length) list.append(...worker.cases.map((c) => caseItem(c, actions)));
  else list.append(h("li", { class: "empty" }, t("noCases")));
  return list;
}

function sources(worker) {
  const rows = worker.sources.map((s) =>
    h("tr", { class: `source-${s.state}` },
      h("th", { scope: "row" }, t(s.agency)),
      h("td", {}, t(s.state)),
      h("td", {}, s.fetchedAt ? formatDate(s.fetchedAt, true) : "—")),
  );
  return h(
    "section",
    { id: "section-sources", class: "card", "aria-labelledby": "section-sources-h" },
    h("h3", { id: "section-sources-h" }, t("sources")),
    h("div", { class: "table-wrap" },
      h("table", {},
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("sourceAgency")),
          h("th", { scope: "col" }, t("state")),
          h("th", { scope: "col" }, t("fetchedAt")))),
        h("tbody", {}, rows))),
  );
}

export { SECTIONS };
