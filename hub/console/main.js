// The console's entry point: sign-in, the language switch, and which page to show:
// a ``self`` token gets the worker's own page, a ``partner`` token the case worker's page
// (partner.js); an officer gets search, the worker page,
// the open-case form and the live case feed, and with cohort:read the crisis page (#/crisis)
// with the protection alerts beside it in place of the case feed; with statistics:read the
// coverage statistics page (#/statistics, statistics.js). Routes are the URL fragment (#/worker/<id>),
// so Back works; the fragment holds only the hub's opaque worker id, never personal data.

import { currentPurpose, graphql, SessionEnded, setPurpose } from "./api.js";
import {
  beginSignIn, completeSignIn, isCallback, session, signOut, signOutLocally,
} from "./auth.js";
import { AlertsPanel } from "./alerts.js";
import { LiveCases } from "./cases.js";
import { CrisisPage } from "./crisis.js";
import { fill, h } from "./dom.js";
import { LiveClient } from "./live.js";
import { lang, setLang, t } from "./i18n.js";
import { ME } from "./queries.js";
import { PartnerPage } from "./partner.js";
import { renderSearch } from "./search.js";
import { SelfPage } from "./self.js";
import { StatisticsPage } from "./statistics.js";
import { WorkerPage } from "./worker.js";

const PURPOSE_KEY = "pmihub.console.purpose";
const OFFICER_PURPOSES = ["EMERGENCY", "CASE_HANDLING", "CLAIM_PROCESSING", "PLACEMENT_VERIFICATION"];
const main = document.getElementById("main");
const app = {
  me: null, worker: null, self: null, live: null, feed: null, unseen: 0, changingPurpose: false,
  crisis: null, alerts: null, statistics: null,
};

function crisisRoute() {
  return location.hash === "#/crisis" && app.me.scopes.includes("cohort:read");
}

function statisticsRoute() {
  return location.hash === "#/statistics" && app.me.scopes.includes("statistics:read");
}

function announce(text) {
  const region = document.getElementById("announcer");
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
}

function renderChrome() {
  document.title = t("title");
  document.getElementById("title").textContent = t("title");
  document.getElementById("skip").textContent = t("skip");
  document.getElementById("lang-label").textContent = t("language");
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang()));
  }
  const account = document.getElementById("account");
  if (!app.me) return fill(account);
  const officer = !app.me.scopes.includes("self") && !app.me.scopes.includes("partner");
  fill(
    account,
    officer ? liveJump() : null,
    h("span", { class: "who" },
      h("span", { class: "signed-in-as" }, `${t("signedInAs")} `),
      h("strong", { id: "who" }, accountName())),
    h("button", { type: "button", id: "sign-out", class: "secondary" }, t("signOut")),
  );
  account.querySelector("#sign-out").addEventListener("click", leave);
}

function accountName() {
  return app.me.scopes.includes("self") ? t("selfAccount") : app.me.subject || app.me.clientId;
}

async function leave() {
  app.live?.close();
  sessionStorage.removeItem("pmihub.console.crisis"); // the next officer starts afresh
  await signOut();
  location.assign("/console/");
}

function showSignIn(problem = "") {
  app.me = null;
  renderChrome();
  const button = h("button", { type: "button", id: "sign-in", onclick: () => beginSignIn() }, t("signIn"));
  fill(
    main,
    h("section", { class: "card sign-in" },
      h("h2", {}, t("signIn")),
      h("p", {}, t("signInIntro")),
      problem ? h("p", { class: "problem", role: "alert" }, problem) : null,
      button),
  );
  button.focus();
}

/** The purpose of use: chosen once per session (asked until then), then shown compactly
 * with a button that changes it. */
