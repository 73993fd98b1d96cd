// Sign-in by OAuth 2.0 authorization code with PKCE (RFC 7636, S256) against the hub's own
// authorization server. The verifier and state live in sessionStorage only for the round
// trip; tokens live in sessionStorage (this tab only, gone when it closes) and never in a URL:
// the callback removes the code from the address bar before anything else runs.

export const CLIENT_ID = "console-frontend";
const PENDING_KEY = "pmihub.console.pending";
const SESSION_KEY = "pmihub.console.session";

export class SignInError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

function base64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function randomString(size) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function challengeFor(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The redirect URI registered for the console: this page's own origin. */
export function redirectUri() {
  return new URL("/console/callback", location.origin).href;
}

export function isCallback() {
  return location.pathname === "/console/callback";
}

/** Go to the hub's login page; it comes back to /console/callback with a code. */
export async function beginSignIn() {
  const verifier = randomString(48); // 64 characters, within RFC 7636's 43..128
  const state = randomString(24);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL("/oauth/authorize", location.origin);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    code_challenge: await challengeFor(verifier),
    code_challenge_method: "S256",
    state,
  }).toString();
  location.assign(url.href);
}

/** Finish the sign-in on /console/callback: check the state, redeem the code. */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, "", "/console/"); // the code leaves the address bar at once
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  sessionStorage.removeItem(PENDING_KEY);
  if (params.get("error")) throw new SignInError(params.get("error"));
  if (!pending || !params.get("state") || params.get("state") !== pending.state) {
    throw new SignInError("state_mismatch");
  }
  const code = params.get("code");
  if (!code) throw new SignInError("no_code");
  await tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(),
    client_id: CLIENT_ID,
    code_verifier: pending.verifier,
  });
}

async function tokenRequest(form) {
  const response = await fetch("/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new SignInError(body.error || `http_${response.status}`);
  }
  const session = {
    access: body.access_token,
    refresh: body.refresh_token || null,
    expiresAt: Date.now() + (body.expires_in || 900) * 1000,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function session() {
  return JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
}

/** A fresh access token: rotates the refresh token when the access token is (nearly) spent. */
export async function accessToken({ force = false } = {}) {
  const current = session();
  if (!current) return null;
  if (!force && current.expiresAt - Date.now() > 30_000) return current.access;
  if (!current.refresh) return force ? null : current.access;
  try {
    const renewed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: current.refresh,
      client_id: CLIENT_ID,
    });
    return renewed.access;
  } catch {
    signOutLocally();
    return null;
  }
}

export function signOutLocally() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Revoke the refresh token (its whole family) and forget the session. */
export async function signOut() {
  const current = session();
  signOutLocally();
  if (current?.refresh) {
    await fetch("/oauth/revoke", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: current.refresh, client_id: CLIENT_ID }),
    }).catch(() => undefined);
  }
}
