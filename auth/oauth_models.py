"""The objects authlib's grants work with (its ClientMixin, AuthorizationCodeMixin, TokenMixin
protocols), built from the auth tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from authlib.oauth2.rfc6749 import ClientMixin

from auth.hashing import verify_secret
from auth.models import AuthorizationCodeRow, OAuthClientRow, RefreshTokenRow
from auth.scopes import ALL_SCOPES, scope_string
from auth.tokens import IssuedToken
from auth.users import User

SECRET_METHODS = ("client_secret_basic", "client_secret_post")


class HubClient(ClientMixin):
    def __init__(self, row: OAuthClientRow) -> None:
        self.client_id = row.client_id
        self.name = row.name
        self.agency = row.agency
        self.public = row.public
        self.scopes = frozenset(row.scopes.split())
        self.grant_types = frozenset(row.grant_types.split())
        self.redirect_uris = tuple(row.redirect_uris.split())
        self._secret_hash = row.secret_hash

    def __repr__(self) -> str:
        return f"HubClient({self.client_id!r})"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scope to grant; None (→ invalid_scope) when asking for more than registered."""
        if not scope:
            return scope_string(self.scopes)
        requested = frozenset(scope.split())
        if not requested <= self.scopes or not requested <= ALL_SCOPES:
            return None
        return scope_string(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match (RFC 9700 §4.1.3)

    def check_client_secret(self, client_secret: str) -> bool:
        return not self.public and verify_secret(client_secret, self._secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.public:
            return method == "none" and endpoint in ("token", "revocation")
        return method in SECRET_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


class NoClient(ClientMixin):
    """Stands in for an unknown or disabled client while it tries to authenticate: its secret
    is checked against a dummy hash (the same work) and fails, and no method fits, so the
    answer is the one a wrong secret gets and client ids cannot be told apart (probe S11)."""

    def __init__(self, client_id: str) -> None:
        self.client_id = client_id

    def get_client_id(self) -> str:
        return self.client_id

    def check_client_secret(self, client_secret: str) -> bool:
        verify_secret(client_secret, None)
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class StoredCode:
    """An authorization code that was just consumed (it cannot be consumed again)."""

    client_id: str
    username: str
    redirect_uri: str | None
    scope: str
    purpose: str | None
    code_challenge: str
    code_challenge_method: str
    family_id: str

    @classmethod
    def of(cls, row: AuthorizationCodeRow) -> StoredCode:
        return cls(
            row.client_id,
            row.subject,
            row.redirect_uri,
            row.scope,
            row.purpose,
            row.code_challenge,
            row.code_challenge_method,
            row.family_id,
        )

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass(frozen=True, slots=True)
class StoredRefresh:
    """A refresh token that was just consumed by rotation."""

    client_id: str
    username: str
    scope: str
    purpose: str | None
    family_id: str
    expires_at: datetime

    @classmethod
    def of(cls, row: RefreshTokenRow) -> StoredRefresh:
        return cls(
            row.client_id, row.subject, row.scope, row.purpose, row.family_id, row.expires_at
        )

    def get_scope(self) -> str:
        return self.scope

    def check_client(self, client: HubClient) -> bool:
        return client.client_id == self.client_id


@dataclass(frozen=True, slots=True)
class TokenContext:
    """What a grant knows beyond authlib's arguments when tokens are issued."""

    purpose: str | None = None
    family_id: str | None = None  # refresh family to continue; None starts a new one
    family_expires_at: datetime | None = None
    refresh_scope: str | None = None  # a rotated refresh token keeps the family's scope
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Issued:
    """What the token generator issued, for ``save_token`` (held on the request, never logged)."""

    access: IssuedToken
    refresh: str | None = field(repr=False)
    context: TokenContext
    user: User | None


__all__ = ["HubClient", "Issued", "NoClient", "StoredCode", "StoredRefresh", "TokenContext"]
