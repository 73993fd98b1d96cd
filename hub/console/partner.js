// The page of a partner organisation's case worker (a ``partner`` token): the workers who
// consented to the organisation, for one purpose at a time; a worker's data as far as the
// consent opens it (the hub masks the NIK and refuses the rest); the worker's cases, and a
// form to refer a new one to the mission. A revoked or expired consent shows the hub's
// CONSENT_REVOKED in words. There is no search: the hub gives a partner none.

import { errorText, graphql, setPurpose } from "./api.js";
import { facts, fill, h, table } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { PARTNER_CONSENTS, REFER, partnerWorkerQuery } from "./queries.js";

const PURPOSES = ["CASE_ASSISTANCE", "CLAIM_ASSISTANCE", "LEGAL_AID", "REPATRIATION_SUPPORT",
  "REINTEGRATION"];
const KINDS = ["WAGE_DISPUTE", "ABUSE", "ILLNESS", "ACCIDENT", "DETENTION", "TRAFFICKING",
  "UNDOCUMENTED", "REPATRIATION", "MISSING", "OTHER"];

export class PartnerPage {
  constructor(container, { announce }) {
    this.container = container;
    this.announce = announce;
    this.purpose = PURPOSES[0];
    this.consents = [];
    this.open = null; // {consent, result}
    this.problem = "";
  }

  async load() {
    setPurpose(this.purpose);
    const { data, errors } = await graphql(PARTNER_CONSENTS);
    this.consents = (data?.consents || []).filter((c) => c.status === "ACTIVE");
    this.problem = errors.map(errorText).join(" — ");
    this.render();
  }

  render() {
    if (this.open) return this.renderWorker();
    const choice = h("select", { id: "partner-purpose", name: "purpose" },
      PURPOSES.map((p) => h("option", { value: p, selected: p === this.purpose }, t(p))));
    choice.addEventListener("change", () => { this.purpose = choice.value; this.load(); });
    const mine = this.consents.filter((c) => c.purpose === this.purpose);
    const headings = [t("organisation"), t("categories"), t("validUntil"), ""];
    const rows = mine.map((c) => ({
      attrs: { "data-worker": c.workerId },
      cells: [c.organisationName, c.categories.map((x) => t(`${x}Cat`)).join(", "),
        formatDate(c.validUntil),
        h("button", { type: "button", class: "open-worker", onclick: () => this.show(c) },
          `${t("open")} ${c.workerId.slice(-6)}`)],
    }));
    fill(this.container,
      h("section", { id: "partner", class: "card", "aria-labelledby": "partner-h" },
        h("h2", { id: "partner-h" }, t("caseWorkerTitle")),
        h("p", { class: "hint" }, t("caseWorkerIntro")),
        h("label", { for: "partner-purpose" }, t("purpose")), choice,
        this.problem ? h("p", { class: "problem", role: "alert" }, this.problem) : null,
        rows.length ? table({ id: "consented" }, headings, rows) : h("p", {}, t("noConsented"))));
  }

  async show(consent) {
    setPurpose(consent.purpose);
    const result = await graphql(partnerWorkerQuery(consent.categories), { id: consent.workerId });
    this.open = { consent, result };
    this.render();
    document.getElementById("partner-worker-h")?.focus();
  }

  renderWorker() {
    const { consent, result } = this.open;
    const worker = result.data?.worker;
    const problems = result.errors.map(errorText);
    const identity = worker?.identity;
    const cases = worker?.cases || [];
    fill(this.container,
      h("section", { id: "partner-worker", class: "card", "aria-labelledby": "partner-worker-h" },
        h("h2", { id: "partner-worker-h", tabindex: "-1" },
          identity?.fullName || t("consentedWorker")),
        h("p", { class: "hint" }, `${t(consent.purpose)} — ${t("validUntil")} ${formatDate(consent.validUntil)}`),
        problems.length ? h("p", { class: "problem", role: "alert", id: "partner-problem" }, problems.join(" — ")) : null,
        identity ? facts([
          ["NIK", identity.nik],
          [t("birthDate"), identity.birthDate ? formatDate(identity.birthDate) : null],
          [t("passportEnd", { d: "" }).trim(), identity.passportLast4],
          [t("originRegency"), identity.originRegency],
        ]) : null,
        worker && consent.categories.includes("case") ? caseTable(cases) : null,
        worker && consent.categories.includes("case") ? this.referForm(consent) : null,
        h("p", {}, h("button", { type: "button", class: "secondary", id: "partner-back",
          onclick: () => { this.open = null; this.load(); } }, t("backToList")))));
  }

  referForm(consent) {
    const kind = h("select", { id: "refer-kind", name: "kind" },
      KINDS.map((k) => h("option", { value: k }, t(k))));
    const summary = h("textarea", { id: "refer-summary", name: "summary", rows: "3",
      maxlength: "2000", required: true });
    const outcome = h("p", { id: "refer-outcome", role: "status" });
    const submit = async (event) => {
      event.preventDefault();
      const { data, errors } = await graphql(REFER, {
        w: consent.workerId, c: consent.id, kind: kind.value, summary: summary.value,
      });
      if (errors.length) return fill(outcome, h("span", { class: "problem" }, errors.map(errorText).join(" — ")));
      this.announce(t("referred", { id: data.referCase.id }));
      await this.show(consent);
      fill(document.getElementById("refer-outcome"), t("referred", { id: data.referCase.id }));
    };
    return h("form", { id: "refer-form", onsubmit: submit },
      h("h3", {}, t("referCase")),
      h("label", { for: "refer-kind" }, t("caseKind")), kind,
      h("label", { for: "refer-summary" }, t("summary")), summary,
      h("p", {}, h("button", { type: "submit", id: "refer-submit" }, t("referCase"))),
      outcome);
  }
}

function caseTable(cases) {
  if (!cases.length) return null;
  const headings = ["ID", t("caseKind"), t("status"), t("accompaniedBy"), t("mission")];
  return table({ id: "partner-cases" }, headings, cases.map((c) => ({
    cells: [c.id, t(c.kind), t(c.status), c.accompaniedBy || "—", c.mission?.name || "—"],
  })));
}
