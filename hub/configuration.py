"""Every environment variable the hub reads, found in its code, for docs/deploy.md.

``scan()`` reads the source of ``hub``, ``auth``, ``connectors`` (not the sandboxes) and
``schema`` and finds every ``HUB_*`` name the code reads: a call given the name and a default
(``env.get("HUB_LOG_LEVEL", "INFO")``, ``_int(env, "HUB_MAX_QUERY_DEPTH", 12)``) yields both;
a name bound to a constant (``ENV_KEY = "HUB_AUDIT_SIGNING_KEY"``) yields the name. The
resilience settings come from ``ResiliencePolicy``'s fields, and the families read by prefix
(``HUB_AGENCY_<NAME>_*``) from ``FAMILIES``. ``MEANINGS`` says what each one is for; the table
in docs/deploy.md is generated from both (``python -m hub.configuration`` rewrites it), and
tests/docs/test_deploy_doc.py fails when a variable is read but not described, described but
not read, or the document's table differs.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "deploy.md"
START = "<!-- variables:start (generated: python -m hub.configuration) -->"
END = "<!-- variables:end -->"
NAME = re.compile(r"HUB_[A-Z0-9_]*[A-Z0-9]")
PACKAGES = ("hub", "auth", "connectors", "schema")
SKIPPED = ("hub/storage/migrations/", "hub/demo", "hub/cli_environment.py", "hub/configuration.py")

# Read by prefix: the name of the agency (HUB_CONNECTORS) or a credential key in the middle.
FAMILIES = {
    "HUB_AGENCY_<NAME>_URL": ("", "hub/settings.py"),
    "HUB_AGENCY_<NAME>_BATCH_SIZE": ("100", "hub/settings.py"),
    "HUB_AGENCY_<NAME>_TIMEOUT": ("10", "hub/settings.py"),
    "HUB_AGENCY_<NAME>_<KEY>": ("", "hub/settings.py"),
    "HUB_AGENCY_<NAME>_MAX_RESPONSE_BYTES": ("16777216", "connectors/kit/limits.py"),
    "HUB_AGENCY_<NAME>_<RESILIENCE KEY>": ("HUB_RESILIENCE_<KEY>", "hub/resilience/policy.py"),
}

MEANINGS = {
    "HUB_ENV": "`production` (set it explicitly on a server: with it set, pmihub never reads "
    "a `.demo/env`); `dev` turns on GraphiQL, introspection and the demo login; `test` is "
    "the test suite's only",
    "HUB_DATABASE_URL": "`postgresql://user@host/db` in production (default `sqlite:///hub.db`: "
    "one machine, one writer at a time); each process keeps up to 15 connections",
    "HUB_PSEUDONYM_KEY": "**secret**, required: keys the digests the crosswalk stores instead of "
    "NIKs and passports, and seals the KPJ; never change it (the crosswalk would stop "
    "matching); at least 16 characters",
    "HUB_AUTH_KEY_SECRET": "**secret**, required: seals the token signing keys and webhook "
    "secrets in the database; at least 16 characters",
    "HUB_AUDIT_SIGNING_KEY": "**secret**, required: Ed25519 private key (base64 or PEM) "
    "signing the audit checkpoints",
    "HUB_AUDIT_TRUSTED_KEYS": "older audit public keys (PEM, or a file of them) that still "
    "verify their checkpoints after `pmihub audit handover`",
    "HUB_AUDIT_CHECKPOINT_SECONDS": "how often the hub signs the audit chain's head",
    "HUB_PUBLIC_URL": "the hub's address as browsers and clients see it (`https://hub.example`"
    " behind the proxy): the token issuer, the console's redirect URI",
    "HUB_TODAY": "pins the hub's date (`YYYY-MM-DD`); demos and tests only",
    "HUB_CONNECTORS": "`name=package` pairs of the agencies' connectors",
    "HUB_MATCH_UPPER": "match probability above which a pair links by itself",
    "HUB_MATCH_LOWER": "match probability below which a pair stays apart (between: review)",
    "HUB_MAX_BATCH_IDS": "most ids in `workers`/`workersByNik` and `_entities`",
    "HUB_CENSUS_SECONDS": "run the incremental census in the hub every N seconds (0: off; one "
    "process should, or a separate job: docs/census.md)",
    "HUB_CONSENT_EXPIRY_SECONDS": "end lapsed partner consents (time, closed case, suspended "
    "organisation) every N seconds, telling the organisation and auditing it (0: off, then "
    "run `pmihub consents expire` on a schedule)",
    "HUB_COHORT_MAX_PAGE": "workers per `cohort` request",
    "HUB_LICENSE_CACHE_SECONDS": "how long placement-agency licences are cached",
    "HUB_MAX_QUERY_COST": "query cost budget (workers x sections)",
    "HUB_MAX_QUERY_DEPTH": "deepest query accepted",
    "HUB_MAX_BODY_BYTES": "largest request body, on every route",
    "HUB_RATE_LIMIT_PER_SECOND": "GraphQL requests a second per client and subject",
    "HUB_RATE_LIMIT_BURST": "GraphQL burst per client and subject",
    "HUB_LIVE_MAX_CONNECTIONS": "open GraphQL WebSocket connections per client and subject, "
    "per process",
    "HUB_LIVE_MAX_SUBSCRIPTIONS": "running subscriptions per client and subject, per process",
    "HUB_AUTH_RATE_PER_SECOND": "`/oauth/*` and sign-in requests a second per client address",
    "HUB_AUTH_RATE_BURST": "their burst per address",
    "HUB_AUTH_CLIENT_RATE_PER_SECOND": "`/oauth/*` requests a second per client id",
    "HUB_AUTH_CLIENT_RATE_BURST": "their burst per client id",
    "HUB_REDIS_URL": "Redis shared by every process: rate-limit buckets, the login throttle and "
    "the agencies' response cache, keyed and sealed (`redis://host:6379/0`); required with "
    "more than one process; each process opens up to 256 connections",
    "HUB_REDIS_TIMEOUT": "seconds before a Redis call gives up (then memory, for a while)",
    "HUB_REDIS_PREFIX": "key prefix in Redis (several hubs on one Redis)",
    "HUB_REQUEST_DEADLINE": "time budget of one GraphQL request, seconds",
    "HUB_RESILIENCE_CACHE_MAX_ENTRIES": "entries of the in-memory response cache (no Redis)",
    "HUB_AUTH_ISSUER": "an external token issuer the hub accepts instead of its own "
    "(with `HUB_AUTH_JWKS_URL`)",
    "HUB_AUTH_JWKS_URL": "that issuer's keys",
    "HUB_AUTH_AUDIENCE": "the `aud` of the hub's tokens",
    "HUB_AUTH_TOKEN_TYPES": "accepted JWT `typ` values",
    "HUB_AUTH_ACCESS_TTL": "access token lifetime, seconds",
    "HUB_AUTH_REFRESH_TTL": "refresh token lifetime, seconds",
    "HUB_AUTH_CODE_TTL": "authorization code lifetime, seconds (at most 600)",
    "HUB_AUTH_LEEWAY": "clock skew allowed when verifying, seconds",
    "HUB_AUTH_MAX_LIFETIME": "longest token lifetime accepted, seconds",
    "HUB_AUTH_SCOPE_MAP": "external roles to hub scopes (`role=scope scope;...`)",
    "HUB_AUTH_JWKS_MIN_REFETCH": "least seconds between two fetches of external keys",
    "HUB_AUTH_JWKS_MAX_AGE": "most seconds external keys are cached",
    "HUB_AUTH_DEMO": "demo mode: a banner on the sign-in page",
    "HUB_AUTH_DEVICE_HOURS": 'hours a browser an officer marked "remember this device" skips the '
    "TOTP code (never the password); 0: never",
    "HUB_AUTH_CONSOLE_REDIRECT": "the console's redirect URI",
    "HUB_BREAK_GLASS_MINUTES": "how long a break-glass grant lasts",
    "HUB_BREAK_GLASS_PER_HOUR": "break-glass grants per officer in any hour; the next is refused "
    "and raises an alert",
    "HUB_OIDC_ISSUER": "an OpenID Connect provider (a ministry Keycloak realm) the console "
    "signs in at (docs/auth.md)",
    "HUB_OIDC_CLIENT_ID": "the hub's client at that provider",
    "HUB_OIDC_CLIENT_SECRET": "**secret**: its secret (confidential client)",
    "HUB_OIDC_NAME": "the provider's name on the sign-in button",
    "HUB_OIDC_SCOPES": "scopes asked of the provider",
    "HUB_OIDC_GROUPS_CLAIM": "the claim holding the user's groups or roles",
    "HUB_OIDC_GROUP_MAP": "provider groups to roles, scopes and missions",
    "HUB_OIDC_REDIRECT_URI": "the hub's callback at the provider",
    "HUB_OIDC_AUDIENCES": "extra audiences accepted in the provider's ID tokens",
    "HUB_OIDC_ALGORITHMS": "signature algorithms accepted from the provider",
    "HUB_WEBHOOK_RETRY_SECONDS": "first retry delay of a webhook delivery",
    "HUB_WEBHOOK_RETRY_MAX_SECONDS": "longest retry delay",
    "HUB_WEBHOOK_MAX_ATTEMPTS": "attempts before a delivery is given up",
    "HUB_WEBHOOK_POLL_SECONDS": "how often the outbox is polled",
    "HUB_WEBHOOK_TIMEOUT": "seconds a receiver has to answer",
    "HUB_WEBHOOK_DELIVERY": "`off` in every process but the ones that deliver (or all on: "
    "deliveries are claimed, never sent twice)",
    "HUB_WEBHOOK_ALLOW_LOOPBACK": "let webhooks reach loopback receivers (tests only)",
    "HUB_LOG_FORMAT": "`json` (one object a line) or `text`",
    "HUB_LOG_LEVEL": "log level",
    "HUB_OTEL_EXPORTER": "`otlp` or `console` to export traces",
    "HUB_OTEL_ENDPOINT": "the OTLP collector",
    "HUB_OTEL_SERVICE_NAME": "the service name in traces",
    "HUB_GC_THRESHOLD": "garbage-collector thresholds `pmihub serve` sets (`python`: CPython's)",
    "HUB_AGENCY_<NAME>_URL": "**required** for each agency in `HUB_CONNECTORS`: its base URL",
    "HUB_AGENCY_<NAME>_BATCH_SIZE": "ids per upstream call",
    "HUB_AGENCY_<NAME>_TIMEOUT": "seconds per upstream call",
    "HUB_AGENCY_<NAME>_<KEY>": "**secrets**: the agency's credentials, handed to its connector "
    "(`CLIENT_ID`, `CLIENT_SECRET` Kemnaker; `API_KEY` P2MI; `CONS_ID`, `SECRET`, `USER_KEY` "
    "BPJS; `CA_CERT`, `CLIENT_CERT`, `CLIENT_KEY` file paths, embassy mTLS)",
    "HUB_AGENCY_<NAME>_MAX_RESPONSE_BYTES": "largest agency answer read, decoded",
    "HUB_AGENCY_<NAME>_<RESILIENCE KEY>": "one agency's own value of a resilience setting below",
    "HUB_RESILIENCE_CALL_TIMEOUT": "an upstream attempt's limit without a request deadline",
    "HUB_RESILIENCE_RESERVE": "seconds kept from the request budget for the hub's own work",
    "HUB_RESILIENCE_RETRY_ATTEMPTS": "attempts in all for a read (1: no retry)",
    "HUB_RESILIENCE_RETRY_BASE": "full-jitter backoff base, seconds",
    "HUB_RESILIENCE_RETRY_MAX_WAIT": "longest backoff, seconds",
    "HUB_RESILIENCE_BREAKER_FAILURES": "consecutive failures that open an agency's breaker",
    "HUB_RESILIENCE_BREAKER_RECOVERY": "seconds open before half-open",
    "HUB_RESILIENCE_BREAKER_HALF_OPEN_CALLS": "trial calls while half-open",
    "HUB_RESILIENCE_MAX_CONCURRENT": "bulkhead: concurrent calls to one agency",
    "HUB_RESILIENCE_CACHE_TTL": "seconds an agency's answer is served fresh",
    "HUB_RESILIENCE_CACHE_STALE": "seconds it is kept to serve when the agency fails",
    "HUB_RESILIENCE_HEALTH_TIMEOUT": "seconds of a readiness probe's call to an agency",
}


@dataclass(frozen=True, slots=True)
class Read:
    name: str
    defaults: tuple[str, ...]
    where: tuple[str, ...]


def _text(node: ast.expr, module: str) -> str | None:
    """A default as a reader wants it: a literal, a module constant's value, or the code."""
    if isinstance(node, ast.Constant):
        return None if node.value is None else str(node.value)
    if isinstance(node, ast.Name):  # a module constant (DEFAULT_PREFIX), else a local: none
        value = getattr(importlib.import_module(module), node.id, None)
        return str(value) if isinstance(value, str | int | float) else None
    return ast.unparse(node)


