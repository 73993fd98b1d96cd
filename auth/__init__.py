"""OAuth 2.0 for PMI Hub: the authorisation server (authlib), token verification, scopes,
purposes of use, principals and break-glass grants. docs/auth.md describes it."""

from auth.access import Access
from auth.breakglass import BreakGlass, BreakGlassService
from auth.errors import (
    AuthError,
    AuthUnavailable,
    BadBreakGlass,
    Forbidden,
    InvalidToken,
    MissingToken,
    PurposeError,
    TokenReason,
)
from auth.external import ExternalVerifier
from auth.keys import KeyStore
from auth.principal import Principal
from auth.purpose import Purpose, parse_purpose
from auth.routes import create_auth_app, oauth_routes
from auth.scopes import SCOPES, Scope
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings, AuthSettingsError
from auth.starlette import authenticate, error_response
from auth.tokens import TokenIssuer
from auth.verify import LocalVerifier, Verifier, build_verifier, principal_from_claims

__all__ = [
    "SCOPES",
    "Access",
    "AuthError",
    "AuthSettings",
    "AuthSettingsError",
    "AuthUnavailable",
    "BadBreakGlass",
    "BreakGlass",
    "BreakGlassService",
    "ExternalVerifier",
    "Forbidden",
    "HubAuthorizationServer",
    "InvalidToken",
    "KeyStore",
    "LocalVerifier",
    "MissingToken",
    "Principal",
    "Purpose",
    "PurposeError",
    "Scope",
    "TokenIssuer",
    "TokenReason",
    "Verifier",
    "authenticate",
    "build_verifier",
    "create_auth_app",
    "error_response",
    "oauth_routes",
    "parse_purpose",
    "principal_from_claims",
]
