"""Settings of case events and webhook delivery, read from the hub's environment once.

``HUB_WEBHOOK_RETRY_SECONDS`` (5) is the first retry delay, doubled per attempt up to
``HUB_WEBHOOK_RETRY_MAX_SECONDS`` (3600); after ``HUB_WEBHOOK_MAX_ATTEMPTS`` (25, about a day)
a delivery is given up and shown as failed. ``HUB_WEBHOOK_POLL_SECONDS`` (2) is how often the
outbox is read when nothing wakes the worker; ``HUB_WEBHOOK_TIMEOUT`` (10) bounds one POST.
``HUB_WEBHOOK_DELIVERY=off`` keeps the app from delivering (run ``pmihub webhooks deliver``
elsewhere). Plain ``http://`` webhook URLs are accepted only with HUB_ENV dev or test.
Webhooks never reach local or internal addresses, in any mode (hub/cases/egress.py);
``HUB_WEBHOOK_ALLOW_LOOPBACK=true`` (off by default) lets them reach loopback receivers, for
tests and a developer's own machine. Webhook secrets are sealed under ``HUB_AUTH_KEY_SECRET``
(required outside HUB_ENV=test).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from auth.settings import key_secret
from hub.settings import SettingsError, positive_number


@dataclass(frozen=True, slots=True)
class CaseSettings:
    retry_seconds: float = 5.0
    retry_max_seconds: float = 3600.0
    max_attempts: int = 25
    poll_seconds: float = 2.0
    timeout: float = 10.0
    batch: int = 50
    deliver: bool = True
    allow_http: bool = False
    key_secret: str = field(default="", repr=False)  # HUB_AUTH_KEY_SECRET: seals webhook secrets
    allow_loopback: bool = False

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> CaseSettings:
        return cls(
            retry_seconds=positive_number(env, "HUB_WEBHOOK_RETRY_SECONDS", 5.0),
            retry_max_seconds=positive_number(env, "HUB_WEBHOOK_RETRY_MAX_SECONDS", 3600.0),
            max_attempts=int(positive_number(env, "HUB_WEBHOOK_MAX_ATTEMPTS", 25)),
            poll_seconds=positive_number(env, "HUB_WEBHOOK_POLL_SECONDS", 2.0),
            timeout=positive_number(env, "HUB_WEBHOOK_TIMEOUT", 10.0),
            deliver=env.get("HUB_WEBHOOK_DELIVERY", "on").lower() not in ("off", "0", "false"),
            allow_http=env.get("HUB_ENV", "production") in ("dev", "test"),
            key_secret=key_secret(env),
            allow_loopback=_flag(env, "HUB_WEBHOOK_ALLOW_LOOPBACK"),
        )

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        return min(self.retry_max_seconds, self.retry_seconds * 2 ** max(0, attempts - 1))


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


__all__ = ["CaseSettings"]
