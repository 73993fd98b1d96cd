// A real OpenID Connect provider for PMI Hub's tests: the certified `oidc-provider` package
// (pinned in package-lock.json), configured like a ministry Keycloak realm: confidential and
// public clients, PKCE (S256) required, users with a `groups` claim in the ID token.
//
// node provider.mjs <port> <config.json>
// config: {"issuer": "...", "clients": [{client_id, client_secret?, redirect_uris}],
//          "users": {"<login>": {"password": "...", "groups": ["/missions/HKG/officers"]}}}
// It prints "listening <issuer>" once it accepts connections. Its login form is its own
// (`/interaction/<uid>`): user name and password, checked against the config.

import { readFileSync } from "node:fs";
import http from "node:http";
import { generateKeyPair, exportJWK } from "jose";
import Provider from "oidc-provider";

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, "utf8"));
const users = config.users;

const { privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
const signing = { ...(await exportJWK(privateKey)), kid: "test-rs256", use: "sig", alg: "RS256" };

const provider = new Provider(config.issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    ...(c.client_secret
      ? { client_secret: c.client_secret, token_endpoint_auth_method: "client_secret_basic" }
      : { token_endpoint_auth_method: "none" }),
    redirect_uris: c.redirect_uris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
  })),
  jwks: { keys: [signing] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
  scopes: ["openid", "profile", "groups"],
  conformIdTokenClaims: false, // like Keycloak's "add to ID token" mappers
  features: { devInteractions: { enabled: false } },
  cookies: { keys: [config.cookie_key || "pmihub-test-provider-cookie-key"] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: user.name || id, preferred_username: id, groups: user.groups };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // first-party clients: no consent screen, the scopes asked are granted
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile groups");
    await grant.save();
    return grant;
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginForm(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title>
</head><body><main><h1>Test provider sign-in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Username</label><input id="login" name="login" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  const details = await provider.interactionDetails(req, res);
  if (!match || details.uid !== match[1]) throw new Error("interaction mismatch");
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return res.end(loginForm(details.uid));
  }
  const form = await readForm(req);
  const login = form.get("login") || "";
  const user = users[login];
  if (!user || user.password !== form.get("password")) {
    res.writeHead(401, { "content-type": "text/html; charset=utf-8" });
    return res.end(loginForm(details.uid, "Wrong username or password"));
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: login } },
    { mergeWithLastSubmission: false },
  );
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url === "/favicon.ico") {
    res.writeHead(204); // browsers ask; a 404 would show as a console error in the tests
    return res.end();
  }
  if (req.url.startsWith("/interaction/")) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(`interaction failed: ${error.message}`);
    });
    return;
  }
  callback(req, res);
});
server.listen(Number(port), "127.0.0.1", () => {
  console.log(`listening ${config.issuer}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
