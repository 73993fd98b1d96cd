"""The hub's settings, read once from the environment and passed down.

Connectors are configured per agency: ``HUB_CONNECTORS`` lists ``name=package`` pairs (the
four agencies by default); for each name, ``HUB_AGENCY_<NAME>_URL`` is its base URL,
``HUB_AGENCY_<NAME>_BATCH_SIZE`` and ``HUB_AGENCY_<NAME>_TIMEOUT`` tune it, and every other
``HUB_AGENCY_<NAME>_<KEY>`` is a credential handed to the connector as ``key`` (lower case):
``HUB_AGENCY_KEMNAKER_CLIENT_SECRET`` becomes ``credentials["client_secret"]``. Adding an agency
is one package under connectors/ and one entry in ``HUB_CONNECTORS``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

from hub.identity.policy import MatchPolicy, PolicyError
from hub.storage.db import database_url

DEFAULT_CONNECTORS = (
    "kemnaker=connectors.kemnaker,p2mi=connectors.p2mi,"
    "bpjs=connectors.bpjs,embassy=connectors.embassy"
)
DEV_PSEUDONYM_KEY = "pmihub-development-only-pseudonym-key"  # the test suite only
MIN_SECRET_LENGTH = 16  # as HUB_AUTH_KEY_SECRET


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class AgencySettings:
    name: str
    package: str
    base_url: str
    credentials: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = 100
    timeout: float = 10.0
    record_id_key: bytes = field(default=b"", repr=False)  # seals personal local ids (KPJ)


@dataclass(frozen=True, slots=True)
class Settings:
    env: str
    database_url: str
    pseudonym_key: bytes
    agencies: tuple[AgencySettings, ...]
    max_batch_ids: int = 1000
    license_cache_seconds: float = 300.0
    max_query_cost: int = 10_000
    max_query_depth: int = 12
    max_body_bytes: int = 1_048_576
    rate_limit_per_second: float = 100.0
    rate_limit_burst: int = 200
    live_max_connections: int = 10
    live_max_subscriptions: int = 10
    audit_checkpoint_seconds: float = 3600.0
    cohort_max_page: int = 200  # HUB_COHORT_MAX_PAGE: workers per cohort request
    census_seconds: float = 0.0  # HUB_CENSUS_SECONDS: the app's census loop (0: off)
    consent_expiry_seconds: float = 300.0  # HUB_CONSENT_EXPIRY_SECONDS: lapsed consents (0: off)
    match_policy: MatchPolicy = field(default_factory=MatchPolicy)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def dev(self) -> bool:
        return self.env == "dev"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        mode = env.get("HUB_ENV", "production")
        key = pseudonym_key(env)
        try:  # the linker reads the thresholds itself; a bad value fails here, at start-up
            match_policy = MatchPolicy.from_environ(env)
        except PolicyError as exc:
            raise SettingsError(str(exc)) from None
        return cls(
            env=mode,
            database_url=database_url(env),
            pseudonym_key=key,
            agencies=tuple(_agencies(env, key)),
            max_batch_ids=_int(env, "HUB_MAX_BATCH_IDS", 1000),
            license_cache_seconds=float(_int(env, "HUB_LICENSE_CACHE_SECONDS", 300)),
            max_query_cost=_int(env, "HUB_MAX_QUERY_COST", 10_000),
            max_query_depth=_int(env, "HUB_MAX_QUERY_DEPTH", 12),
            max_body_bytes=_int(env, "HUB_MAX_BODY_BYTES", 1_048_576),
            rate_limit_per_second=positive_number(env, "HUB_RATE_LIMIT_PER_SECOND", 100.0),
            rate_limit_burst=_int(env, "HUB_RATE_LIMIT_BURST", 200),
            live_max_connections=_int(env, "HUB_LIVE_MAX_CONNECTIONS", 10),
            live_max_subscriptions=_int(env, "HUB_LIVE_MAX_SUBSCRIPTIONS", 10),
            audit_checkpoint_seconds=float(_int(env, "HUB_AUDIT_CHECKPOINT_SECONDS", 3600)),
            cohort_max_page=_int(env, "HUB_COHORT_MAX_PAGE", 200),
            census_seconds=_seconds(env, "HUB_CENSUS_SECONDS", 0.0),
            consent_expiry_seconds=_seconds(env, "HUB_CONSENT_EXPIRY_SECONDS", 300.0),
            match_policy=match_policy,
            environ=env,
        )


def pseudonym_key(env: Mapping[str, str]) -> bytes:
    """``HUB_PSEUDONYM_KEY``: required, at least 16 characters; the development key only under
    ``HUB_ENV=test`` (the demo generates its own, see hub/demo_secrets.py)."""
    key = env.get("HUB_PSEUDONYM_KEY")
    if not key:
        if env.get("HUB_ENV", "production") != "test":
            raise SettingsError(
                "HUB_PSEUDONYM_KEY is required outside HUB_ENV=test: it keys the digests "
                "the crosswalk stores instead of NIKs and passport numbers"
            )
        warnings.warn("HUB_PSEUDONYM_KEY not set: using the development key", stacklevel=3)
        key = DEV_PSEUDONYM_KEY
    elif len(key) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"HUB_PSEUDONYM_KEY must be at least {MIN_SECRET_LENGTH} characters: it is all that "
            "keeps a NIK from being recovered from its digest"
        )
    return key.encode()


def positive_number(env: Mapping[str, str], name: str, default: float) -> float:
    """A number above zero from ``env[name]``, or ``default`` when unset."""
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value > 0:  # also refuses NaN
        raise SettingsError(f"{name} must be above zero")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """Seconds above zero, or 0 (off) when the variable says 0."""
    if env.get(name, "").strip() == "0":
        return 0.0
    return positive_number(env, name, default) if env.get(name) else default


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1")
    return value


def _agencies(env: Mapping[str, str], record_id_key: bytes) -> list[AgencySettings]:
    agencies = []
    for entry in env.get("HUB_CONNECTORS", DEFAULT_CONNECTORS).split(","):
        name, sep, package = entry.strip().partition("=")
        if not sep or not name or not package:
            raise SettingsError(f"HUB_CONNECTORS entry {entry!r} is not name=package")
        prefix = f"HUB_AGENCY_{name.upper()}_"
        url = env.get(prefix + "URL")
        if not url:
            raise SettingsError(f"{prefix}URL is required for connector {name!r}")
        from hub.resilience.policy import POLICY_KEYS  # here: hub.resilience imports settings

        reserved = {"URL", "BATCH_SIZE", "TIMEOUT", *POLICY_KEYS}
        credentials = {
            key.removeprefix(prefix).lower(): value
            for key, value in env.items()
            if key.startswith(prefix) and key.removeprefix(prefix) not in reserved
        }
        timeout_raw = env.get(prefix + "TIMEOUT", "10")
        try:
            timeout = float(timeout_raw)
        except ValueError:
            raise SettingsError(f"{prefix}TIMEOUT must be seconds, got {timeout_raw!r}") from None
        agencies.append(
            AgencySettings(
                name=name,
                package=package,
                base_url=url,
                credentials=credentials,
                batch_size=_int(env, prefix + "BATCH_SIZE", 100),
                timeout=timeout,
                record_id_key=record_id_key,
            )
        )
    return agencies
