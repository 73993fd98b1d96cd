"""Demo registrations: one client per agency, the console frontend, an embassy officer, a worker.

Each agency client holds the scopes its mandate needs (docs/auth.md has the table):

- Kemnaker licenses placement companies and keeps the job-seeker registry: it verifies
  placements (identity, NIK, placements, protection verdict).
- P2MI places and protects workers and takes complaints: everything but emergency and audit.
- BPJS Ketenagakerjaan processes claims: identity, NIK, placements (coverage windows follow
  them), social security.
- The embassies (Kemlu) protect workers abroad: every read but audit, cases, and emergency.
- A statistics partner (a university or NGO, for the coverage evaluation) reads released
  statistics only: ``statistics:read``, no personal data.
- A national federation gateway (Apollo) composes the hub (``_service``) and fills the workers
  other subgraphs refer to (``_entities``), forwarding its callers' tokens: its own token holds
  ``federation:gateway`` with identity and social security reads.

The demo officer is a hub user of mission HKG with an enrolled TOTP second factor: its secret
(and an ``otpauth://`` URI for an authenticator app) is in ``.demo/credentials.json``.

``register_demo`` is idempotent: given the credentials it returned before, it keeps the same
secrets, passwords and TOTP secret, so ``.demo/credentials.json`` stays valid across restarts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from auth.clients import add_client
from auth.console_client import CONSOLE_CLIENT, CONSOLE_SCOPES, loopback_twins, register_console
from auth.keys import KeyStore
from auth.passwords import generate_password
from auth.roles import ROLES
from auth.scopes import READ_SCOPES, Scope
from auth.server import OAUTH_PREFIX
from auth.settings import AuthSettings
from auth.totp import new_secret as new_totp_secret
from auth.totp import provisioning_uri
from auth.users import add_user

S = Scope
AGENCY_CLIENTS: dict[str, tuple[str, str, frozenset[str]]] = {
    "kemnaker-system": (
        "Kementerian Ketenagakerjaan (SIAPkerja)",
        "KEMNAKER",
        frozenset({S.WORKER_IDENTITY_READ, S.WORKER_NIK_READ, S.PLACEMENT_READ, S.PROTECTION_READ}),
    ),
    "p2mi-system": (
        "KP2MI / BP2MI (SISKOP2MI)",
        "P2MI",
        frozenset(
            {
                S.WORKER_IDENTITY_READ,
                S.WORKER_NIK_READ,
                S.WORKER_CONTACT_READ,
                S.PLACEMENT_READ,
                S.SOCIAL_SECURITY_READ,
                S.CONSULAR_READ,
                S.CASE_READ,
                S.CASE_WRITE,
                S.PROTECTION_READ,
            }
        ),
    ),
    "bpjs-system": (
        "BPJS Ketenagakerjaan",
        "BPJS_KETENAGAKERJAAN",
        frozenset(
            {S.WORKER_IDENTITY_READ, S.WORKER_NIK_READ, S.PLACEMENT_READ, S.SOCIAL_SECURITY_READ}
        ),
    ),
    "embassy-system": (
        "Kemlu / Perwakilan RI (Peduli WNI)",
        "EMBASSY",
        frozenset(READ_SCOPES - {S.AUDIT_READ} | {S.CASE_WRITE, S.EMERGENCY}),
    ),
    "federation-gateway": (
        "Gerbang federasi nasional (Apollo) / National federation gateway",
        "PMIHUB",
        frozenset({S.FEDERATION_GATEWAY, S.WORKER_IDENTITY_READ, S.SOCIAL_SECURITY_READ}),
    ),
    "statistics-partner": (
        "Mitra statistik (demo: universitas/LSM) / Statistics partner (demo: university/NGO)",
        "PARTNER",
        frozenset({S.STATISTICS_READ}),
    ),
}
OFFICER = "petugas.kbri"
OFFICER_MISSION = "HKG"
OFFICER_SCOPES = ROLES["officer"].scopes
WORKER = "pekerja.demo"


def register_demo(
    engine: Engine,
    settings: AuthSettings,
    *,
    worker_id: str | None = None,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Register the demo clients and users; the credentials to write to .demo/credentials.json.

    ``worker_id`` is the hub worker the demo worker signs in as (no worker user without it).
    """
    KeyStore(engine, settings).ensure_key()
    old_clients = dict((previous or {}).get("clients", {}))
    old_users = dict((previous or {}).get("users", {}))
    base = settings.local_issuer + OAUTH_PREFIX
    clients: dict[str, Any] = {}
    for client_id, (name, agency, scopes) in AGENCY_CLIENTS.items():
        _, secret = add_client(
            engine,
            client_id=client_id,
            name=name,
            agency=agency,
            scopes=scopes,
            grant_types=["client_credentials"],
            replace=True,
            secret=old_clients.get(client_id, {}).get("client_secret"),
        )
        clients[client_id] = {
            "client_id": client_id,
            "client_secret": secret,
            "agency": agency,
            "grant_types": ["client_credentials"],
            "scopes": sorted(scopes),
        }
    register_console(engine, settings)
    clients[CONSOLE_CLIENT] = {
        "client_id": CONSOLE_CLIENT,
        "public": True,
        "redirect_uri": settings.console_redirect_uri,
        "grant_types": ["authorization_code", "refresh_token"],
        "code_challenge_method": "S256",
        "scopes": sorted(CONSOLE_SCOPES),
    }
    users = {"embassy-officer": _user(engine, settings, OFFICER, old_users.get("embassy-officer"))}
    if worker_id is not None:
        users["worker"] = _user(
            engine, settings, WORKER, old_users.get("worker"), worker_id=worker_id
        )
    return {
        "issuer": settings.local_issuer,
        "token_endpoint": f"{base}/token",
        "authorization_endpoint": f"{base}/authorize",
        "audience": settings.audience,
        "clients": clients,
        "users": users,
    }


def _user(
    engine: Engine,
    settings: AuthSettings,
    username: str,
    old: Mapping[str, Any] | None,
    *,
    worker_id: str | None = None,
) -> dict[str, Any]:
    old = old or {}
    password = old.get("password") or generate_password()
    if worker_id is None:
        secret = old.get("totp_secret") or new_totp_secret()
        user = add_user(
            engine,
            username=username,
            password=password,
            display_name="Petugas Pelindungan KJRI Hong Kong (demo)",
            role="officer",
            mission=OFFICER_MISSION,
            totp=(settings.key_secret, secret),
            replace=True,
        )
    else:
        user = add_user(
            engine,
            username=username,
            password=password,
            display_name="Pekerja Migran (demo)",
            role="worker",
            worker_id=worker_id,
            replace=True,
        )
    entry: dict[str, Any] = {
        "username": user.username,
        "password": password,
        "role": user.role,
        "scopes": sorted(user.scopes),
    }
    if user.worker_id:
        entry["worker_id"] = user.worker_id
    if user.mission:
        entry["mission"] = user.mission
    if worker_id is None:
        entry["totp_secret"] = secret
        entry["totp_uri"] = provisioning_uri(secret, username)
    return entry


__all__ = [
    "AGENCY_CLIENTS",
    "CONSOLE_CLIENT",
    "CONSOLE_SCOPES",
    "OFFICER",
    "OFFICER_MISSION",
    "OFFICER_SCOPES",
    "WORKER",
    "loopback_twins",
    "register_demo",
]
