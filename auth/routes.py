"""HTTP routes of the authorization server, for the hub to mount.

``oauth_routes(server)`` gives ``/oauth/{authorize,token,revoke,introspect,jwks}`` and
``/.well-known/oauth-authorization-server`` (RFC 8414). ``/oauth/authorize`` is the login page
of the hub's users (auth/users.py), in every mode unless an external identity provider issues
the tokens (``HUB_AUTH_ISSUER``): the password, then for staff a TOTP code (enrolled on the
first sign-in, auth/second_factor.py), unless the browser was remembered (auth/login_marks.py).
With an OpenID Connect provider configured (``HUB_OIDC_*``) the page also offers "Sign in with
<provider>" (``/oauth/oidc/*``).
authlib's core is synchronous, so its calls run in threads: the ones that hash a secret (scrypt)
on a ``CapacityLimiter`` of their own (``HASH_THREADS``), and the login's password and TOTP work
on another (``LOGIN_THREADS``), so a flood of wrong client secrets at /oauth/token never delays
an officer's sign-in, and neither takes the threads the hub's audit writes use.

Two guards sit in front: ``limit`` (the hub plugs in its rate limits per client id and per
address, ``EndpointLimit``), and the login page's ``LoginThrottle`` (auth/throttle.py). The
client address is the one the ASGI server gives (uvicorn, after its trusted-proxy handling:
``FORWARDED_ALLOW_IPS``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import anyio
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Error
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from auth import second_factor
from auth.errors import RateLimited
from auth.keys import KeyUnavailable
from auth.login import CSRF_COOKIE, CSRF_FIELD, CsrfGuard, code_page, login_page, message_page
from auth.login_marks import DEVICE_COOKIE, LoginMarks
from auth.oauth_request import HubOAuth2Request, read_oauth_request
from auth.oidc.provider import OidcProvider
from auth.oidc.routes import OidcHandlers, SignInAudit, SignInEvent
from auth.server import METADATA_PATH, OAUTH_PREFIX, HubAuthorizationServer
from auth.starlette import error_response
from auth.throttle import LoginThrottle, Throttle
from auth.totp import provisioning_uri, qr_svg
from auth.users import authenticate_user, get_user

log = logging.getLogger("pmihub.auth")
Handler = Callable[[Request], Awaitable[Response]]
HASH_THREADS = 2
LOGIN_THREADS = 2
_UNAVAILABLE = {
    "error": "temporarily_unavailable",
    "error_description": "Layanan otorisasi sementara tidak tersedia / "
    "The authorization service is temporarily unavailable",
}


class EndpointLimit(Protocol):
    """A rate limit for ``/oauth/*`` (the hub's, per client id and per address)."""

    async def admit(self, endpoint: str, address: str, client_id: str | None) -> float:
        """0 when the request may go on, else the seconds until it may (one call a request:
        the address's bucket first, then the client id's)."""
        ...


class OAuthHandlers:
    def __init__(
        self,
        server: HubAuthorizationServer,
        *,
        limit: EndpointLimit | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self.server = server
        self.guard = CsrfGuard(server.settings.key_secret)
        self.limit = limit
        self.throttle: Throttle = throttle or LoginThrottle()
        self.marks = LoginMarks(server.settings.key_secret)
        self._hashing: anyio.CapacityLimiter | None = None
        self._login_limiter: anyio.CapacityLimiter | None = None
        self.oidc: OidcHandlers | None = None  # sign-in at an external provider, if configured
        self.audit: SignInAudit | None = None  # records sign-ins (the hub's audit trail)

    async def token(self, request: Request) -> Response:
        return await self._endpoint(request, "token", self.server.create_token_response)

    async def revoke(self, request: Request) -> Response:
        return await self._endpoint(
            request, "revoke", lambda r: self.server.create_endpoint_response("revocation", r)
        )

    async def introspect(self, request: Request) -> Response:
        return await self._endpoint(
            request,
            "introspect",
            lambda r: self.server.create_endpoint_response("introspection", r),
        )

    async def hashing(self, call: Callable[..., Any], *args: Any) -> Any:
        """Run ``call`` (it hashes a secret) in a thread of the hashing limiter."""
        if self._hashing is None:
            self._hashing = anyio.CapacityLimiter(HASH_THREADS)
        return await anyio.to_thread.run_sync(call, *args, limiter=self._hashing)

    async def login_work(self, call: Callable[..., Any], *args: Any) -> Any:
        """Run ``call`` (a password or TOTP check) in a thread of the login's own limiter."""
        if self._login_limiter is None:
            self._login_limiter = anyio.CapacityLimiter(LOGIN_THREADS)
        return await anyio.to_thread.run_sync(call, *args, limiter=self._login_limiter)

    async def _limited(self, request: Request, endpoint: str, client_id: str | None) -> float:
        if self.limit is None:
            return 0.0
        return await self.limit.admit(endpoint, _address(request), client_id)

    async def jwks(self, request: Request) -> Response:
        document = await run_in_threadpool(self.server.keys.jwks)
        return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})

    async def metadata(self, request: Request) -> Response:
        return JSONResponse(
            self.server.metadata(), headers={"Cache-Control": "public, max-age=300"}
        )

    async def authorize(self, request: Request) -> Response:
        if self.server.settings.external:
            return message_page(
                404,
                ("Tidak tersedia", "Not available"),
                (
                    "Hub ini memakai penyedia identitas eksternal; masuk di sana",
                    "This hub uses an external identity provider; sign in there",
                ),
            )
        try:
            oauth = await read_oauth_request(request)
        except OAuth2Error as error:
            return self._authorize_error(None, error)
        endpoint = "login" if request.method == "POST" else "authorize"
        wait = await self._limited(request, endpoint, oauth.payload.client_id)
        if wait:
            seconds = max(1, math.ceil(wait))
            page = message_page(
                429,
                ("Terlalu banyak permintaan", "Too many requests"),
                (
                    f"Coba lagi dalam {seconds} detik",
                    f"Try again in {seconds} seconds",
                ),
            )
            page.headers["Retry-After"] = str(seconds)
            return page
        try:
            grant = await run_in_threadpool(self.server.get_consent_grant, oauth)
        except OAuth2Error as error:
            return self._authorize_error(oauth, error)
        except ValueError as exc:  # authlib refusing to build an error from odd input
            return self._authorize_error(None, _unreadable(exc))
        except SQLAlchemyError as exc:
            return self._unavailable(exc)
        if request.method == "GET":
            return self._login(request, oauth, grant, error=None)
        return await self._sign_in(request, oauth, grant)

    async def _sign_in(self, request: Request, oauth: HubOAuth2Request, grant: Any) -> Response:
        form = oauth.form
        nonce = request.cookies.get(CSRF_COOKIE)
        if not self.guard.check(nonce, form.get(CSRF_FIELD)):
            return message_page(
                400,
                ("Sesi masuk tidak sah", "Sign-in session is not valid"),
                (
                    "Mulai lagi dari aplikasi yang meminta akses",
                    "Start again from the application asking for access",
                ),
            )
        if form.get("action") == "deny":
            return await self._respond(oauth, grant, None)
        now = self.server.clock()
        second = form.get("step") == "code"
        if second:
            username = self.marks.pending_user(form.get("pending"), nonce, now) or ""
            if not username:
                text = ("Waktu masuk habis; masuk lagi", "Sign-in timed out; sign in again")
                return self._login(request, oauth, grant, error=text, status_code=401)
        else:
            username = form.get("username", "").strip().lower()[:80]
        address = _address(request)
        wait = await self.throttle.refused(address)
        hold = 0.0 if wait else await self.throttle.hold(address, username)
        if wait or math.isinf(hold):
            return self._too_many(request, oauth, grant, wait or self.throttle.hold_cap)
        if hold:
            await anyio.sleep(hold)  # slowed, not refused: the officer still gets in
        engine, key = self.server.engine, self.server.settings.key_secret
        try:
            if second:
                ok = await self.login_work(
                    second_factor.confirm, engine, key, username, form.get("code", "")[:20], now
                )
                user = await self.login_work(get_user, engine, username) if ok else None
            else:
                user = await self.login_work(
                    authenticate_user, engine, username, form.get("password", "")
                )
        except SQLAlchemyError as exc:
            return self._unavailable(exc)
        client_id = oauth.payload.client_id or ""
        if user is None:
            await self.throttle.failed(address, username)
            if second:
                await self._record(SignInEvent(client_id, username, "wrongCode", method="password"))
                text = ("Kode salah atau sudah dipakai", "Wrong or already used code")
                return await self._code(request, oauth, username, error=text, status_code=401)
            text = ("Nama pengguna atau kata sandi salah", "Wrong user name or password")
            return self._login(request, oauth, grant, error=text, status_code=401)
        remember = second and form.get("remember") == "1"
        if not second and user.second_factor and not await self._remembered(request, username):
            return await self._code(request, oauth, username, error=None)
        await self.throttle.succeeded(address, username)
        event = SignInEvent(
            client_id, user.subject, "signedIn", user.mission, "password", user.agency or None
        )
        if not await self._record(event):
            return message_page(
                503,
                ("Masuk dihentikan", "Sign-in stopped"),
                (
                    "Jejak audit tidak dapat dicatat; masuk dihentikan",
                    "The audit trail cannot be written; the sign-in was stopped",
                ),
                code="auditUnavailable",
            )
        response = await self._respond(oauth, grant, user)
        response.delete_cookie(CSRF_COOKIE, path=_cookie_path(request))
        if remember and self.server.settings.device_hours:
            await self._remember(request, response, username, now)
        return response

    async def _record(self, event: SignInEvent) -> bool:
        """Record a sign-in (False: it could not be, and then it does not go through)."""
        return True if self.audit is None else await self.audit(event)

    async def _remembered(self, request: Request, username: str) -> bool:
        """Whether this browser carries a good "remember this device" mark for ``username``."""
        mark = request.cookies.get(DEVICE_COOKIE)
        if not mark or not self.server.settings.device_hours:
            return False
        binding = await self.login_work(second_factor.device_key, self.server.engine, username)
        now = self.server.clock()
        return binding is not None and self.marks.device_user(mark, binding, now) == username

    async def _remember(
        self, request: Request, response: Response, username: str, now: float
    ) -> None:
        binding = await self.login_work(second_factor.device_key, self.server.engine, username)
        if binding is None:
            return
        hours = self.server.settings.device_hours
        response.set_cookie(
            DEVICE_COOKIE,
            self.marks.device(username, binding, now, hours),
            max_age=hours * 3600,
            path=_cookie_path(request),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )

    async def _code(
        self,
        request: Request,
        oauth: HubOAuth2Request,
        username: str,
        *,
        error: tuple[str, str] | None,
        status_code: int = 200,
    ) -> Response:
        """The TOTP step (with the enrolment QR code when the user has none yet)."""
        settings = self.server.settings
        try:
            step = await self.login_work(
                second_factor.challenge, self.server.engine, settings.key_secret, username
            )
        except SQLAlchemyError as exc:
            return self._unavailable(exc)
        if step is None:
            text = ("Nama pengguna atau kata sandi salah", "Wrong user name or password")
            return message_page(401, ("Masuk gagal", "Sign-in failed"), text)
        enrol = None
        if step.secret is not None:
            enrol = (qr_svg(provisioning_uri(step.secret, username)), step.secret)
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        return code_page(
            action=request.url.path,
            params=oauth.payload.data,
            csrf_token=self.guard.token_for(nonce),
            pending=self.marks.pending(username, nonce, self.server.clock()),
            enrol=enrol,
            remember_hours=settings.device_hours,
            error=error,
            status_code=status_code,
        )

    def _too_many(
        self, request: Request, oauth: HubOAuth2Request, grant: Any, wait: float
    ) -> Response:
        seconds = max(1, math.ceil(wait))
        text = (
            f"Terlalu banyak percobaan; coba lagi dalam {seconds} detik",
            f"Too many attempts; try again in {seconds} seconds",
        )
        response = self._login(request, oauth, grant, error=text, status_code=429)
        response.headers["Retry-After"] = str(seconds)
        return response

    async def _respond(self, oauth: HubOAuth2Request, grant: Any, user: Any) -> Response:
        try:
            response: Response = await run_in_threadpool(
                self.server.create_authorization_response, oauth, user, grant
            )
        except (SQLAlchemyError, KeyUnavailable) as exc:
            return self._unavailable(exc)
        return response

    def _login(
        self,
        request: Request,
        oauth: HubOAuth2Request,
        grant: Any,
        *,
        error: tuple[str, str] | None,
        status_code: int = 200,
    ) -> Response:
        nonce = request.cookies.get(CSRF_COOKIE) if error else None
        nonce = nonce or self.guard.new_nonce()
        response = login_page(
            action=request.url.path,
            client_name=grant.client.name,
            scopes=(grant.request.scope or "").split(),
            params=oauth.payload.data,
            csrf_token=self.guard.token_for(nonce),
            error=error,
            username=oauth.form.get("username", "") if error else "",
            status_code=status_code,
            demo=self.server.settings.demo,
            provider=self.oidc.link(oauth.payload.data) if self.oidc is not None else None,
        )
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            max_age=600,
            path=_cookie_path(request),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    def _authorize_error(self, oauth: HubOAuth2Request | None, error: OAuth2Error) -> Response:
        if error.redirect_uri and oauth is not None:
            return self.server.handle_error_response(oauth, error)  # back to the client
        # no trustworthy redirect URI (unknown client, unregistered URI): tell the person here
        return message_page(
            400,
            ("Permintaan masuk tidak sah", "Invalid sign-in request"),
            (f"Kode galat: {error.error}", f"{error.error}: {error.description or ''}"),
        )

    async def _endpoint(
        self, request: Request, endpoint: str, call: Callable[[Any], Response]
    ) -> Response:
        try:
            oauth = await read_oauth_request(request)
        except OAuth2Error as error:
            return self.server.handle_error_response(None, error)
        wait = await self._limited(request, endpoint, _client_id(oauth))
        if wait:
            return error_response(RateLimited(wait))
        try:
            response: Response = await self.hashing(call, oauth)
        except KeyUnavailable as exc:
            return self._unavailable(exc)
        except ValueError as exc:  # authlib refusing to build an error from odd input
            return self.server.handle_error_response(oauth, _unreadable(exc))
        except SQLAlchemyError as exc:
            return self._unavailable(exc)
        return response

    def _unavailable(self, exc: Exception) -> Response:
        log.error("auth service unavailable: %s", type(exc).__name__)
        return JSONResponse(_UNAVAILABLE, status_code=503, headers={"Cache-Control": "no-store"})


def _unreadable(exc: ValueError) -> OAuth2Error:
    log.warning("unreadable OAuth request: %s", type(exc).__name__)
    return InvalidRequestError("The request has unreadable parameters.")


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _client_id(oauth: HubOAuth2Request) -> str | None:
    basic_id, _ = extract_basic_authorization(oauth.headers)
    client_id = basic_id or oauth.form.get("client_id")
    return client_id[:80] if client_id else None


def _cookie_path(request: Request) -> str:
    return request.url.path.rsplit("/", 1)[0] or "/"


def oauth_routes(
    server: HubAuthorizationServer,
    *,
    limit: EndpointLimit | None = None,
    oidc: OidcProvider | None = None,
    audit: SignInAudit | None = None,
    throttle: Throttle | None = None,
) -> list[BaseRoute]:
    """The routes to add to the hub's Starlette app (``/oauth/...`` and the metadata); with
    ``oidc``, also the sign-in at that provider (``auth.oidc.routes``). ``audit`` records
    sign-ins, at the login page and through the provider; ``throttle`` slows failed sign-ins
    (per process unless given)."""
    h = OAuthHandlers(server, limit=limit, throttle=throttle)
    h.audit = audit
    extra: list[BaseRoute] = []
    if oidc is not None:
        h.oidc = OidcHandlers(h, oidc, audit=audit)
        extra = [
            Route("/oidc/start", h.oidc.start, methods=["GET"]),
            Route("/oidc/callback", h.oidc.callback, methods=["GET"]),
        ]
    return [
        Mount(
            OAUTH_PREFIX,
            routes=[
                *extra,
                Route("/authorize", h.authorize, methods=["GET", "POST"]),
                Route("/token", h.token, methods=["POST"]),
                Route("/revoke", h.revoke, methods=["POST"]),
                Route("/introspect", h.introspect, methods=["POST"]),
                Route("/jwks", h.jwks, methods=["GET"]),
            ],
        ),
        Route(METADATA_PATH, h.metadata, methods=["GET"]),
    ]


def create_auth_app(
    server: HubAuthorizationServer,
    *,
    oidc: OidcProvider | None = None,
    audit: SignInAudit | None = None,
) -> Starlette:
    """The authorization server alone, as an ASGI app (tests, or running it separately)."""
    return Starlette(routes=oauth_routes(server, oidc=oidc, audit=audit))


__all__ = [
    "HASH_THREADS",
    "LOGIN_THREADS",
    "EndpointLimit",
    "OAuthHandlers",
    "create_auth_app",
    "oauth_routes",
]
