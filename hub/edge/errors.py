"""Typed refusals at the HTTP edge: a status, a code and a message in Indonesian and English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse


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
