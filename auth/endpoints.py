"""Token revocation (RFC 7009) and introspection (RFC 7662) on authlib's endpoints.

Revoking an access token records its ``jti``; revoking a refresh token revokes its whole family
and the access tokens issued with it (RFC 7009 §2.1). Public clients may revoke their tokens
(authenticating with ``client_id`` only); introspection is for confidential clients, and a client
sees only tokens issued to itself — anything else is ``{"active": false}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from auth.oauth_models import HubClient

if TYPE_CHECKING:
    from auth.server import HubAuthorizationServer


@dataclass(frozen=True, slots=True)
class FoundToken:
    kind: str  # access_token | refresh_token
    client_id: str
    expires_at: int
    issued_at: int
    scope: str
    subject: str | None
    active: bool
    jti: str | None = None
    family_id: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)

    def check_client(self, client: HubClient) -> bool:
        return client.client_id == self.client_id

    def is_expired(self) -> bool:
        return not self.active

    def is_revoked(self) -> bool:
        return not self.active


class HubRevocationEndpoint(RevocationEndpoint):
    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]
    server: HubAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> FoundToken | None:
        return self.server.find_token(token_string, token_type_hint)

    def revoke_token(self, token: FoundToken, request: Any) -> None:
        revocations = self.server.revocations
        if token.kind == "refresh_token" and token.family_id is not None:
            revocations.revoke_family(token.family_id, "revoked_by_client")
        elif token.jti is not None:
            revocations.revoke_access(
                token.jti, token.client_id, token.expires_at, "revoked_by_client"
            )


class HubIntrospectionEndpoint(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]
    server: HubAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> FoundToken | None:
        return self.server.find_token(token_string, token_type_hint)

    def check_permission(self, token: FoundToken, client: HubClient, request: Any) -> bool:
        return token.check_client(client)

    def introspect_token(self, token: FoundToken) -> dict[str, Any]:
        body: dict[str, Any] = {
            "active": True,
            "token_type": "Bearer" if token.kind == "access_token" else "refresh_token",
            "client_id": token.client_id,
            "scope": token.scope,
            "exp": token.expires_at,
            "iat": token.issued_at,
            "iss": self.server.settings.local_issuer,
        }
        if token.subject is not None:
            body["sub"] = token.subject
        for name in ("aud", "nbf", "jti", "purpose", "agency"):
            if name in token.claims:
                body[name] = token.claims[name]
        return body


__all__ = ["FoundToken", "HubIntrospectionEndpoint", "HubRevocationEndpoint"]
