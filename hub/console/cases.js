// Cases: the "open a case" form on the worker page, one case as a list item, and the live
// feed of case events (Subscription.caseEvents) that every signed-in officer sees at once.

import { errorText, graphql } from "./api.js";
import { fill, h, keepingFocus } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { CASE_EVENTS, MISSIONS, OPEN_CASE, UPDATE_CASE } from "./queries.js";

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
    { class: `case severity-${c.severity}`, dataset: { caseId: c.id, status: c.status } },
    h("strong", {}, `${t(c.kind)} · ${t(c.severity)} · ${t(c.status)}`),
    h("span", { class: "case-meta" }, " ", h("span", { class: "nowrap" }, c.id),
      ` · ${formatDate(c.openedAt, true)}${c.mission ? ` · ${c.mission.name}` : ""}`),
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

let missions = null; // the missions' public directory, read once (Query.missions)

/** The missions, for the form's list and the worker's own page; [] when it cannot be read. */
export function loadMissions() {
  missions ??= graphql(MISSIONS).then(({ data }) => data?.missions || []);
  return missions;
}

/** The open cases of ``kind`` among ``cases``: opening another is likely a duplicate. */
function openOfKind(cases, kind) {
  return (cases || []).filter((c) => c.kind === kind && c.status !== "CLOSED");
}

/** The open-case form for ``worker``; ``onOpened(case)`` when the hub has opened it. A case
 * of a kind already open for the worker asks the officer to confirm it is another incident. */
export function renderOpenCase(worker, { announce, onOpened, cases = () => worker.cases }) {
  const mission = worker.consular?.mission?.code || "";
  const summary = h("textarea", {
    id: "case-summary", name: "summary", required: true, maxlength: 2000, rows: 3,
  });
  const missionSelect = h("select", { id: "case-mission", name: "mission" },
    h("option", { value: "" }, t("noMission")));
  loadMissions().then((list) => {
    missionSelect.append(...list.map((m) =>
      h("option", { value: m.code, selected: m.code === mission }, `${m.name} (${m.code})`)));
  });
  const problem = h("p", { class: "problem", role: "alert" });
  const kind = select("case-kind", "kind", KINDS);
  const severity = select("case-severity", "severity", SEVERITIES);
  severity.value = "HIGH";
  const duplicate = h("div", { id: "case-duplicate", class: "notice", hidden: true });
  kind.addEventListener("change", warn);
  const form = h(
    "form",
    { id: "open-case", class: "open-case", onsubmit: submit },
    h("label", { for: "case-kind" }, t("kind")), kind,
    duplicate,
    h("label", { for: "case-severity" }, t("severity")), severity,
    h("label", { for: "case-summary" }, t("summary")), summary,
    h("label", { for: "case-mission" }, t("missionCode")), missionSelect,
    problem,
    h("button", { type: "submit" }, t("submitCase")),
  );
  warn();

  function warn() {
    const open = openOfKind(cases(), kind.value);
    duplicate.hidden = open.length === 0;
    if (!open.length) return fill(duplicate);
    const first = open[0];
    const confirm = h("input", {
      type: "checkbox", id: "case-duplicate-confirm", name: "anotherIncident", required: true,
    });
    fill(duplicate,
      h("p", { role: "status" }, t("duplicateCase", {
        kind: t(first.kind), id: first.id, t: formatDate(first.openedAt, true),
      })),
      h("div", { class: "check" }, confirm,
        h("label", { for: "case-duplicate-confirm" }, t("duplicateConfirm"))));
  }

  async function submit(event) {
    event.preventDefault();
    problem.textContent = "";
    const input = {
      workerId: worker.id,
      kind: kind.value,
      severity: severity.value,
      summary: summary.value.trim(),
    };
    if (missionSelect.value) input.missionCode = missionSelect.value;
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
      form.closest(".actions")?.querySelector("[aria-controls=open-case]")
        ?.setAttribute("aria-expanded", "false");
      announce(t("caseOpened", { id: data.openCase.id }));
      onOpened(data.openCase);
      warn();
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

  /** Drawn again on every event: what had the focus in the panel (its heading, after the
   * header's jump) keeps it, or a keyboard or screen-reader user would lose their place. */
  render() {
    const list = h("ul", { id: "live-cases", class: "cases" });
    if (this.events.length) list.append(...this.events.map((e) => caseItem(e.case)));
    else list.append(h("li", { class: "empty" }, t("liveNone")));
    keepingFocus(this.container, () => fill(
      this.container,
      h("h2", { id: "live-h", tabindex: "-1" }, t("liveCases")),
      h("p", { class: this.connected ? "live on" : "live off", id: "live-status" },
        this.connected ? t("liveOn") : t("liveOff")),
      this.problem ? h("p", { class: "problem" }, this.problem) : null,
      list,
    ));
  }
}
