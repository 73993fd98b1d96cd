"""Typed refusals at the HTTP edge: a status, a code and a message in Indonesian and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


def error_body(code: str, message_id: str, message_en: str, **extensions: Any) -> dict[str, Any]:
    return {
        "errors": [
            {
                "message": f"{message_id} / {message_en}",
                "extensions": {
                    "code": code,
                    "messageId": message_id,
                    "messageEn": message_en,
                    **extensions,
                },
            }
        ]
    }


def edge_response(
    status: int,
    code: str,
    message_id: str,
    message_en: str,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body = error_body(code, message_id, message_en, **extensions)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class EdgeError(Exception):
    """A request refused before GraphQL runs; ``response()`` is what the client gets."""

    def __init__(
        self, status: int, code: str, message_id: str, message_en: str, **extensions: Any
    ) -> None:
        super().__init__(code)
        self.status, self.code = status, code
        self.message_id, self.message_en = message_id, message_en
        self.extensions = extensions

    def response(self) -> JSONResponse:
        return edge_response(
            self.status, self.code, self.message_id, self.message_en, **self.extensions
        )


def bad_request(message_id: str, message_en: str, **extensions: Any) -> EdgeError:
    return EdgeError(400, "BAD_REQUEST", message_id, message_en, **extensions)


_HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
_HTTP_TEXT = {
    404: ("Alamat tidak ditemukan", "Not found"),
    405: ("Metode tidak diizinkan di alamat ini", "Method not allowed here"),
}


async def http_exception_response(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no route, wrong method) as typed JSON, not plain text."""
    status = getattr(exc, "status_code", 400)
    message_id, message_en = _HTTP_TEXT.get(status, ("Permintaan tidak sah", "Bad request"))
    return edge_response(
        status,
        _HTTP_CODES.get(status, "BAD_REQUEST"),
        message_id,
        message_en,
        headers=getattr(exc, "headers", None),
    )
