// Cases: the "open a case" form on the worker page, one case as a list item, and the live
// feed of case events (Subscription.caseEvents) that every signed-in officer sees at once.

import { errorText, graphql } from "./api.js";
import { fill, h } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { CASE_EVENTS, OPEN_CASE, UPDATE_CASE } from "./queries.js";

const KINDS = [
  "DETENTION", "DEATH", "ILLNESS", "ACCIDENT", "ABUSE", "WAGE_DISPUTE", "TRAFFICKING",
  "UNDOCUMENTED", "REPATRIATION", "MISSING", "OTHER",
];
const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];
// The hub's lifecycle (hub/cases/lifecycle.py); the hub refuses anything else anyway.
const NEXT = { OPEN: ["IN_PROGRESS", "CLOSED"], IN_PROGRESS: ["CLOSED"], CLOSED: ["OPEN"] };

/** One case as a list item; with ``actions`` ({announce, onChanged}), a hub case also gets
 * the form that changes its status (the missions' own cases are theirs to change). */
export function caseItem(c, actions = null) {
  const item = h(
    "li",
    { class: `case severity-${c.severity}`, dataset: { caseId: c.id } },
    h("strong", {}, `${t(c.kind)} · ${t(c.severity)} · ${t(c.status)}`),
    h("span", { class: "case-meta" },
      ` ${c.id} · ${formatDate(c.openedAt, true)}${c.mission ? ` · ${c.mission.code}` : ""}`),
    h("p", {}, c.summary),
  );
  if (actions && c.source === "HUB" && NEXT[c.status]) item.append(statusForm(c, actions));
  return item;
}

function statusForm(c, { announce, onChanged }) {
  const status = h("select", { id: `status-${c.id}`, name: "status" },
    NEXT[c.status].map((v) => h("option", { value: v }, t(v))));
  const note = h("input", {
    id: `note-${c.id}`, name: "note", required: true, maxlength: 2000, autocomplete: "off",
  });
  const problem = h("p", { class: "problem", role: "alert" });
  const form = h(
    "form",
    { class: "case-status", onsubmit: submit },
    h("label", { for: status.id }, t("newStatus")), status,
    h("label", { for: note.id }, t("statusNote")), note,
    problem,
    h("button", { type: "submit" }, t("changeStatus")),
  );
  async function submit(event) {
    event.preventDefault();
    problem.textContent = "";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const variables = { id: c.id, status: status.value, note: note.value.trim() };
      const { data, errors } = await graphql(UPDATE_CASE, variables);
      const changed = data?.updateCaseStatus;
      if (!changed) {
        problem.textContent = errors.map(errorText).join(" — ") || t("failed");
        return;
      }
      announce(t("caseUpdated", { id: changed.id, status: t(changed.status) }));
      onChanged(changed);
    } finally {
      button.disabled = false;
    }
  }
  return form;
}

function select(id, name, values) {
  return h("select", { id, name, required: true }, values.map((v) => h("option", { value: v }, t(v))));
}

/** The open-case form for ``worker``; ``onOpened(case)`` when the hub has opened it. */
export function renderOpenCase(worker, { announce, onOpened }) {
  const mission = worker.consular?.mission?.code || "";
  const summary = h("textarea", {
    id: "case-summary", name: "summary", required: true, maxlength: 2000, rows: 3,
  });
  const missionInput = h("input", {
    id: "case-mission", name: "mission", maxlength: 10, value: mission, autocomplete: "off",
  });
  const problem = h("p", { class: "problem", role: "alert" });
  const kind = select("case-kind", "kind", KINDS);
  const severity = select("case-severity", "severity", SEVERITIES);
  severity.value = "HIGH";
  const form = h(
    "form",
    { id: "open-case", class: "open-case", onsubmit: submit },
    h("label", { for: "case-kind" }, t("kind")), kind,
    h("label", { for: "case-severity" }, t("severity")), severity,
    h("label", { for: "case-summary" }, t("summary")), summary,
    h("label", { for: "case-mission" }, t("missionCode")), missionInput,
    problem,
    h("button", { type: "submit" }, t("submitCase")),
  );
  async function submit(event) {
    event.preventDefault();
    problem.textContent = "";
    const input = {
      workerId: worker.id,
      kind: kind.value,
      severity: severity.value,
      summary: summary.value.trim(),
    };
    const code = missionInput.value.trim().toUpperCase();
    if (code) input.missionCode = code;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const { data, errors } = await graphql(OPEN_CASE, { input });
      if (!data?.openCase) {
        problem.textContent = errors.map(errorText).join(" — ") || t("failed");
        return;
      }
      summary.value = "";
      form.hidden = true;
      announce(t("caseOpened", { id: data.openCase.id }));
      onOpened(data.openCase);
    } finally {
      button.disabled = false;
    }
  }
  return form;
}

/** The live feed panel: subscribes once, keeps the latest events, tells ``onCase`` each. */
export class LiveCases {
  constructor(container, live, { announce, onCase }) {
    this.container = container;
    this.live = live;
    this.announce = announce;
    this.onCase = onCase;
    this.events = [];
    this.connected = false;
    this.problem = "";
  }

  start() {
    this.unsubscribe = this.live.subscribe(
      CASE_EVENTS,
      {},
      (data) => this.received(data.caseEvents),
      (errors) => {
        this.problem = errors.map(errorText).join(" — ");
        this.render();
      },
    );
    this.render();
  }

  status(connected) {
    this.connected = connected;
    this.render();
  }

  received(event) {
    if (!event?.case) return;
    this.events = [event, ...this.events.filter((e) => e.case.id !== event.case.id)].slice(0, 20);
    this.render();
    const c = event.case;
    this.announce(t("caseEvent", { kind: t(c.kind), severity: t(c.severity), summary: c.summary }));
    this.onCase(c);
  }

  render() {
    const list = h("ul", { id: "live-cases", class: "cases" });
    if (this.events.length) list.append(...this.events.map((e) => caseItem(e.case)));
    else list.append(h("li", { class: "empty" }, t("liveNone")));
    fill(
      this.container,
      h("h2", { id: "live-h" }, t("liveCases")),
      h("p", { class: this.connected ? "live on" : "live off", id: "live-status" },
        this.connected ? t("liveOn") : t("liveOff")),
      this.problem ? h("p", { class: "problem" }, this.problem) : null,
      list,
    );
  }
}
