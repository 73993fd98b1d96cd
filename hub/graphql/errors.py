"""Typed GraphQL errors: every error a client sees carries ``extensions.code``.

Messages meant for people are given in Indonesian and English, joined by " / ".
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from connectors.kit.errors import AgencyRejected, ConnectorError
from hub.protection import labels


def hub_error(code: str, message_id: str, message_en: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(
        f"{message_id} / {message_en}",
        extensions={"code": code, "messageId": message_id, "messageEn": message_en, **extensions},
    )


def bad_input(message_id: str, message_en: str, argument: str | None = None) -> GraphQLError:
    extra = {"argument": argument} if argument else {}
    return hub_error("BAD_USER_INPUT", message_id, message_en, **extra)


_SOURCE_TEXT = {
    "SOURCE_UNAVAILABLE": ("Sumber {a} tidak tersedia", "Source {a} is unavailable"),
    "SOURCE_TIMEOUT": ("Sumber {a} tidak menjawab tepat waktu", "Source {a} timed out"),
    "SOURCE_REJECTED": ("Sumber {a} menolak kredensial hub", "Source {a} rejected the hub"),
    "SOURCE_BAD_RESPONSE": (
        "Sumber {a} memberi jawaban yang tidak dapat dibaca",
        "Source {a} answered something unreadable",
    ),
}


def source_error(exc: ConnectorError, path: list[str | int] | None = None) -> GraphQLError:
    code = exc.code if exc.code in _SOURCE_TEXT else "SOURCE_UNAVAILABLE"
    if isinstance(exc, AgencyRejected):
        code = "SOURCE_REJECTED"
    text_id, text_en = _SOURCE_TEXT[code]
    name = labels.AGENCIES.get(exc.agency)  # people read the agency's name, not its code
    name_id, name_en = (name.id, name.en) if name is not None else (exc.agency, exc.agency)
    error = hub_error(code, text_id.format(a=name_id), text_en.format(a=name_en), agency=exc.agency)
    if path is not None:
        error.path = path
    return error