function purposeBar() {
  const allowed = OFFICER_PURPOSES.filter((p) => p !== "EMERGENCY" || app.me.scopes.includes("emergency"));
  const stored = sessionStorage.getItem(PURPOSE_KEY);
  const chosen = allowed.includes(stored) ? stored : allowed[0];
  setPurpose(chosen);
  const bar = h("div", { class: "purpose", id: "purpose-bar" });
  const choose = (value, focus = true) => {
    sessionStorage.setItem(PURPOSE_KEY, value);
    setPurpose(value);
    bar.replaceWith(purposeBar());
    if (focus && crisisRoute()) app.crisis?.render(); // the purpose opens or closes the page
    if (focus) document.getElementById("change-purpose")?.focus();
  };
  // A first search under the purpose shown is the officer's choice of it: ask no more.
  app.acceptPurpose = () => {
    if (app.changingPurpose || !bar.isConnected) return;
    if (sessionStorage.getItem(PURPOSE_KEY) !== currentPurpose()) choose(currentPurpose(), false);
  };
  if (allowed.includes(stored) && !app.changingPurpose) {
    const change = h("button", { type: "button", class: "link", id: "change-purpose",
      "aria-label": `${t("changePurpose")}: ${t("purpose")}`,
      onclick: () => {
        app.changingPurpose = true;
        bar.replaceWith(purposeBar());
        document.getElementById("purpose")?.focus();
      } }, t("changePurpose"));
    return fill(bar, h("p", { class: "purpose-compact" },
      `${t("purpose")}: `, h("strong", { id: "purpose-now" }, t(chosen)), " ", change));
  }
  const choice = h("select", { id: "purpose", name: "purpose", "aria-describedby": "purpose-hint" },
    allowed.map((p) => h("option", { value: p, selected: p === chosen }, t(p))));
  choice.addEventListener("change", () => setPurpose(choice.value));
  const use = h("button", { type: "button", id: "use-purpose", onclick: () => {
    app.changingPurpose = false;
    choose(choice.value);
  } }, t("usePurpose"));
  return fill(bar, h("label", { for: "purpose" }, t("purpose")),
    h("div", { class: "row" }, choice, use),
    h("p", { class: "hint", id: "purpose-hint" }, t("purposeHint")));
}

/** The header's way to the live case panel (below the page on a phone), with the count of
 * events not yet looked at. */
function liveJump() {
  if (app.me && crisisRoute()) { // the crisis page's side panel: the alerts
    return h("button", { type: "button", id: "live-jump", class: "secondary", onclick: () => {
      const heading = document.getElementById("alerts-h");
      heading?.scrollIntoView({ block: "start" });
      heading?.focus();
    } }, t("alertsJump"));
  }
  const count = app.unseen ? ` (${app.unseen})` : "";
  return h("button", { type: "button", id: "live-jump", class: "secondary",
    onclick: () => {
      app.unseen = 0;
      document.getElementById("live-jump")?.replaceWith(liveJump());
      const heading = document.getElementById("live-h");
      heading?.scrollIntoView({ block: "start" });
      heading?.focus();
    } }, `${t("liveJump")}${count}`);
}

function renderOfficer() {
  const view = h("div", { id: "view" });
  // Events are announced once, through #announcer; the panel itself is not a live region.
  const feed = h("aside", { id: "live", class: "card live-panel", "aria-labelledby": "live-h" });
  const alerts = h("aside", { id: "alerts", class: "card live-panel", "aria-labelledby": "alerts-h",
    hidden: true });
  fill(main, pagesNav(), purposeBar(), h("div", { class: "layout" }, view, feed, alerts));
  if (app.me.scopes.includes("cohort:read")) {
    app.alerts = new AlertsPanel(alerts, liveClient(), {
      scopes: app.me.scopes, announce });
    app.crisis = new CrisisPage(view, {
      scopes: app.me.scopes,
      announce,
      onSearch: () => app.acceptPurpose?.(),
      onOpen: (id) => { location.hash = `#/worker/${id}`; },
    });
  }
  if (!app.feed) {
    liveClient();
    app.feed = new LiveCases(feed, app.live, {
      announce,
      onCase: (c) => {
        app.unseen += 1;
        document.getElementById("live-jump")?.replaceWith(liveJump());
        app.worker?.caseEvent(c);
      },
    });
    app.feed.start();
  } else {
    app.feed.container = feed;
    app.feed.render();
  }
  app.worker = new WorkerPage(view, {
    scopes: app.me.scopes,
    who: accountName(),
    announce,
    onBack: () => { location.hash = ""; },
  });
  route();
}

