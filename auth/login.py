"""The hub's login pages, in Indonesian and English: the sign-in form first, then (below it)
what the application asks for as a few plain-language lines; for staff a second step asks for
a TOTP code, and on their first sign-in shows the enrolment QR code (auth/totp.py).

CSRF: the GET sets a random nonce in an HttpOnly, SameSite=Strict cookie scoped to ``/oauth``;
the form carries HMAC(nonce) under a key derived from ``HUB_AUTH_KEY_SECRET``; the POST must
bring both. Failed sign-ins are throttled (auth/throttle.py). The page cannot be framed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from html import escape

from starlette.responses import HTMLResponse

from auth.purpose import PURPOSE_TEXT, Purpose
from auth.scopes import Scope

CSRF_COOKIE = "pmihub_login_csrf"
CSRF_FIELD = "csrf_token"
OAUTH_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "purpose",
)
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}
_STYLE = """
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}.demo{background:#fff3cd;border:1px solid #b58900;padding:.5rem}
label{display:block;margin-top:1rem;font-weight:600}
input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{font-size:1rem;margin:1rem .5rem 0 0;padding:.5rem 1rem}
.error{color:#8b0000;border:1px solid #8b0000;padding:.5rem}
h2{font-size:1.05rem}.asked{margin-top:2rem;border-top:1px solid #ccc}.note{color:#444}
.check{font-weight:400}.check input{width:auto;margin-right:.5rem}
.qr svg{width:12rem;height:auto;max-width:100%}code{font-size:1.1rem}
:focus{outline:3px solid #005fcc}
"""


class CsrfGuard:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"pmihub-login-csrf\x00" + secret.encode()).digest()

    def new_nonce(self) -> str:
        return secrets.token_urlsafe(32)

    def token_for(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()

    def check(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or len(nonce) > 100:
            return False
        return hmac.compare_digest(self.token_for(nonce).encode(), token.encode())


# The scopes asked for, in a few plain-language lines (a person reads this, not a client).
_PLAIN: tuple[tuple[frozenset[str], str, str], ...] = (
    (
        frozenset({Scope.WORKER_IDENTITY_READ, Scope.WORKER_NIK_READ}),
        "Identitas pekerja (nama, NIK)",
        "Workers' identity (name, NIK)",
    ),
    (
        frozenset({Scope.PLACEMENT_READ, Scope.SOCIAL_SECURITY_READ, Scope.CONSULAR_READ}),
        "Penempatan, BPJS, dan lapor diri",
        "Placements, BPJS and consular records",
    ),
    (frozenset({Scope.WORKER_CONTACT_READ}), "Kontak keluarga", "Family contacts"),
    (
        frozenset({Scope.PROTECTION_READ, Scope.CASE_READ, Scope.CASE_WRITE}),
        "Status pelindungan dan kasus",
        "Protection status and cases",
    ),
    (frozenset({Scope.EMERGENCY}), "Akses darurat", "Emergency access"),
    (frozenset({Scope.AUDIT_READ}), "Jejak akses", "The access trail"),
    (frozenset({Scope.IDENTITY_ADMIN}), "Tinjauan identitas", "Identity review"),
    (frozenset({Scope.SELF}), "Data Anda sendiri (pekerja)", "Your own record (workers)"),
    (frozenset({Scope.FEDERATION_GATEWAY}), "Gerbang federasi", "Federation gateway"),
)


def plain_scopes(scopes: Iterable[str]) -> list[tuple[str, str]]:
    """The lines (Indonesian, English) that describe ``scopes``, in a fixed order."""
    held = frozenset(scopes)
    return [(text_id, text_en) for group, text_id, text_en in _PLAIN if group & held]


def _shell(
    title: tuple[str, str], main: str, status_code: int, *, code: str | None = None
) -> HTMLResponse:
    typed = f' data-code="{escape(code)}"' if code else ""
    body = f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title[0])} / {escape(title[1])}</title><style>{_STYLE}</style></head>
<body><main{typed}>
<h1>{escape(title[0])} / <span lang="en">{escape(title[1])}</span></h1>
{main}</main></body></html>"""
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


def _bilingual(pair: tuple[str, str]) -> str:
    return f'{escape(pair[0])} / <span lang="en">{escape(pair[1])}</span>'


def _hidden(params: Mapping[str, str], extra: Mapping[str, str]) -> str:
    fields = [(k, params[k]) for k in OAUTH_FIELDS if params.get(k)] + list(extra.items())
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields
    )


def _asked(client_name: str, scopes: Iterable[str], params: Mapping[str, str]) -> str:
    items = "".join(f"<li>{_bilingual(line)}</li>" for line in plain_scopes(scopes))
    purpose = params.get("purpose", "").upper()
    purpose_html = ""
    if purpose in Purpose.__members__:
        text = PURPOSE_TEXT[Purpose(purpose)]
        purpose_html = f'<p>Tujuan / <span lang="en">Purpose</span>: {_bilingual(text)}</p>'
    return f"""<section class="asked" aria-labelledby="asked">
<h2 id="asked"><strong>{escape(client_name)}</strong> meminta akses ke /
<span lang="en">is asking for access to</span>:</h2>
<ul>{items}</ul>{purpose_html}
<p class="note">Anda hanya mendapat yang diizinkan peran Anda. /
<span lang="en">You get only what your role allows.</span></p></section>"""


def _error(error: tuple[str, str] | None) -> str:
    return "" if error is None else f'<p class="error" role="alert">{_bilingual(error)}</p>'


def login_page(
    *,
    action: str,
    client_name: str,
    scopes: Iterable[str],
    params: Mapping[str, str],
    csrf_token: str,
    error: tuple[str, str] | None = None,
    username: str = "",
    status_code: int = 200,
    demo: bool = False,
    provider: tuple[str, str] | None = None,
) -> HTMLResponse:
    """The sign-in form first; ``provider`` (name, start address) adds "Sign in with
    <provider>" below it; what the application asks for comes last."""
    banner = (
        '<p class="demo">Mode demo: hanya untuk pengguna demo. / '
        '<span lang="en">Demo mode: demo users only.</span></p>'
        if demo
        else ""
    )
    hidden = _hidden(params, {CSRF_FIELD: csrf_token, "step": "password"})
    main = f"""{banner}{_error(error)}
<form method="post" action="{escape(action)}">
{hidden}
<label for="username">Nama pengguna / <span lang="en">User name</span></label>
<input id="username" name="username" autocomplete="username" required maxlength="80"
 autocapitalize="none" value="{escape(username)}">
<label for="password">Kata sandi / <span lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password"
 required maxlength="200">
<button type="submit" name="action" value="approve">Masuk / Sign in</button>
<button type="submit" name="action" value="deny" formnovalidate>Batal / Cancel</button>
</form>{_provider_link(provider)}
{_asked(client_name, scopes, params)}"""
    return _shell(("Masuk ke PMI Hub", "Sign in to PMI Hub"), main, status_code)


def code_page(
    *,
    action: str,
    params: Mapping[str, str],
    csrf_token: str,
    pending: str,
    enrol: tuple[str, str] | None,
    remember_hours: int,
    error: tuple[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The second step: a TOTP code; on the first sign-in, the enrolment (``enrol`` is the QR
    code's inline SVG and the secret) above the code field."""
    hidden = _hidden(params, {CSRF_FIELD: csrf_token, "step": "code", "pending": pending})
    enrol_html = ""
    if enrol is not None:
        svg, secret = enrol
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        enrol_html = f"""<section aria-labelledby="enrol">
<h2 id="enrol">Pasang kode masuk kedua / <span lang="en">Set up your second sign-in code</span></h2>
<p>Pindai kode QR ini dengan aplikasi autentikator (mis. FreeOTP, Google Authenticator), atau
ketik kuncinya. / <span lang="en">Scan this QR code with an authenticator app (e.g. FreeOTP,
Google Authenticator), or type the key.</span></p>
<figure class="qr">{svg}</figure>
<p>Kunci / <span lang="en">Key</span>: <code id="totp-secret">{escape(grouped)}</code></p>
</section>"""
    remember = ""
    if remember_hours:
        remember = f"""<label class="check"><input type="checkbox" name="remember" value="1">
Ingat perangkat ini selama {remember_hours} jam / <span lang="en">Remember this device for
{remember_hours} hours</span></label>"""
    main = f"""{_error(error)}{enrol_html}
<form method="post" action="{escape(action)}">
{hidden}
<label for="code">Kode 6 angka dari aplikasi autentikator /
<span lang="en">6-digit code from your authenticator app</span></label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required
 maxlength="7" pattern="[0-9 ]{{6,7}}">
{remember}
<button type="submit" name="action" value="approve">Lanjut / Continue</button>
<button type="submit" name="action" value="deny" formnovalidate>Batal / Cancel</button>
</form>"""
    return _shell(("Verifikasi dua langkah", "Two-step verification"), main, status_code)


def _provider_link(provider: tuple[str, str] | None) -> str:
    if provider is None:
        return ""
    name, href = (escape(part) for part in provider)
    return (
        f'<p>atau / <span lang="en">or</span></p><p><a id="provider" href="{href}">'
        f'Masuk dengan {name} / <span lang="en">Sign in with {name}</span></a></p>'
    )


def message_page(
    status_code: int,
    title: tuple[str, str],
    detail: tuple[str, str],
    *,
    code: str | None = None,
) -> HTMLResponse:
    """A bilingual page with one message; ``code`` (typed, for scripts) on ``<main>``."""
    return _shell(title, f'<p role="alert">{_bilingual(detail)}</p>', status_code, code=code)


__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "OAUTH_FIELDS",
    "CsrfGuard",
    "code_page",
    "login_page",
    "message_page",
    "plain_scopes",
]
