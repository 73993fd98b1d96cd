"""The demo-mode login page: a small accessible form in Indonesian and English.

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
from auth.scopes import SCOPES, Scope

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
        return hmac.compare_digest(self.token_for(nonce), token)


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
    provider: tuple[str, str] | None = None,
) -> HTMLResponse:
    """The form; ``provider`` (name, start address) adds "Sign in with <provider>" below it."""
    items = "".join(
        f"<li><code>{escape(s)}</code>: {escape(SCOPES[Scope(s)].text_id)} / "
        f'<span lang="en">{escape(SCOPES[Scope(s)].text_en)}</span></li>'
        for s in sorted(scopes)
        if s in SCOPES
    )
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(params[k])}">'
        for k in OAUTH_FIELDS
        if params.get(k)
    )
    purpose = params.get("purpose", "").upper()
    purpose_html = ""
    if purpose in Purpose.__members__:
        text_id, text_en = PURPOSE_TEXT[Purpose(purpose)]
        purpose_html = (
            f'<p>Tujuan / <span lang="en">Purpose</span>: {escape(text_id)} / '
            f'<span lang="en">{escape(text_en)}</span></p>'
        )
    error_html = ""
    if error is not None:
        error_html = (
            f'<p class="error" role="alert">{escape(error[0])} / '
            f'<span lang="en">{escape(error[1])}</span></p>'
        )
    body = f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Masuk ke PMI Hub / Sign in to PMI Hub</title><style>{_STYLE}</style></head>
<body><main>
<h1>Masuk ke PMI Hub / <span lang="en">Sign in to PMI Hub</span></h1>
<p class="demo">Mode demo: hanya untuk pengguna demo. /
<span lang="en">Demo mode: demo users only.</span></p>
<p><strong>{escape(client_name)}</strong> meminta akses /
<span lang="en">is asking for access</span>:</p>
<ul>{items}</ul>{purpose_html}{error_html}
<form method="post" action="{escape(action)}">
{hidden}<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token)}">
<label for="username">Nama pengguna / <span lang="en">User name</span></label>
<input id="username" name="username" autocomplete="username" required maxlength="80"
 value="{escape(username)}">
<label for="password">Kata sandi / <span lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password"
 required maxlength="200">
<button type="submit" name="action" value="approve">Masuk / Sign in</button>
<button type="submit" name="action" value="deny" formnovalidate>Batal / Cancel</button>
</form>{_provider_link(provider)}</main></body></html>"""
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


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
    typed = f' data-code="{escape(code)}"' if code else ""
    body = f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title[0])} / {escape(title[1])}</title><style>{_STYLE}</style></head>
<body><main{typed}><h1>{escape(title[0])} / <span lang="en">{escape(title[1])}</span></h1>
<p role="alert">{escape(detail[0])} / <span lang="en">{escape(detail[1])}</span></p>
</main></body></html>"""
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "OAUTH_FIELDS",
    "CsrfGuard",
    "login_page",
    "message_page",
]
