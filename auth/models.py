"""The auth tables, on the shared ``SQLModel.metadata`` (the hub's Alembic migrations cover them).

Secrets, codes and refresh tokens are stored only as hashes; signing keys' private halves only
encrypted (``auth.keys``). Space-separated strings hold scope, grant-type and URI lists.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Text
from sqlmodel import Column, Field, SQLModel


class OAuthClientRow(SQLModel, table=True):
    """A registered client: an agency system (confidential) or a frontend (public)."""

    __tablename__ = "auth_client"

    client_id: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=200)
    agency: str = Field(max_length=40)
    secret_hash: str | None = Field(default=None, max_length=200, repr=False)
    scopes: str = Field(max_length=1000)
    grant_types: str = Field(max_length=200)
    redirect_uris: str = Field(default="", max_length=2000)
    public: bool = False
    disabled: bool = False
    created_at: datetime


class SigningKeyRow(SQLModel, table=True):
    """A token signing key; ``retired_at`` set when a newer key took over signing."""

    __tablename__ = "auth_signing_key"

    kid: str = Field(primary_key=True, max_length=64)
    alg: str = Field(max_length=10)
    public_jwk: str = Field(sa_column=Column(Text, nullable=False))
    private_sealed: str = Field(sa_column=Column(Text, nullable=False), repr=False)
    created_at: datetime = Field(index=True)
    retired_at: datetime | None = None


class AuthorizationCodeRow(SQLModel, table=True):
    __tablename__ = "auth_code"

    code_hash: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(max_length=80, index=True)
    subject: str = Field(max_length=80)  # the demo user's name
    redirect_uri: str | None = Field(default=None, max_length=500)
    scope: str = Field(max_length=1000)
    purpose: str | None = Field(default=None, max_length=40)
    code_challenge: str = Field(max_length=128)
    code_challenge_method: str = Field(max_length=10)
    family_id: str = Field(max_length=40)  # the refresh family its tokens start
    created_at: datetime
    expires_at: datetime = Field(index=True)
    used_at: datetime | None = None


class RefreshTokenRow(SQLModel, table=True):
    """One refresh token of a family; rotation marks it used, reuse revokes the family."""

    __tablename__ = "auth_refresh_token"
    __table_args__ = (Index("ix_auth_refresh_token_client", "client_id"),)

    token_hash: str = Field(primary_key=True, max_length=64)
    family_id: str = Field(max_length=40, index=True)
    client_id: str = Field(max_length=80)
    subject: str = Field(max_length=80)
    scope: str = Field(max_length=1000)
    purpose: str | None = Field(default=None, max_length=40)
    access_jti: str = Field(max_length=64)  # the access token issued with it
    access_expires_at: datetime
    created_at: datetime
    expires_at: datetime = Field(index=True)
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class RevokedTokenRow(SQLModel, table=True):
    """An access token revoked before its expiry (RFC 7009), by ``jti``."""

    __tablename__ = "auth_revoked_token"

    jti: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(max_length=80)
    expires_at: datetime = Field(index=True)
    revoked_at: datetime
    reason: str = Field(max_length=40)


class BreakGlassGrantRow(SQLModel, table=True):
    """Emergency access to one worker's record, for review."""

    __tablename__ = "auth_break_glass"
    __table_args__ = (Index("ix_auth_break_glass_holder", "client_id", "subject", "worker_id"),)

    id: str = Field(primary_key=True, max_length=40)
    client_id: str = Field(max_length=80)
    subject: str = Field(max_length=80)
    worker_id: str = Field(max_length=40, index=True)
    reason: str = Field(max_length=1000)
    token_id: str = Field(max_length=64)
    created_at: datetime = Field(index=True)
    expires_at: datetime


class UserRow(SQLModel, table=True):
    """A person who signs in at the hub's login page: staff (officer, auditor, identity
    reviewer) or a worker (role ``worker``). Roles: ``auth.roles``. The TOTP secret, and one
    being enrolled, are sealed (``auth.totp``); ``totp_last_step`` is the last time step a code
    was accepted for, so no code is used twice."""

    __tablename__ = "auth_user"

    username: str = Field(primary_key=True, max_length=80)
    password_hash: str = Field(max_length=200, repr=False)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    agency: str = Field(max_length=40)
    mission: str | None = Field(default=None, max_length=8)
    worker_id: str | None = Field(default=None, max_length=40, index=True)
    scopes: str = Field(max_length=1000)
    disabled: bool = False
    created_at: datetime
    totp_sealed: str | None = Field(default=None, sa_column=Column(Text), repr=False)
    totp_pending_sealed: str | None = Field(default=None, sa_column=Column(Text), repr=False)
    totp_last_step: int | None = Field(default=None, sa_column=Column(BigInteger))


TABLES = (
    OAuthClientRow,
    SigningKeyRow,
    AuthorizationCodeRow,
    RefreshTokenRow,
    RevokedTokenRow,
    BreakGlassGrantRow,
    UserRow,
)

__all__ = [
    "TABLES",
    "AuthorizationCodeRow",
    "BreakGlassGrantRow",
    "OAuthClientRow",
    "RefreshTokenRow",
    "RevokedTokenRow",
    "SigningKeyRow",
    "UserRow",
]
