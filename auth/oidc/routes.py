"""``/oauth/oidc/start`` and ``/oauth/oidc/callback``: the console's sign-in at the provider.

1. The login page's "Sign in with <provider>" link carries the console's OAuth request to
   ``start``, which checks it as ``/oauth/authorize`` would (client, redirect URI, PKCE),
   records it (``auth.oidc.pending``), sets the browser's binding cookie and sends the browser
   to the provider: authorization code, PKCE S256, state and nonce.
2. The provider sends it back to ``callback``. The hub takes the pending request (once; this
   browser only), redeems the code, verifies the ID token (``auth.oidc.provider``), maps the
   groups to scopes and a mission (``auth.oidc.mapping``) and answers the console's request
   exactly as the login form does: a code for the console's redirect URI.

Every refusal is a bilingual page with a typed code (``data-code``) and no redirect; every
sign-in and refusal is recorded through ``SignInAudit`` (the hub writes it to its audit trail;
a sign-in that cannot be recorded is refused).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from auth.login import OAUTH_FIELDS, message_page
from auth.oauth_request import HubOAuth2Request, read_oauth_request
from auth.oidc.accounts import save_account, username_for, withdraw_account
from auth.oidc.mapping import NotMapped, map_groups
from auth.oidc.pending import TTL, PendingSignIns
from auth.oidc.provider import OidcProvider, ProviderError
from auth.oidc.settings import CALLBACK_PATH

if TYPE_CHECKING:
    from auth.routes import OAuthHandlers

log = logging.getLogger("pmihub.auth.oidc")
START_PATH = "/oauth/oidc/start"
COOKIE = "pmihub_oidc"
COOKIE_PATH = "/oauth/oidc"


@dataclass(frozen=True, slots=True)
class SignInEvent:
    """One sign-in, for the audit trail (no personal data of workers): through the provider
    (``method`` "oidc") or at the hub's own login page ("password", auth/routes.py)."""

    client_id: str
    subject: str  # oidc:<sub>, or "unknown" before the ID token is verified; a hub user's sub
    outcome: str  # "signedIn" or the refusal's code
    mission: str | None = None
    method: str = "oidc"
    agency: str | None = None  # the user's role's agency (EMBASSY for officers)

    @property
    def refused(self) -> bool:
        return self.outcome != "signedIn"


# Records one event; False when it could not be recorded (then no sign-in goes through).
SignInAudit = Callable[[SignInEvent], Awaitable[bool]]

_REFUSALS: dict[str, tuple[int, str, str]] = {
    "stateInvalid": (
        400,
        "Sesi masuk tidak sah atau sudah dipakai; mulai lagi dari konsol",
        "The sign-in session is not valid or was already used; start again from the console",
    ),
    "unmappedGroups": (
        403,
        "Akun Anda di {name} tidak memiliki peran di PMI Hub; hubungi admin {name}",
        "Your {name} account has no role in PMI Hub; ask your {name} administrator",
    ),
    "twoMissions": (
        403,
        "Akun Anda di {name} terdaftar di lebih dari satu perwakilan; hubungi admin {name}",
        "Your {name} account belongs to more than one mission; ask your {name} administrator",
    ),
    "codeRefused": (
        400,
        "{name} menolak kode masuk (kedaluwarsa atau sudah dipakai); mulai lagi",
        "{name} refused the sign-in code (expired or already used); start again",
    ),
    "providerUnavailable": (
        503,
        "{name} sedang tidak dapat dihubungi; coba lagi sebentar lagi",
        "{name} cannot be reached right now; try again shortly",
    ),
    "wrongIssuer": (
        503,
        "{name} menjawab sebagai penerbit lain; masuk dihentikan",
        "{name} answered as another issuer; the sign-in was stopped",
    ),
    "issuerMismatch": (
        400,
        "Jawaban masuk datang dari penerbit lain, bukan {name}; masuk dihentikan",
        "The sign-in answer names another issuer than {name}; the sign-in was stopped",
    ),
    "badDiscovery": (
        503,
        "Konfigurasi {name} tidak dapat dipakai (alamat atau PKCE)",
        "{name}'s configuration cannot be used (addresses or PKCE)",
    ),
    "auditUnavailable": (
        503,
        "Jejak audit tidak dapat dicatat; masuk dihentikan",
        "The audit trail cannot be written; the sign-in was stopped",
    ),
    "unavailable": (
        503,
        "Layanan masuk sementara tidak tersedia",
        "The sign-in service is temporarily unavailable",
    ),
}
_ID_TOKEN = (
    400,
    "Token identitas dari {name} ditolak; masuk dihentikan",
    "The identity token from {name} was refused; the sign-in was stopped",
)


