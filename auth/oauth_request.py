"""Starlette requests as authlib ``OAuth2Request``s.

authlib's server core is synchronous, Starlette is async: the body is read and parsed here,
once, and the resulting request is handed to the synchronous server. Parameters may appear only
once (RFC 6749 §3.1, §3.2); POST bodies must be ``application/x-www-form-urlencoded``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Payload, OAuth2Request
from starlette.datastructures import Headers
from starlette.requests import Request

MAX_BODY = 64 * 1024
MAX_FIELDS = 40
# RFC 6749 Appendix A: the characters each parameter may hold. Checking them here keeps odd
# input out of authlib's error descriptions (which refuse '"' and '\\' with a ValueError).
_VSCHAR = re.compile(r"[\x20-\x7e]*")
_NAME = re.compile(r"[A-Za-z0-9._:/ -]*")
_SYNTAX = {
    "client_id": _VSCHAR,
    "client_secret": _VSCHAR,
    "state": _VSCHAR,
    "code": _VSCHAR,
    "refresh_token": _VSCHAR,
    "token": _VSCHAR,
    "code_verifier": _VSCHAR,
    "code_challenge": _VSCHAR,
    "scope": re.compile(r"[\x21\x23-\x5b\x5d-\x7e ]*"),
    "redirect_uri": re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*"),
    "response_type": _NAME,
    "grant_type": _NAME,
    "code_challenge_method": _NAME,
    "token_type_hint": _NAME,
    "purpose": _NAME,
}


class FormPayload(OAuth2Payload):
    def __init__(self, values: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in values:
            self._datalist[key].append(value)
        self._data = {key: items[0] for key, items in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class HubOAuth2Request(OAuth2Request):
    """An OAuth request with its parameters parsed; ``purpose`` and ``issued`` are ours."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Headers,
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._query = FormPayload(query)
        self._form = FormPayload(form)
        self.payload = self._form if method == "POST" else self._query
        self.purpose: str | None = None
        self.issued: Any = None

    @property
    def args(self) -> dict[str, str]:
        return self._query.data

    @property
    def form(self) -> dict[str, str]:
        return self._form.data

    def repeated(self) -> list[str]:
        """Names of parameters given more than once."""
        return sorted(k for k, v in self.payload.datalist.items() if len(v) > 1)


async def read_oauth_request(request: Request) -> HubOAuth2Request:
    """Parse ``request`` (blank values count as absent, RFC 6749 §3.1); raises
    ``InvalidRequestError`` for an unreadable body or a repeated parameter."""
    query = _pairs(request.url.query)
    form: list[tuple[str, str]] = []
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise InvalidRequestError("The body must be application/x-www-form-urlencoded.")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise InvalidRequestError("The request body is too large.")
        try:
            form = _pairs(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidRequestError("The body is not UTF-8.") from None
    oauth = HubOAuth2Request(request.method, str(request.url), request.headers, query, form)
    repeated = oauth.repeated()
    if repeated:
        raise InvalidRequestError(f"Repeated parameter: {', '.join(repeated)}.")
    for name, value in oauth.payload.data.items():
        syntax = _SYNTAX.get(name)
        if syntax is not None and (len(value) > 2048 or not syntax.fullmatch(value)):
            raise InvalidRequestError(f"Invalid characters in '{name}'.")
    return oauth


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise InvalidRequestError("Too many or malformed parameters.") from None


__all__ = ["FormPayload", "HubOAuth2Request", "read_oauth_request"]
