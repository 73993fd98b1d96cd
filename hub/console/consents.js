// The worker's consents to partner organisations (a ``self`` token): the ones given, each
// with its receipt (the exact text, printable) and a revoke button; and a form that shows
// the exact text for the chosen terms before the worker agrees (its hash is what the hub
// records). Indonesian first; nothing here is stored in the browser.

import { errorText, graphql } from "./api.js";
import { fill, h, table } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { CONSENT_TEXT, GRANT, MY_CONSENTS, REVOKE } from "./queries.js";

const PURPOSES = {
  CASE_ASSISTANCE: ["identity", "placement", "consular", "case", "contact"],
  CLAIM_ASSISTANCE: ["identity", "social_security", "case"],
  LEGAL_AID: ["identity", "placement", "social_security", "consular", "case", "contact"],
  REPATRIATION_SUPPORT: ["identity", "consular", "case", "contact"],
  REINTEGRATION: ["identity", "placement"],
};

export class ConsentsCard {
  constructor(container, { announce }) {
    this.container = container;
    this.announce = announce;
    this.consents = [];
    this.problem = "";
    this.shown = null; // the receipt on screen
    this.loaded = false; // the form appears once the consents are read (no input lost)
  }

  async load() {
    const { data, errors } = await graphql(MY_CONSENTS);
    this.consents = data?.consents || [];
    this.problem = errors.length ? errors.map(errorText).join(" — ") : "";
    this.loaded = true;
    this.render();
  }

  render() {
    if (!this.loaded) {
      return fill(this.container, h("h2", { id: "consents-h" }, t("consentsTitle")),
        h("p", { class: "status", role: "status" }, t("loading")));
    }
    fill(
      this.container,
      h("h2", { id: "consents-h" }, t("consentsTitle")),
      h("p", { class: "hint" }, t("consentsIntro")),
      this.problem ? h("p", { class: "problem", role: "alert" }, this.problem) : null,
      this.consents.length ? this.list() : h("p", {}, t("noConsents")),
      this.shown ? receipt(this.shown) : null,
      this.form(),
    );
  }

  list() {
    const headings = [t("organisation"), t("consentPurpose"), t("categories"), t("validUntil"),
      t("status"), ""];
    const rows = this.consents.map((c) => ({
      attrs: { class: `consent consent-${c.status}`, "data-consent": c.id },
      cells: [
        c.organisationName,
        t(c.purpose),
        c.categories.map((x) => t(`${x}Cat`)).join(", ") + (c.includeNextOfKin ? ` + ${t("contactCat")}` : ""),
        formatDate(c.validUntil),
        t(c.status),
        h("div", { class: "row" },
          h("button", { type: "button", class: "secondary receipt-button",
            onclick: () => { this.shown = c; this.render(); document.getElementById("receipt-h")?.focus(); } },
          t("receipt")),
          c.status === "ACTIVE"
            ? h("button", { type: "button", class: "revoke-button",
              onclick: () => this.revoke(c) }, t("revoke"))
            : null),
      ],
    }));
    return table({ id: "consents-list" }, headings, rows);
  }

  async revoke(consent) {
    const { data, errors } = await graphql(REVOKE, { id: consent.id });
    if (errors.length) {
      this.problem = errors.map(errorText).join(" — ");
    } else {
      this.problem = "";
      this.announce(t("revoked"));
      this.shown = data.revokeConsent;
    }
    await this.load();
  }

  form() {
    const purpose = h("select", { id: "consent-purpose", name: "purpose" },
      Object.keys(PURPOSES).map((p) => h("option", { value: p }, t(p))));
    const boxes = h("fieldset", { id: "consent-categories", class: "choices" });
    const drawBoxes = () => fill(boxes, h("legend", {}, t("categories")),
      PURPOSES[purpose.value].map((c) => h("div", { class: "check" },
        h("input", { type: "checkbox", id: `cat-${c}`, name: "category", value: c,
          checked: c !== "contact" }),
        h("label", { for: `cat-${c}` }, t(`${c}Cat`)))));
    purpose.addEventListener("change", drawBoxes);
    drawBoxes();
    const org = h("input", { id: "consent-org", name: "organisation", autocomplete: "off",
      "aria-describedby": "consent-org-hint", maxlength: "20" });
    const days = h("input", { id: "consent-days", name: "days", type: "number", min: "1",
      max: "90", value: "90" });
    const kin = h("input", { type: "checkbox", id: "consent-kin", name: "kin" });
    const text = h("div", { id: "consent-text", "aria-live": "polite" });
    const terms = () => ({
      organisation: org.value.trim(),
      purpose: purpose.value,
      categories: [...boxes.querySelectorAll("input:checked")].map((b) => b.value),
      days: Number(days.value) || 0,
      includeNextOfKin: kin.checked,
    });
    const show = async () => {
      const input = terms();
      const { data, errors } = await graphql(CONSENT_TEXT, { input });
      if (errors.length) {
        return fill(text, h("p", { class: "problem", role: "alert" }, errors.map(errorText).join(" — ")));
      }
      const words = data.consentText;
      fill(text,
        h("blockquote", { id: "consent-words" }, h("p", { lang: "id" }, words.textId),
          h("p", { lang: "en" }, words.textEn)),
        h("button", { type: "button", id: "consent-agree", onclick: () => this.grant(input, text) },
          t("agree")));
      document.getElementById("consent-agree")?.focus();
    };
    return h("form", { id: "consent-form", onsubmit: (e) => { e.preventDefault(); show(); } },
      h("label", { for: "consent-org" }, t("organisation")), org,
      h("p", { class: "hint", id: "consent-org-hint" }, t("organisationHint")),
      h("label", { for: "consent-purpose" }, t("consentPurpose")), purpose,
      boxes,
      h("div", { class: "check" }, kin, h("label", { for: "consent-kin" }, t("includeNextOfKin"))),
      h("label", { for: "consent-days" }, t("days")), days,
      h("p", {}, h("button", { type: "submit", id: "consent-show" }, t("showText"))),
      text);
  }

  async grant(input, text) {
    const { data, errors } = await graphql(GRANT, { input });
    if (errors.length) {
      return fill(text, h("p", { class: "problem", role: "alert" }, errors.map(errorText).join(" — ")));
    }
    this.shown = data.grantConsent;
    this.announce(t("consentGiven"));
    await this.load();
  }
}

/** The printable receipt: the exact text in both languages, the terms and the text's hash. */
function receipt(c) {
  return h("section", { id: "receipt", class: "receipt", "aria-labelledby": "receipt-h" },
    h("h3", { id: "receipt-h", tabindex: "-1" }, `${t("receipt")} ${c.id} (${t(c.status)})`),
    h("p", { lang: "id" }, c.receipt.textId),
    h("p", { lang: "en" }, c.receipt.textEn),
    h("p", { class: "hint" }, `${t("textHash")}: `, h("code", { id: "receipt-hash" }, c.receipt.textHash)),
    h("button", { type: "button", id: "print-receipt", class: "secondary",
      onclick: () => window.print() }, t("printReceipt")));
}
