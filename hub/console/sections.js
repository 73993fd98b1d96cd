// The sections of the officer's worker page below the verdict: identity and next of kin,
// placements (placement company and employer contacts), BPJS coverage and claims, the
// consular record, cases, and the sources with their freshness. Pure renderers of the
// worker the hub returned; every code is shown in words (i18n.js), never raw.

import { errorsAt } from "./api.js";
import { facts, h, table } from "./dom.js";
import { countryName, formatDate, t } from "./i18n.js";
import { caseItem } from "./cases.js";

export function phoneLink(number) {
  return number ? h("a", { href: `tel:${number.replace(/[^+0-9]/g, "")}` }, number) : null;
}

function yesNo(value) {
  if (value === null || value === undefined) return t("unknownValue");
  return value ? t("yes") : t("no");
}

function period(start, end) {
  return `${formatDate(start)} – ${formatDate(end)}`;
}

export function identity(worker, errors) {
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

export function placements(worker) {
  if (!worker.placements.length) return h("p", {}, t("noPlacement"));
  return h(
    "div",
    {},
    worker.placements.map((p) =>
      h(
        "article",
        { class: "placement" },
        h("h4", {}, `${countryName(p.destinationCountry)} · ${t(p.status)}`),
        facts([
          [t("placementId"), p.placementId],
          [t("occupation"), p.occupation],
          [t("period"), period(p.contractStart, p.contractEnd)],
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
                [t("address"),
                  [p.employer.city, countryName(p.employer.country)].filter(Boolean).join(", ")],
                [t("phone"), phoneLink(p.employer.phone)],
              ]))
          : null,
      ),
    ),
  );
}

export function social(worker) {
  const s = worker.socialSecurity;
  const active = s.coverages.filter((c) => c.active && ["JKK", "JKM"].includes(c.program));
  const claimable = [...new Set(active.map((c) => c.program))].map((p) => t(p));
  const headings = [t("coverage"), t("phase"), t("coveragePeriod"), t("state")];
  const rows = s.coverages.map((c) => ({
    cells: [t(c.program), t(c.phase), period(c.start, c.end), c.active ? t("active") : t("ended")],
  }));
  return h(
    "div",
    {},
    facts([["KPJ", s.kpj]]),
    h("p", { class: claimable.length ? "complete" : "incomplete", id: "family-claim" },
      claimable.length
        ? t("familyCanClaim", { programs: claimable.join(", ") })
        : t("familyCannotClaim")),
    table({ id: "coverages" }, headings, rows),
    h("h4", {}, t("claims")),
    s.claims.length
      ? h("ul", {}, s.claims.map((c) =>
          h("li", {}, `${t(c.program)} · ${t(c.status)} · ${formatDate(c.submittedOn)}`
            + (c.amount ? ` · Rp${c.amount.toLocaleString("id-ID")}` : ""))))
      : h("p", {}, t("noClaims")),
  );
}

export function consular(worker) {
  const c = worker.consular;
  return facts([
    [t("reported"), c.reported ? `${t("yes")} · ${formatDate(c.reportedOn)}` : t("notReported")],
    [t("mission"), c.mission ? `${c.mission.name} (${c.mission.city})` : null],
    [t("missionPhone"), phoneLink(c.mission?.phone)],
    [t("address"), c.addressAbroad],
    [t("lastContact"), c.lastContactOn ? formatDate(c.lastContactOn) : null],
  ]);
}

export function cases(worker, actions) {
  const list = h("ul", { id: "cases-list", class: "cases" });
  if (worker.cases.length) list.append(...worker.cases.map((c) => caseItem(c, actions)));
  else list.append(h("li", { class: "empty" }, t("noCases")));
  return list;
}

/** The agencies that did not answer (the ones the token may see), by name. */
export function failedSources(worker) {
  return (worker.sources || [])
    .filter((s) => s.state === "UNAVAILABLE" || s.state === "DENIED")
    .map((s) => t(s.agency));
}

export function sources(worker) {
  const headings = [t("sourceAgency"), t("state"), t("fetchedAt")];
  const rows = worker.sources.map((s) => ({
    attrs: { class: `source-${s.state}` },
    cells: [t(s.agency), t(s.state), s.fetchedAt ? formatDate(s.fetchedAt, true) : "—"],
  }));
  return h(
    "section",
    { id: "section-sources", class: "card", "aria-labelledby": "section-sources-h" },
    h("h3", { id: "section-sources-h" }, t("sources")),
    table({ id: "sources-table" }, headings, rows, { rowHeadings: true }),
  );
}
