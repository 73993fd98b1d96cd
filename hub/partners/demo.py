"""The demo's partner organisation: SBMI, its client ``partner-sbmi`` and a case worker.

Idempotent like ``auth.demo.register_demo``: given the credentials it returned before, it
keeps the same client secret, password and TOTP key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine

from auth.passwords import generate_password
from auth.scopes import Scope
from auth.settings import AuthSettings
from auth.totp import new_secret as new_totp_secret
from auth.totp import provisioning_uri
from auth.users import add_user
from hub.partners.registry import PartnerRegistry

ORG, ORG_NAME = "SBMI", "Serikat Buruh Migran Indonesia (demo)"
CASE_WORKER = "pendamping.sbmi"


def register_partner_demo(
    engine: Engine, settings: AuthSettings, previous: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organisation's client entry and its case worker's, for credentials.json."""
    old_client = dict((previous or {}).get("clients", {}).get(f"partner-{ORG.lower()}", {}))
    old_user = dict((previous or {}).get("users", {}).get("case-worker", {}))
    org, secret = PartnerRegistry(engine).add(
        ORG,
        name=ORG_NAME,
        contact="dpo@sbmi.example",
        secret=old_client.get("client_secret"),
    )
    password = old_user.get("password") or generate_password()
    totp = old_user.get("totp_secret") or new_totp_secret()
    user = add_user(
        engine,
        username=CASE_WORKER,
        password=password,
        display_name="Pendamping SBMI (demo)",
        role="case-worker",
        agency=ORG,
        totp=(settings.key_secret, totp),
        replace=True,
    )
    client = {
        "client_id": org.client_id,
        "client_secret": secret,
        "agency": ORG,
        "grant_types": ["client_credentials"],
        "scopes": [str(Scope.PARTNER)],
    }
    case_worker = {
        "username": user.username,
        "password": password,
        "role": user.role,
        "organisation": ORG,
        "scopes": sorted(user.scopes),
        "totp_secret": totp,
        "totp_uri": provisioning_uri(totp, user.username),
    }
    return client, case_worker


__all__ = ["CASE_WORKER", "ORG", "register_partner_demo"]