def _default(node: ast.Call, index: int, module: str) -> str | None:
    """The argument after the name (or ``default=``)."""
    for keyword in node.keywords:
        if keyword.arg == "default":
            return _text(keyword.value, module)
    if index + 1 < len(node.args):
        return _text(node.args[index + 1], module)
    return None


def _reads_in(path: Path, module: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    tree = ast.parse(path.read_text(), str(path))
    in_calls: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # get(NAME) or "x"
            first, *rest = node.values
            if isinstance(first, ast.Call) and first.args and rest:
                arg = first.args[0]
                if isinstance(arg, ast.Constant) and NAME.fullmatch(str(arg.value)):
                    found.append((str(arg.value), _text(rest[0], module)))
                    in_calls.add(id(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for i, arg in enumerate(node.args):
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if literal and NAME.fullmatch(arg.value) and id(arg) not in in_calls:
                    found.append((arg.value, _default(node, i, module)))
                    in_calls.add(id(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            if isinstance(value, str) and NAME.fullmatch(value) and id(node.value) not in in_calls:
                found.append((value, None))
    return found


def scan() -> dict[str, Read]:
    """Every HUB_* variable the code reads, with the defaults it is read with."""
    seen: dict[str, tuple[set[str], set[str]]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(SKIPPED) or "/sandbox/" in relative:
                continue
            module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for name, default in _reads_in(path, module):
                defaults, where = seen.setdefault(name, (set(), set()))
                where.add(relative)
                if default:
                    defaults.add(default)
    reads = {n: Read(n, tuple(sorted(d)), tuple(sorted(w))) for n, (d, w) in seen.items()}
    from hub.resilience.policy import GLOBAL_PREFIX, ResiliencePolicy

    for f in fields(ResiliencePolicy):
        name = GLOBAL_PREFIX + f.name.upper()
        default = "" if f.default is MISSING else str(f.default)
        reads[name] = Read(name, (default,), ("hub/resilience/policy.py",))
    for name, (default, where) in FAMILIES.items():
        reads[name] = Read(name, (default,) if default else (), (where,))
    return reads


def table(reads: dict[str, Read] | None = None) -> str:
    reads = scan() if reads is None else reads
    lines = ["| variable | default | meaning | read in |", "| --- | --- | --- | --- |"]
    for name in sorted(reads, key=_order):
        read = reads[name]
        default = " / ".join(f"`{d}`" for d in read.defaults) or "-"
        where = ", ".join(f"`{w}`" for w in read.where)
        lines.append(f"| `{name}` | {default} | {MEANINGS.get(name, '')} | {where} |")
    return "\n".join(lines)


def _order(name: str) -> tuple[int, str]:
    first = ["HUB_ENV", "HUB_DATABASE_URL", "HUB_REDIS_URL", "HUB_PUBLIC_URL"]
    secrets = ["HUB_PSEUDONYM_KEY", "HUB_AUTH_KEY_SECRET", "HUB_AUDIT_SIGNING_KEY"]
    ranked = first + secrets
    if name in ranked:
        return ranked.index(name), name
    return len(ranked) + (1 if name.startswith("HUB_RESILIENCE_") else 0), name


def render(document: str, generated: str) -> str:
    head, _, rest = document.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{generated}\n{END}{tail}"


def main() -> None:
    DOC.write_text(render(DOC.read_text(), table()))


if __name__ == "__main__":
    main()