class OidcHandlers:
    def __init__(
        self,
        oauth: OAuthHandlers,
        provider: OidcProvider,
        *,
        audit: SignInAudit | None = None,
    ) -> None:
        self.oauth = oauth
        self.server = oauth.server
        self.provider = provider
        self.settings = provider.settings
        self.pending = PendingSignIns(self.server.engine, self.server.settings.key_secret)
        self.audit = audit

    def link(self, params: dict[str, str]) -> tuple[str, str]:
        """The provider's name and the start address for the login page's button: on the
        callback's origin, so the binding cookie is there when the provider sends the browser
        back (a console opened at ``localhost`` still signs in through ``127.0.0.1``)."""
        query = urlencode({k: v for k, v in params.items() if k in OAUTH_FIELDS})
        callback = urlsplit(self.settings.redirect_uri)
        base = callback.path.removesuffix(CALLBACK_PATH)  # a prefix a proxy may add
        return (
            self.settings.name,
            f"{callback.scheme}://{callback.netloc}{base}{START_PATH}?{query}",
        )

    async def start(self, request: Request) -> Response:
        try:
            oauth = await read_oauth_request(request)
        except OAuth2Error as error:
            return self.oauth._authorize_error(None, error)
        client_id = oauth.payload.client_id
        if await self.oauth._limited(request, "oidc-start", client_id):
            return self._refusal("unavailable", client_id, status=429)
        try:
            await run_in_threadpool(self.server.get_consent_grant, oauth)
        except OAuth2Error as error:
            return self.oauth._authorize_error(oauth, error)
        except SQLAlchemyError as exc:
            return self.oauth._unavailable(exc)
        params = {k: v for k, v in oauth.payload.data.items() if k in OAUTH_FIELDS}
        try:
            begun = await run_in_threadpool(self.pending.begin, params)
            url = await self.provider.authorization_url(
                state=begun.state,
                nonce=begun.nonce,
                challenge=create_s256_code_challenge(begun.verifier),
            )
        except SQLAlchemyError as exc:
            return self.oauth._unavailable(exc)
        except ProviderError as exc:
            return await self._refused(exc.reason, client_id or "unknown")
        response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
        response.set_cookie(
            COOKIE,
            begun.browser,
            max_age=TTL,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",  # sent on the provider's top-level redirect back, not on embeds
            secure=request.url.scheme == "https",
        )
        return response

    async def callback(self, request: Request) -> Response:
        query = request.query_params
        state = query.get("state", "")
        if await self.oauth._limited(request, "oidc-callback", None):
            return self._refusal("unavailable", "unknown", status=429)
        try:
            params = await run_in_threadpool(
                self.pending.take, state, request.cookies.get(COOKIE, "")
            )
        except SQLAlchemyError as exc:
            return self.oauth._unavailable(exc)
        if params is None:
            return await self._refused("stateInvalid", "unknown")
        client_id = params.get("client_id", "unknown")
        oauth = _replayed(request, params)
        try:
            grant = await run_in_threadpool(self.server.get_consent_grant, oauth)
        except OAuth2Error as error:
            return self.oauth._authorize_error(oauth, error)
        except SQLAlchemyError as exc:
            return self.oauth._unavailable(exc)
        if query.get("error") or not query.get("code"):  # cancelled at the provider
            await self._record(SignInEvent(client_id, "unknown", "providerDenied"))
            return _forget(await self.oauth._respond(oauth, grant, None))
        if query.get("iss", self.settings.issuer) != self.settings.issuer:  # RFC 9207: mix-up
            return await self._refused("issuerMismatch", client_id)
        verifier, nonce = self.pending.secrets(request.cookies.get(COOKIE, ""), state)
        subject = "unknown"
        try:
            tokens = await self.provider.exchange(query["code"][:2048], verifier)
            claims = await self.provider.verify_id_token(
                tokens["id_token"], nonce=nonce, access_token=tokens.get("access_token")
            )
            subject = username_for(claims["sub"])
            mapped = map_groups(self.settings, claims)
        except ProviderError as exc:
            return await self._refused(exc.reason, client_id)
        except NotMapped as exc:
            try:
                await run_in_threadpool(
                    lambda: withdraw_account(self.server.engine, subject=claims["sub"])
                )
            except SQLAlchemyError as db_error:
                return self.oauth._unavailable(db_error)
            return await self._refused(exc.reason, client_id, subject)
        try:
            user = await run_in_threadpool(
                lambda: save_account(
                    self.server.engine,
                    issuer=self.settings.issuer,
                    subject=claims["sub"],
                    mapped=mapped,
                )
            )
        except SQLAlchemyError as exc:
            return self.oauth._unavailable(exc)
        if not await self._record(
            SignInEvent(client_id, user.username, "signedIn", user.mission, agency=user.agency)
        ):
            return self._refusal("auditUnavailable", client_id)
        return _forget(await self.oauth._respond(oauth, grant, user))

    async def _refused(self, code: str, client_id: str, subject: str = "unknown") -> Response:
        await self._record(SignInEvent(client_id, subject, code))
        return self._refusal(code, client_id)

    def _refusal(self, code: str, client_id: str, *, status: int | None = None) -> Response:
        default, text_id, text_en = _REFUSALS.get(code, _ID_TOKEN)
        name = self.settings.name
        page = message_page(
            status or default,
            ("Masuk ditolak", "Sign-in refused"),
            (text_id.format(name=name), text_en.format(name=name)),
            code=code,
        )
        # an unknown state leaves the cookie: it may belong to a sign-in still under way
        return page if code == "stateInvalid" else _forget(page)

    async def _record(self, event: SignInEvent) -> bool:
        if event.refused:
            log.warning("sign-in through the identity provider refused: %s", event.outcome)
        if self.audit is None:
            return True
        return await self.audit(event)


def _replayed(request: Request, params: dict[str, str]) -> HubOAuth2Request:
    """The console's authorization request as it reached ``start``, to answer it now."""
    pairs = [(k, v) for k, v in params.items() if k in OAUTH_FIELDS]
    uri = str(request.url.replace(path="/oauth/authorize", query=urlencode(pairs)))
    return HubOAuth2Request("GET", uri, Headers(raw=request.headers.raw), pairs, [])


def _forget(response: Response) -> Response:
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


__all__ = ["COOKIE", "START_PATH", "OidcHandlers", "SignInAudit", "SignInEvent"]
