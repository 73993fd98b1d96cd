// The protection alerts beside the crisis page: the latest of the officer's mission
// (Query.protectionAlerts; a token bound to a mission reads that mission's only), then each
// new one as the hub raises it (Subscription.protectionAlerts over the console's one socket).
// An officer holding case:write acknowledges an alert with a note (Mutation.acknowledgeAlert).

import { errorText, graphql } from "./api.js";
import { fill, h } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { ACKNOWLEDGE_ALERT, ALERT_EVENTS, ALERT_LIST } from "./queries.js";

export class AlertsPanel {
  constructor(container, live, { scopes, announce }) {
    this.container = container;
    this.live = live;
    this.scopes = scopes;
    this.announce = announce;
    this.alerts = [];
    this.problem = "";
    this.started = false;
  }

  async start() {
    if (this.started) return this.render();
    this.started = true;
    this.live.subscribe(ALERT_EVENTS, {}, (data) => this.received(data.protectionAlerts, true),
      (errors) => {
        this.problem = errors.map(errorText).join(" — ");
        this.render();
      });
    this.render();
    const { data, errors } = await graphql(ALERT_LIST);
    if (data?.protectionAlerts) data.protectionAlerts.reverse().forEach((a) => this.received(a));
    else this.problem = errors.map(errorText).join(" — ");
    this.render();
  }

  received(alert, live = false) {
    if (!alert?.id) return;
    const known = this.alerts.some((a) => a.id === alert.id);
    this.alerts = known
      ? this.alerts.map((a) => (a.id === alert.id ? alert : a))
      : [alert, ...this.alerts].slice(0, 50);
    if (!live) return;
    this.render();
    this.announce(t("alertRaised", { level: t(`lv${alert.level}`) }));
  }

  render() {
    if (!this.container.isConnected) return;
    const list = h("ul", { id: "alerts-list", class: "alerts" });
    if (this.alerts.length) list.append(...this.alerts.map((a) => this.item(a)));
    else list.append(h("li", { class: "empty" }, t("alertsNone")));
    fill(this.container,
      h("h2", { id: "alerts-h", tabindex: "-1" }, t("alerts")),
      this.problem ? h("p", { class: "problem" }, this.problem) : null,
      list);
  }

  item(a) {
    const change = a.previousLevel
      ? `${t(`lv${a.previousLevel}`)} → ${t(`lv${a.level}`)}` : t(`lv${a.level}`);
    const item = h("li", { class: "alert-item", dataset: { alertId: a.id } },
      h("p", {}, h("span", { class: `level-tag level-${a.level}` }, t(`lv${a.level}`)), " ",
        h("a", { href: `#/worker/${a.workerId}` }, t("alertWorker"))),
      h("p", { class: "case-meta" }, `${change} · ${formatDate(a.raisedAt, true)}`,
        a.missionCode ? ` · ${a.missionCode}` : ""),
      a.newFindings.length
        ? h("p", { class: "codes" }, a.newFindings.map((c) => h("code", {}, c))) : null);
    if (a.acknowledgedAt) {
      item.append(h("p", { class: "acknowledged" },
        t("alertAcknowledged", { t: formatDate(a.acknowledgedAt, true) })));
    } else if (this.scopes.includes("case:write")) {
      item.append(this.acknowledgeForm(a));
    }
    return item;
  }

  acknowledgeForm(a) {
    const id = `ack-note-${a.id}`;
    const note = h("input", { id, name: "note", required: true, maxlength: 2000,
      autocomplete: "off" });
    const problem = h("p", { class: "problem", role: "alert" });
    const form = h("form", { class: "acknowledge", onsubmit: async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      const { data, errors } = await graphql(ACKNOWLEDGE_ALERT,
        { id: a.id, note: note.value.trim() });
      button.disabled = false;
      if (!data?.acknowledgeAlert) {
        problem.textContent = errors.map(errorText).join(" — ") || t("failed");
        return;
      }
      this.received(data.acknowledgeAlert);
      this.render();
      this.announce(t("alertAcknowledged", { t: formatDate(data.acknowledgeAlert.acknowledgedAt, true) }));
    } },
    h("label", { for: id }, t("alertNote")), note, problem,
    h("button", { type: "submit", class: "secondary" }, t("acknowledge")));
    return form;
  }
}
