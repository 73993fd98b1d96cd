"""The three grants the hub issues tokens with, on authlib's RFC 6749 grants.

- client credentials (§4.4) for agency systems: scope defaults to everything the client holds
  (never ``self``); asking for more is ``invalid_scope``; an optional ``purpose`` binds one.
- authorization code (§4.1) with PKCE (RFC 7636) for frontends: a ``code_challenge`` is required
  on every request and only S256 is accepted — authlib's ``CodeChallenge`` would accept
  ``plain`` and a missing challenge. Codes are consumed atomically; reusing one revokes the
  tokens it gave (§4.1.2).
- refresh token (§6) with rotation: every use returns a new refresh token of the same family,
  which ends when the first one would have; presenting a used one revokes the family
  (RFC 9700 §4.14.2).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import (
    AccessDeniedError,
    InvalidRequestError,
    InvalidScopeError,
    grants,
)
from authlib.oauth2.rfc7636 import CodeChallenge, create_s256_code_challenge

from auth.errors import PurposeError
from auth.oauth_models import HubClient, StoredCode, StoredRefresh, TokenContext
from auth.purpose import Purpose, check_allowed, parse_purpose
from auth.scopes import Scope, scope_string
from auth.users import User

if TYPE_CHECKING:
    from auth.server import HubAuthorizationServer


class _Issuing:
    """Routes authlib's ``generate_token`` to the hub's issuer, with the grant's context."""

    server: HubAuthorizationServer
    request: Any

    def generate_token(
        self,
        user: User | None = None,
        scope: str | None = None,
        grant_type: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        return self.server.issue_tokens(
            self.request,
            user=user,
            scope=scope,
            include_refresh_token=include_refresh_token,
            context=self.token_context(),
        )

    def token_context(self) -> TokenContext:
        return TokenContext()


class ClientCredentialsGrant(_Issuing, grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]

    def validate_requested_scope(self) -> None:
        client: HubClient = self.request.client
        held = client.scopes - {Scope.SELF}
        requested = self.request.payload.scope
        if requested:
            wanted = frozenset(requested.split())
            if not wanted <= held:
                raise InvalidScopeError("The requested scope exceeds what the client may hold.")
        else:
            wanted = held
        self.request.scope = scope_string(wanted)
        self.request.purpose = _purpose(self.request.form.get("purpose"), wanted)

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        token = self.generate_token(scope=self.request.scope, include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER

    def token_context(self) -> TokenContext:
        return TokenContext(purpose=self.request.purpose)


class S256CodeChallenge(CodeChallenge):
    """PKCE with S256 only, and a challenge required on every authorization request."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]
    CODE_CHALLENGE_METHODS: ClassVar[dict[str, Callable[[str, str], bool]]] = {
        "S256": lambda verifier, challenge: hmac.compare_digest(
            create_s256_code_challenge(verifier), challenge
        )
    }

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE code_challenge is required (S256).")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'.")
        if grant.request.authorization_code.code_challenge_method != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_verifier(grant, result)


class AuthorizationCodeGrant(_Issuing, grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        raw = self.request.payload.data.get("purpose")
        if raw:
            try:
                self.request.purpose = parse_purpose(raw).value
            except PurposeError as exc:
                raise InvalidRequestError(exc.message_en, redirect_uri=redirect_uri) from None
        return redirect_uri

    def create_authorization_response(self, redirect_uri: str, grant_user: User | None) -> Any:
        if grant_user is not None:
            scopes = frozenset((self.request.scope or "").split()) & grant_user.scopes
            if not scopes:
                raise AccessDeniedError(
                    "The user holds none of the requested scopes.", redirect_uri=redirect_uri
                )
            self.request.scope = scope_string(scopes)
            if Scope.SELF in scopes:
                requested = self.request.purpose
                if requested not in (None, Purpose.SELF_SERVICE.value):
                    raise InvalidRequestError(
                        "A worker's token has purpose SELF_SERVICE.", redirect_uri=redirect_uri
                    )
                self.request.purpose = Purpose.SELF_SERVICE.value
            elif self.request.purpose is not None:
                try:
                    check_allowed(Purpose(self.request.purpose), scopes)
                except PurposeError as exc:
                    raise InvalidRequestError(exc.message_en, redirect_uri=redirect_uri) from None
        return super().create_authorization_response(redirect_uri, grant_user)

    def save_authorization_code(self, code: str, request: Any) -> None:
        self.server.save_code(code, request)

    def query_authorization_code(self, code: str, client: HubClient) -> StoredCode | None:
        return self.server.consume_code(code, client)

    def delete_authorization_code(self, authorization_code: StoredCode) -> None:
        """Nothing to do: the code was consumed when it was read."""

    def authenticate_user(self, authorization_code: StoredCode) -> User | None:
        return self.server.find_user(authorization_code.username)

    def token_context(self) -> TokenContext:
        code: StoredCode = self.request.authorization_code
        return TokenContext(purpose=code.purpose, family_id=code.family_id, username=code.username)


class RefreshTokenGrant(_Issuing, grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> StoredRefresh | None:
        return self.server.consume_refresh(refresh_token, self.request.client)

    def authenticate_user(self, refresh_token: StoredRefresh) -> User | None:
        return self.server.find_user(refresh_token.username)

    def revoke_old_credential(self, refresh_token: StoredRefresh) -> None:
        """Nothing to do: the token was marked used when it was read."""

    def token_context(self) -> TokenContext:
        old: StoredRefresh = self.request.refresh_token
        return TokenContext(
            purpose=old.purpose,
            family_id=old.family_id,
            family_expires_at=old.expires_at,
            refresh_scope=old.scope,
            username=old.username,
        )


def _purpose(raw: str | None, scopes: frozenset[str]) -> str | None:
    if not raw:
        return None
    try:
        return check_allowed(parse_purpose(raw), scopes).value
    except PurposeError as exc:
        raise InvalidRequestError(exc.message_en) from None


__all__ = [
    "AuthorizationCodeGrant",
    "ClientCredentialsGrant",
    "RefreshTokenGrant",
    "S256CodeChallenge",
]