function liveClient() {
  app.live ??= new LiveClient({
    onStatus: (ok, code, resumed) => {
      app.feed?.status(ok);
      // back after a loss: what changed meanwhile came as no event, so the worker shown is
      // read again (an officer would otherwise act on a page that stopped telling the truth)
      if (ok && resumed && app.worker?.result?.worker) app.worker.refresh();
    },
  });
  return app.live;
}

/** The officer's pages: search and, with cohort:read, the crisis page; with statistics:read
 * the statistics page. */
function pagesNav() {
  const cohorts = app.me.scopes.includes("cohort:read");
  const statistics = app.me.scopes.includes("statistics:read");
  if (!cohorts && !statistics) return null;
  const crisis = crisisRoute();
  const stats = statisticsRoute();
  const link = (href, text, current) =>
    h("a", { href, "aria-current": current ? "page" : null }, text);
  return h("nav", { class: "pages", id: "pages", "aria-label": t("pages") },
    link("#/", t("searchPage"), !crisis && !stats),
    cohorts ? link("#/crisis", t("crisis"), crisis) : null,
    statistics ? link("#/statistics", t("statistics"), stats) : null);
}

async function route() {
  const view = document.getElementById("view");
  if (!view || !app.worker) return;
  document.getElementById("pages")?.replaceWith(pagesNav());
  document.getElementById("live-jump")?.replaceWith(liveJump());
  const crisis = crisisRoute();
  document.getElementById("live").hidden = crisis;
  document.getElementById("alerts").hidden = !crisis;
  if (crisis) {
    app.worker.workerId = null;
    app.worker.result = null;
    app.crisis.render();
    app.alerts.start();
    document.getElementById("crisis-h")?.focus();
    return;
  }
  if (statisticsRoute()) {
    app.worker.workerId = null;
    app.worker.result = null;
    app.statistics = new StatisticsPage(view, { announce });
    await app.statistics.load();
    document.getElementById("stats-h")?.focus();
    return;
  }
  const match = /^#\/worker\/(wk_[0-9a-f]{20})$/.exec(location.hash);
  if (match) {
    await app.worker.load(match[1]);
    document.getElementById("worker-name")?.focus();
  } else {
    app.worker.workerId = null;
    app.worker.result = null;
    const input = renderSearch(view, {
      announce,
      scopes: app.me.scopes,
      onSearch: () => app.acceptPurpose?.(),
      onOpen: (id) => { location.hash = `#/worker/${id}`; },
    });
    input.focus();
  }
}

function rerender() {
  renderChrome();
  if (!app.me) return showSignIn();
  if (app.self) return app.self.render();
  if (app.partner) return app.partner.render();
  const view = document.getElementById("view");
  document.querySelector(".purpose")?.replaceWith(purposeBar());
  document.getElementById("pages")?.replaceWith(pagesNav());
  app.feed?.render();
  app.alerts?.render();
  if (crisisRoute()) app.crisis.render();
  else if (statisticsRoute()) app.statistics?.render();
  else if (app.worker?.result) app.worker.render();
  else if (view) {
    renderSearch(view, {
      announce,
      scopes: app.me.scopes,
      onSearch: () => app.acceptPurpose?.(),
      onOpen: (id) => { location.hash = `#/worker/${id}`; },
    });
  }
}

async function start() {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => { setLang(button.dataset.lang); rerender(); });
  }
  renderChrome();
  if (isCallback()) {
    try {
      await completeSignIn();
    } catch (error) {
      return showSignIn(`${t("signInFailed")} (${error.code || "error"})`);
    }
  }
  if (!session()) return showSignIn();
  try {
    const { data } = await graphql(ME);
    if (!data?.me) throw new SessionEnded("no principal");
    app.me = data.me;
  } catch (error) {
    signOutLocally();
    return showSignIn(error instanceof SessionEnded ? t("sessionExpired") : String(error));
  }
  renderChrome();
  if (app.me.scopes.includes("self")) {
    setPurpose("SELF_SERVICE");
    app.self = new SelfPage(main, app.me.subject, { announce });
    await app.self.load();
  } else if (app.me.scopes.includes("partner")) {
    app.partner = new PartnerPage(main, { announce });
    await app.partner.load();
  } else {
    window.addEventListener("hashchange", route);
    renderOfficer();
  }
}

start();
