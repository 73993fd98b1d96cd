"""Turning a bearer token into a ``Principal``: the verifier protocol and the hub's own verifier.

Two verifiers fit the protocol: ``LocalVerifier`` (tokens the hub's /oauth server issued, keys
from the database, revocation checked) and ``auth.external.ExternalVerifier`` (an external
identity provider, keys from its JWKS). ``build_verifier`` picks one from the settings.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import anyio.to_thread
import httpx
from sqlalchemy.engine import Engine

from auth.errors import InvalidToken, TokenReason
from auth.keys import KeyStore
from auth.principal import Principal, self_worker
from auth.purpose import resolve
from auth.revocation import Revocations
from auth.scopes import known_scopes, partner_alone
from auth.settings import AuthSettings
from auth.standing import Registry, check_lifetime, check_standing
from auth.tokens import LOCAL_ALGORITHMS, check_claims, check_signature, read_header


class Verifier(Protocol):
    """Checks an access token and returns its claims, or raises ``InvalidToken``."""

    async def verify(self, token: str) -> dict[str, Any]: ...


# Runs a blocking function off the event loop (the hub passes its database seam,
# hub/storage/offload.py; anyio's default thread pool otherwise).
Offloader = Callable[..., Awaitable[Any]]


class LocalVerifier:
    def __init__(
        self,
        keys: KeyStore,
        settings: AuthSettings,
        revocations: Revocations | None = None,
        *,
        registry: Registry | None = None,
        clock: Callable[[], float] = time.time,
        offload: Offloader = anyio.to_thread.run_sync,
    ) -> None:
        self.keys = keys
        self.settings = settings
        self.revocations = revocations
        self.registry = registry
        self.clock = clock
        self.offload = offload

    async def verify(self, token: str) -> dict[str, Any]:
        # The key store and the revocation list are database reads: never on the event loop.
        claims: dict[str, Any] = await self.offload(self.verify_sync, token)
        return claims

    def verify_sync(self, token: str, *, check_revoked: bool = True) -> dict[str, Any]:
        header = read_header(
            token, algorithms=LOCAL_ALGORITHMS, token_types=self.settings.token_types
        )
        key = self.keys.verification_key(header["kid"])
        if key is None:
            raise InvalidToken(TokenReason.UNKNOWN_KEY)
        if key.alg != header["alg"]:
            raise InvalidToken(TokenReason.UNSUPPORTED_ALGORITHM)
        claims = check_signature(token, key.key, key.alg)
        check_claims(
            claims,
            issuer=self.settings.local_issuer,
            audience=self.settings.audience,
            now=self.clock(),
            leeway=self.settings.leeway,
        )
        check_lifetime(claims, self.settings.max_lifetime)
        if check_revoked:
            self.check_registered(claims)
        return claims

    def check_registered(self, claims: dict[str, Any]) -> None:
        """The database checks of a well-signed token: not revoked, and backed by the registry
        (``auth.standing``). Synchronous: run it where the verifier runs its reads."""
        if self.revocations is not None and self.revocations.revoked(claims["jti"]):
            raise InvalidToken(TokenReason.REVOKED)
        if self.registry is not None:
            check_standing(claims, self.registry)


def principal_from_claims(claims: dict[str, Any], purpose_header: str | None = None) -> Principal:
    """The principal of verified ``claims``; the purpose resolved as ``auth.purpose`` says."""
    scopes = known_scopes(claims.get("scope"))
    if not partner_alone(scopes):  # a partner token with an agency's scope is not ours
        raise InvalidToken(TokenReason.INVALID_CLAIM, "scope")
    subject = claims["sub"]
    agency = claims.get("agency")
    mission = claims.get("mission")
    return Principal(
        client_id=claims["client_id"],
        subject=subject,
        scopes=scopes,
        token_id=claims["jti"],
        issuer=claims["iss"],
        expires_at=int(claims["exp"]),
        agency=agency if isinstance(agency, str) else None,
        purpose=resolve(claims.get("purpose"), purpose_header, scopes),
        worker_id=self_worker(subject, scopes),
        mission=(mission.strip().upper()[:10] or None) if isinstance(mission, str) else None,
        claims=dict(claims),
    )


def build_verifier(
    settings: AuthSettings,
    engine: Engine,
    http: httpx.AsyncClient | None = None,
    *,
    keys: KeyStore | None = None,
    offload: Offloader = anyio.to_thread.run_sync,
) -> Verifier:
    """The external IdP's verifier when ``HUB_AUTH_ISSUER`` is set, else the hub's own.

    ``http`` is the long-lived client the external verifier fetches the JWKS with.
    """
    if settings.external:
        from auth.external import ExternalVerifier

        if http is None:
            raise ValueError("an httpx.AsyncClient is required for an external issuer")
        return ExternalVerifier(settings, http)
    return LocalVerifier(
        keys or KeyStore(engine, settings),
        settings,
        Revocations(engine),
        registry=Registry(engine),
        offload=offload,
    )


__all__ = ["LocalVerifier", "Verifier", "build_verifier", "principal_from_claims"]
