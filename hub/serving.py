"""``pmihub serve``: the hub under uvicorn, in one process or ``--workers N``.

With N workers uvicorn's process manager starts N processes on one listening socket, each
building the app from the environment (``app_factory``); the parent first migrates the
database and makes sure a signing key exists, so the workers do not race to do it. What the
processes must agree on is shared outside them:

- the database (PostgreSQL in production; SQLite works, one writer at a time): crosswalk
  (hub/crosswalk/serial.py), audit chain (its advisory lock), cases, keys, revocations;
- the response cache and its stale fallback: Redis at ``HUB_REDIS_URL`` (per process without);
- the per-client rate limit: Redis when configured (hub's rate-limit module);
- case events: PostgreSQL LISTEN/NOTIFY reaches subscribers on every process.

Kept per process on purpose: the circuit breakers and latency figures (each process learns an
agency's failure within its first few calls; sharing them would put Redis on every upstream
call), the five-minute licence cache (reference data, at most one fetch per process per
licence), and in-flight coalescing of identical lookups.
"""

from __future__ import annotations

from typing import Any

import uvicorn
from starlette.applications import Starlette

from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from hub.app import create_app
from hub.gc_tuning import tune_gc
from hub.observability import configure_logging
from hub.settings import Settings
from hub.storage import make_engine
from hub.storage.migrate import upgrade


def app_factory() -> Starlette:
    """One worker process's app (uvicorn calls it in each process, ``factory=True``)."""
    settings = Settings.from_environ()
    configure_logging(settings.environ)
    app = create_app(settings, migrate=False)
    tune_gc(settings.environ)
    return app


def prepare(settings: Settings) -> None:
    """What must happen once before the workers start: migrations and a signing key."""
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        HubAuthorizationServer(
            engine, AuthSettings.from_environ(settings.environ)
        ).keys.ensure_key()
    finally:
        engine.dispose()


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    configure_logging(settings.environ)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": None,
        "access_log": False,
    }
    if workers == 1:
        app = create_app(settings)
        tune_gc(settings.environ)
        uvicorn.run(app, **options)
        return
    prepare(settings)
    # uvicorn restarts a worker that misses its health ping; 5 s (its default) is too short for a
    # loaded host, where a worker computing a 1,000-worker batch still answers, only late.
    options["timeout_worker_healthcheck"] = 30
    uvicorn.run("hub.serving:app_factory", factory=True, workers=workers, **options)


__all__ = ["app_factory", "prepare", "serve"]
