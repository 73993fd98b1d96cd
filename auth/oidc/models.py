"""The tables of sign-in through an external OpenID Connect provider.

``auth_oidc_account``: one row per provider account that signed in, holding what its groups
mapped to at its last sign-in (the authorization code and refresh grants find the user here).
Nothing else about the officer is kept: no name, no e-mail, no group list.

``auth_oidc_pending``: one row per sign-in begun at the provider, keyed by the hash of its
``state``; consumed once by the callback. The browser's binding secret (a cookie) is stored
only as a hash; the PKCE verifier and the nonce are derived from it, so neither is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

PREFIX = "oidc:"  # the user names of provider accounts; hub user names never hold ":"


class OidcAccountRow(SQLModel, table=True):
    __tablename__ = "auth_oidc_account"

    username: str = Field(primary_key=True, max_length=80)  # oidc:<sub> (auth.oidc.accounts)
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)  # the provider's stable id: Keycloak finds the user
    mission: str | None = Field(default=None, max_length=10)
    scopes: str = Field(max_length=1000)
    created_at: datetime
    signed_in_at: datetime


class OidcPendingRow(SQLModel, table=True):
    __tablename__ = "auth_oidc_pending"

    state_hash: str = Field(primary_key=True, max_length=64)
    browser_hash: str = Field(max_length=64)
    request: str = Field(sa_column=Column(Text, nullable=False))  # the console's OAuth params
    created_at: datetime
    expires_at: datetime = Field(index=True)
    used_at: datetime | None = None


TABLES = (OidcAccountRow, OidcPendingRow)

__all__ = ["PREFIX", "TABLES", "OidcAccountRow", "OidcPendingRow"]
