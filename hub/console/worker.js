// The officer's worker page, in the order an emergency needs it: the protection verdict, its
// completeness and the actions (open a case, print for the case file) on the first screen,
// then the findings, identity and next of kin, placement, BPJS, consular record, cases and
// the sources. A section the officer's role may not see says so and offers break-glass.
// The page tells the truth live: a case event for this worker (from the live feed or this
// page) re-reads the worker and replaces the verdict and the sections in place.

import { currentPurpose, errorsAt, errorText, graphql } from "./api.js";
import { fill, h, keepingFocus } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { BREAK_GLASS, WORKER } from "./queries.js";
import { renderOpenCase } from "./cases.js";
import * as render from "./sections.js";

const SECTIONS = ["protection", "identity", "placements", "socialSecurity", "consular", "cases"];

export class WorkerPage {
  constructor(container, { scopes, who, announce, onBack }) {
    this.container = container;
    this.scopes = scopes;
    this.who = who;
    this.announce = announce;
    this.onBack = onBack;
    this.workerId = null;
    this.result = null;
    this.notice = null;
    this.reads = 0; // the latest read wins when events come quickly
  }

  async load(workerId) {
    this.workerId = workerId;
    fill(this.container, h("p", { class: "status", role: "status" }, t("loading")));
    const read = ++this.reads;
    const { data, errors } = await graphql(WORKER, { id: workerId });
    if (this.workerId !== workerId || read !== this.reads) return; // another read meanwhile
    this.result = { worker: data?.worker ?? null, errors };
    this.render();
  }

  /** Read the worker again and replace the sections in place (focus and an open form stay). */
  async refresh() {
    const workerId = this.workerId;
    const read = ++this.reads;
    const before = this.result?.worker?.protection?.level;
    const { data, errors } = await graphql(WORKER, { id: workerId });
    if (this.workerId !== workerId || read !== this.reads || !data?.worker) return;
    this.result = { worker: data.worker, errors };
    this.update();
    const after = data.worker.protection?.level;
    if (after && after !== before) this.announce(t("updatedLive", { level: t(`lv${after}`) }));
  }

  /** A case event: this worker's is shown at once, then the verdict is read again. */
  caseEvent(item) {
    const worker = this.result?.worker;
    if (!worker || item.workerId !== worker.id) return;
    if (worker.cases) {
      worker.cases = [item, ...worker.cases.filter((c) => c.id !== item.id)];
      const old = this.container.querySelector("#section-cases");
      if (old) {
        const fresh = this.casesSection(worker, this.result.errors);
        keepingFocus(old, () => old.replaceWith(keepUnchanged(old, fresh)));
      }
    }
    this.refresh();
  }

  /** What a case in the list may do: officers holding case:write change a hub case's status. */
  caseActions() {
    if (!this.scopes.includes("case:write")) return null;
    return { announce: this.announce, onChanged: (item) => this.caseEvent(item) };
  }

  render() {
    const { worker, errors } = this.result || {};
    const back = h("button", { type: "button", class: "link back", onclick: this.onBack }, t("back"));
    if (!worker) {
      const problems = (errors || []).map(errorText);
      fill(this.container, back, h("p", { role: "alert" }, problems.join(" — ") || t("notFound")));
      return;
    }
    const name = worker.identity?.fullName || worker.id;
    fill(
      this.container,
      h("p", { class: "print-only", id: "print-meta" }),
      back,
      h("h2", { id: "worker-name", tabindex: "-1" }, name),
      this.notice ? h("p", { class: "notice", role: "status" }, this.notice) : null,
      ...this.sections(worker, errors),
    );
  }

  sections(worker, errors) {
    return [
      this.verdict(worker, errors),
      this.section("identity", t("identity"), worker, errors, () => render.identity(worker, errors)),
      this.section("placements", t("placement"), worker, errors, () => render.placements(worker)),
      this.section("socialSecurity", t("bpjs"), worker, errors, () => render.social(worker)),
      this.section("consular", t("consular"), worker, errors, () => render.consular(worker)),
      this.casesSection(worker, errors),
      render.sources(worker),
    ];
  }

  casesSection(worker, errors) {
    return this.section("cases", t("cases"), worker, errors, () =>
      render.cases(worker, this.caseActions()));
  }

  update() {
    const { worker, errors } = this.result;
    for (const fresh of this.sections(worker, errors)) {
      const old = this.container.querySelector(`#${fresh.id}`);
      if (!old) continue;
      keepingFocus(old, () => {
        const kept = old.querySelector(".actions"); // an open case form keeps what was typed
        if (kept) fresh.querySelector(".actions")?.replaceWith(kept);
        old.replaceWith(keepUnchanged(old, fresh));
      });
    }
  }

  verdict(worker, errors) {
    const box = this.section("protection", t("verdict"), worker, errors, () =>
      this.protection(worker));
    const actions = h("div", { class: "actions" });
    const row = h("div", { class: "row" });
    actions.append(row);
    if (this.scopes.includes("case:write")) {
      const form = renderOpenCase(worker, {
        announce: this.announce,
        onOpened: (item) => this.caseEvent({ ...item, workerId: worker.id }),
        cases: () => this.result?.worker?.cases,
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
      row.append(toggle);
      actions.append(form);
    }
    row.append(h("button", { type: "button", id: "print", class: "secondary", onclick: () => this.print() },
      t("printPage")));
    const findings = box.querySelector(".findings-block");
    if (findings) findings.before(actions);
    else box.append(actions);
    return box;
  }

  protection(worker) {
    const p = worker.protection;
    const failed = render.failedSources(worker);
    const names = failed.join(", ");
    let text = t("complete");
    if (!p.complete) text = failed.length ? t("incompleteNamed", { agencies: names }) : t("incomplete");
    else if (failed.length) text = t("completeButMissing", { agencies: names });
    const whole = p.complete && !failed.length;
    const retry = whole ? null : h("button", {
      type: "button", class: "secondary", id: "retry", onclick: () => this.refresh(),
    }, t("retry"));
    return h(
      "div",
      {},
      h("p", { class: `level level-${p.level}`, id: "verdict-level" },
        h("strong", {}, t(`lv${p.level}`)), " · ", `${t("phase")}: ${t(p.phase)}`),
      h("p", { class: whole ? "complete" : "incomplete", id: "completeness" }, text, " ", retry),
      h("div", { class: "findings-block" },
        h("h4", {}, t("findings")),
        p.findings.length
          ? h("ul", { class: "findings" }, p.findings.map(finding))
          : h("p", {}, t("noFindings"))),
    );
  }

  print() {
    const meta = this.container.querySelector("#print-meta");
    if (meta) {
      meta.textContent = t("printedBy", {
        t: formatDate(new Date().toISOString(), true), who: this.who, purpose: t(currentPurpose()),
      });
    }
    window.print();
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

/** ``fresh`` with the case items of ``old`` whose status did not change put back, so a note
 * being typed into a case's status form survives a re-read of the worker. */
function keepUnchanged(old, fresh) {
  for (const item of fresh.querySelectorAll("li[data-case-id]")) {
    const before = old.querySelector(`li[data-case-id="${CSS.escape(item.dataset.caseId)}"]`);
    if (before && before.dataset.status === item.dataset.status) item.replaceWith(before);
  }
  return fresh;
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

export { SECTIONS };
