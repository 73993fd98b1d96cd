// A tiny DOM builder: every value is set as text or an attribute, never parsed as HTML,
// so nothing an agency or a user typed can become markup or script.

/** h("p", {class: "x"}, "text", child) -> an element. Falsy children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the contents of ``element`` with ``children``. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Run ``redraw`` (which may move or replace what is inside ``within``); the element there
 * that had the focus, found again by its id, has it after: a live event must not take a
 * keyboard or screen-reader user's place, nor a note being typed. Read before anything moves:
 * an element taken out of the page loses the focus. */
export function keepingFocus(within, redraw) {
  const active = document.activeElement;
  const focused = active && within.contains(active) ? active.id : "";
  redraw();
  if (focused) document.getElementById(focused)?.focus();
}

/** A definition list from [label, value] pairs; empty values are left out. */
export function facts(pairs) {
  const list = h("dl", { class: "facts" });
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(h("div", {}, h("dt", {}, label), h("dd", {}, value)));
  }
  return list;
}

/** A table that reflows into label/value lists on a narrow screen: every cell carries its
 * column's heading as ``data-label``, which console.css shows before the value below 600 px.
 * ``rows``: [{attrs, cells: [value, …]}]; the first cell of a row is its row heading when
 * ``rowHeadings``. */
export function table(attrs, headings, rows, { rowHeadings = false } = {}) {
  const body = rows.map(({ attrs: rowAttrs = {}, cells }) =>
    h("tr", rowAttrs, cells.map((value, i) =>
      h(rowHeadings && i === 0 ? "th" : "td",
        { "data-label": headings[i], scope: rowHeadings && i === 0 ? "row" : null }, value))));
  return h("div", { class: "table-wrap" },
    h("table", { ...attrs, class: "reflow" },
      h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, body)));
}
