// GraphQL over HTTP (POST JSON) with the bearer token and the declared purpose of use.
// Errors stay typed: each carries extensions.code, and the text a person reads comes from
// extensions.messageId / messageEn (or the "id / en" message) in the chosen language.

import { accessToken } from "./auth.js";
import { lang } from "./i18n.js";

export class SessionEnded extends Error {}

let purpose = null;

export function setPurpose(value) {
  purpose = value;
}

export function currentPurpose() {
  return purpose;
}

export async function graphql(query, variables = {}) {
  let token = await accessToken();
  if (!token) throw new SessionEnded("no session");
  let response = await post(query, variables, token);
  if (response.status === 401) {
    token = await accessToken({ force: true });
    if (!token) throw new SessionEnded("token refused");
    response = await post(query, variables, token);
    if (response.status === 401) throw new SessionEnded("token refused");
  }
  const body = await response.json().catch(() => null);
  if (!body) {
    return { data: null, errors: [{ message: `HTTP ${response.status}`, extensions: {} }] };
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

function post(query, variables, token) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  if (purpose) headers["x-purpose"] = purpose;
  return fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
    credentials: "omit",
  });
}

/** An error's text for people, in the chosen language. */
export function errorText(error) {
  const ext = error?.extensions || {};
  if (ext.messageId && ext.messageEn) return lang() === "EN" ? ext.messageEn : ext.messageId;
  const message = String(error?.message || ext.code || "?");
  const parts = message.split(" / ");
  if (parts.length === 2) return lang() === "EN" ? parts[1] : parts[0];
  return message;
}

/** The errors whose path starts with ``path`` (an array of names and indexes). */
export function errorsAt(errors, path) {
  return errors.filter((e) => path.every((p, i) => (e.path || [])[i] === p));
}
