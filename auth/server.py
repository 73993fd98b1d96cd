"""The hub's OAuth 2.0 authorization server: authlib's ``AuthorizationServer`` for Starlette.

authlib's core is synchronous and framework-free; this subclass supplies what it asks a
framework for (``create_oauth2_request``, ``handle_response``), the storage (clients, codes,
refresh tokens), and the token generator: RFC 9068 JWT access tokens from ``auth.tokens``.
Error descriptions are given in Indonesian and English.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, InvalidScopeError, OAuth2Error
from authlib.oauth2.rfc6749.authenticate_client import ClientAuthentication
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import JSONResponse, Response

from auth.clients import ClientError
from auth.console_client import CONSOLE_CLIENT
from auth.endpoints import FoundToken, HubIntrospectionEndpoint, HubRevocationEndpoint
from auth.errors import InvalidToken, PurposeError
from auth.grant_store import GrantStore
from auth.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    S256CodeChallenge,
)
from auth.hashing import new_secret
from auth.keys import KeyStore
from auth.models import OAuthClientRow
from auth.oauth_models import HubClient, Issued, NoClient, StoredCode, StoredRefresh, TokenContext
from auth.oauth_request import HubOAuth2Request
from auth.oidc.accounts import find_account, is_external
from auth.purpose import Purpose, check_allowed, parse_purpose
from auth.revocation import Revocations
from auth.scopes import ALL_SCOPES, Scope
from auth.settings import AuthSettings
from auth.standing import Registry
from auth.tokens import IssuedToken, TokenIssuer
from auth.users import User, get_user
from auth.verify import LocalVerifier

OAUTH_PREFIX = "/oauth"
METADATA_PATH = "/.well-known/oauth-authorization-server"
_ID_TEXT = {
    "invalid_request": "Permintaan tidak sah",
    "invalid_client": "Autentikasi klien gagal",
    "invalid_grant": "Grant tidak sah, kedaluwarsa, atau sudah dipakai",
    "unauthorized_client": "Klien tidak berwenang memakai grant ini",
    "unsupported_grant_type": "Jenis grant tidak didukung",
    "unsupported_response_type": "Jenis respons tidak didukung",
    "unsupported_token_type": "Jenis token tidak didukung",
    "invalid_scope": "Scope yang diminta tidak diizinkan",
    "access_denied": "Akses ditolak",
    "insecure_transport": "OAuth wajib memakai HTTPS",
}

# authlib's grants log issued tokens at DEBUG ("Issue token %r to %r"): never let them out.
_GRANT_LOGGERS = (
    "authlib.oauth2.rfc6749.grants.authorization_code",
    "authlib.oauth2.rfc6749.grants.client_credentials",
    "authlib.oauth2.rfc6749.grants.refresh_token",
)


def _no_tokens(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Issue token")


for _name in _GRANT_LOGGERS:
    logging.getLogger(_name).addFilter(_no_tokens)


class HubAuthorizationServer(AuthorizationServer):
    def __init__(
        self,
        engine: Engine,
        settings: AuthSettings,
        *,
        keys: KeyStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(scopes_supported=sorted(ALL_SCOPES))
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.keys = keys or KeyStore(engine, settings, clock=clock)
        self.tokens = TokenIssuer(self.keys, settings, clock=clock)
        self.revocations = Revocations(engine, clock=clock)
        self.grants = GrantStore(engine, settings, self.revocations, clock=clock)
        self.registry = Registry(engine)
        self.verifier = LocalVerifier(
            self.keys, settings, self.revocations, registry=self.registry, clock=clock
        )
        # an unknown client id answers as a wrong secret does, after the same work (S11)
        self._client_auth = ClientAuthentication(
            lambda client_id: self.query_client(client_id) or NoClient(client_id)
        )
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(HubRevocationEndpoint(self))
        self.register_endpoint(HubIntrospectionEndpoint(self))

    # -- what authlib asks of a framework integration --------------------------------------------

    def query_client(self, client_id: str) -> HubClient | None:
        if not client_id or len(client_id) > 80:
            return None
        with Session(self.engine) as session:
            row = session.get(OAuthClientRow, client_id)
        return HubClient(row) if row is not None and not row.disabled else None

    def create_oauth2_request(self, request: Any) -> HubOAuth2Request:
        if not isinstance(request, HubOAuth2Request):
            raise TypeError("parse the request with auth.oauth_request.read_oauth_request first")
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("no JSON endpoints")

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        header_map = dict(headers or [])
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=header_map)
        return Response(body or "", status_code=status, headers=header_map)

    def handle_error_response(self, request: Any, error: OAuth2Error) -> Response:
        text_id = _ID_TEXT.get(error.error)
        english = error.description or error.error.replace("_", " ")
        if text_id and not str(english).startswith(text_id):
            error.description = f"{text_id} / {english}"
        return super().handle_error_response(request, error)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signal system: revocations and issuance are recorded in the database."""

    def save_token(self, token: dict[str, Any], request: HubOAuth2Request) -> None:
        issued: Issued | None = request.issued
        if issued is None or issued.refresh is None or issued.user is None:
            return
        self.grants.save_refresh(
            issued.refresh,
            client_id=request.client.client_id,
            username=issued.user.username,
            access=issued.access,
            context=issued.context,
        )

    # -- the hub's token generator and storage -----------------------------------------------------

    def issue_tokens(
        self,
        request: HubOAuth2Request,
        *,
        user: User | None,
        scope: str | None,
        include_refresh_token: bool,
        context: TokenContext,
    ) -> dict[str, Any]:
        client: HubClient = request.client
        scopes = frozenset((scope or "").split()) & client.scopes
        if user is not None:
            scopes &= user.scopes
        if not scopes:
            raise InvalidScopeError("No scope left to grant.")
        if context.purpose is not None:
            try:
                check_allowed(Purpose(context.purpose), scopes)
            except (PurposeError, ValueError):
                raise InvalidRequestError("The purpose is not allowed for this token.") from None
        if user is None:
            subject, agency = client.client_id, client.agency
        else:
            subject, agency = user.subject, (None if user.role == "worker" else user.agency)
        access = self.tokens.issue(
            client_id=client.client_id,
            subject=subject,
            scopes=scopes,
            agency=agency,
            purpose=context.purpose,
            mission=user.mission if user is not None else None,
        )
        body: dict[str, Any] = {
            "access_token": access.value,
            "token_type": "Bearer",
            "expires_in": access.expires_at - int(self.clock()),
            "scope": access.scope,
        }
        refresh = None
        if include_refresh_token and user is not None and client.check_grant_type("refresh_token"):
            refresh = new_secret()
            body["refresh_token"] = refresh
        request.issued = Issued(access, refresh, context, user)
        return body

    def save_code(self, code: str, request: HubOAuth2Request) -> None:
        self.grants.save_code(code, request)

    def consume_code(self, code: str, client: HubClient) -> StoredCode | None:
        return self.grants.consume_code(code, client.client_id)

    def consume_refresh(self, token: str, client: HubClient) -> StoredRefresh | None:
        return self.grants.consume_refresh(token, client.client_id)

    def find_user(self, username: str) -> User | None:
        if is_external(username):  # signed in at the OpenID Connect provider (auth.oidc)
            return find_account(self.engine, username)
        return get_user(self.engine, username)

    def find_token(self, token: str, hint: str | None) -> FoundToken | None:
        """An access (JWT) or refresh token this server issued, for revocation/introspection."""
        if token.count(".") == 2:
            try:
                claims = self.verifier.verify_sync(token, check_revoked=False)
            except InvalidToken:
                return None
            try:
                self.verifier.check_registered(claims)  # revoked, or not backed by the registry
                active = True
            except InvalidToken:
                active = False
            return FoundToken(
                kind="access_token",
                client_id=claims["client_id"],
                expires_at=int(claims["exp"]),
                issued_at=int(claims["iat"]),
                scope=claims.get("scope", ""),
                subject=claims["sub"],
                active=active,
                jti=claims["jti"],
                claims=claims,
            )
        row = self.grants.refresh_row(token)
        if row is None:
            return None
        user = self.find_user(row.subject)
        now = self.grants.now()
        return FoundToken(
            kind="refresh_token",
            client_id=row.client_id,
            expires_at=int(row.expires_at.timestamp()),
            issued_at=int(row.created_at.timestamp()),
            scope=row.scope,
            subject=user.subject if user is not None else None,
            active=row.used_at is None and row.revoked_at is None and row.expires_at > now,
            family_id=row.family_id,
        )

    def issue_client_token(
        self, client_id: str, scope: str | None = None, purpose: str | None = None
    ) -> IssuedToken:
        """A token for a registered client-credentials client, without its secret (operators'
        scripts: ``pmihub token``). Raises ``ClientError`` where the token endpoint would refuse."""
        client = self.query_client(client_id)
        if client is None or not client.check_grant_type("client_credentials"):
            raise ClientError(f"no enabled client-credentials client {client_id!r}")
        held = client.scopes - {Scope.SELF}
        scopes = frozenset(scope.split()) if scope else held
        if not scopes or not scopes <= held:
            extra = " ".join(sorted(scopes - held))
            raise ClientError(f"invalid_scope: {client_id} may not hold {extra}")
        try:
            chosen = check_allowed(parse_purpose(purpose), scopes).value if purpose else None
        except PurposeError as exc:
            raise ClientError(exc.message_en) from None
        return self.tokens.issue(
            client_id=client_id,
            subject=client_id,
            scopes=scopes,
            agency=client.agency,
            purpose=chosen,
        )

    def issue_user_token(
        self,
        username: str,
        scope: str | None = None,
        purpose: str | None = None,
        *,
        client_id: str = CONSOLE_CLIENT,
    ) -> IssuedToken:
        """A token for an enabled hub user as if they had signed in through ``client_id`` (the
        console): the same claims (subject, scopes, agency, mission, purpose), for operators'
        scripts (``pmihub token --user``). Raises ``ClientError`` where sign-in would refuse."""
        user = self.find_user(username)
        if user is None:
            raise ClientError(f"no enabled user {username[:80]!r}")
        client = self.query_client(client_id)
        if client is None or not client.check_grant_type("authorization_code"):
            raise ClientError(f"no enabled sign-in client {client_id[:80]!r}")
        held = user.scopes & client.scopes
        scopes = frozenset(scope.split()) if scope else held
        if not scopes or not scopes <= held:
            extra = " ".join(sorted(scopes - held))
            raise ClientError(f"invalid_scope: {username} may not hold {extra}")
        try:
            chosen = parse_purpose(purpose) if purpose else None
            if Scope.SELF in scopes:
                if chosen not in (None, Purpose.SELF_SERVICE):
                    raise ClientError("a worker's token has purpose SELF_SERVICE")
                chosen = Purpose.SELF_SERVICE
            elif chosen is not None:
                check_allowed(chosen, scopes)
        except PurposeError as exc:
            raise ClientError(exc.message_en) from None
        return self.tokens.issue(
            client_id=client.client_id,
            subject=user.subject,
            scopes=scopes,
            agency=None if user.role == "worker" else user.agency,
            purpose=chosen.value if chosen else None,
            mission=user.mission,
        )

    def metadata(self) -> dict[str, Any]:
        """RFC 8414 authorization server metadata."""
        base = self.settings.local_issuer
        oauth = base + OAUTH_PREFIX
        auth_methods = ["client_secret_basic", "client_secret_post", "none"]
        grants = ["client_credentials"]
        meta: dict[str, Any] = {"issuer": base}
        if not self.settings.external:  # the hub's own users sign in at its login page
            meta["authorization_endpoint"] = f"{oauth}/authorize"
            grants += ["authorization_code", "refresh_token"]
        meta.update(
            {
                "token_endpoint": f"{oauth}/token",
                "jwks_uri": f"{oauth}/jwks",
                "revocation_endpoint": f"{oauth}/revoke",
                "introspection_endpoint": f"{oauth}/introspect",
                "scopes_supported": sorted(ALL_SCOPES),
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": grants,
                "token_endpoint_auth_methods_supported": auth_methods,
                "revocation_endpoint_auth_methods_supported": auth_methods,
                "introspection_endpoint_auth_methods_supported": auth_methods[:2],
                "code_challenge_methods_supported": ["S256"],
                "ui_locales_supported": ["id", "en"],
            }
        )
        return meta


__all__ = ["METADATA_PATH", "OAUTH_PREFIX", "HubAuthorizationServer"]
