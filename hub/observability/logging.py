"""Structured logs: one JSON object per line, with the request id, and no personal data.

``configure_logging(environ)`` installs the handler (``HUB_LOG_FORMAT`` json|text, default
json; ``HUB_LOG_LEVEL``, default INFO). ``RequestIdMiddleware`` takes a well-formed incoming
``X-Request-Id`` or makes one, keeps it in a context variable for every log line of the
request, and returns it on the response. ``redact`` (applied by ``RedactingFilter`` and by the
JSON formatter) replaces NIK-like 16-digit numbers, phone numbers and bearer tokens.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson
from opentelemetry import trace
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.settings import SettingsError

request_id: ContextVar[str | None] = ContextVar("pmihub_request_id", default=None)
# The caller's own X-Request-Id, for correlating logs only: the audit trail records the hub's.
client_request_id: ContextVar[str | None] = ContextVar("pmihub_client_request_id", default=None)

_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_PATTERNS = (
    # Authorization values and anything that looks like a JWT.
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]+=*"), "Bearer [REDACTED]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[REDACTED-TOKEN]"),
    # NIK (16 digits) and other 16-digit numbers such as card numbers.
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[REDACTED-NIK]"),
    # Phone numbers: international (+62 812-3456-7890), Indonesian 62… and 0…, with separators.
    (
        re.compile(
            r"(?<![\w+])(?:\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,5}){2,4}"
            r"|62[1-9]\d{7,12}|0[1-9]\d{1,3}(?:[ .-]?\d{3,5}){2,3}|0[1-9]\d{7,12})(?!\w)"
        ),
        "[REDACTED-PHONE]",
    ),
)
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with ``redact``; attach it to handlers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        rid = request_id.get()
        if rid is not None:
            body["request_id"] = rid
        given = client_request_id.get()
        if given is not None:
            body["client_request_id"] = given
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            body["trace_id"] = format(context.trace_id, "032x")
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                body[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            body["exc"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(body, default=str).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id.get() or "-"
        return redact(super().format(record))


def configure_logging(environ: Mapping[str, str], stream: Any = None) -> logging.Handler:
    """Replace the root handler this function installed before; return the new one."""
    kind = environ.get("HUB_LOG_FORMAT", "json").strip().lower()
    if kind not in ("json", "text"):
        raise SettingsError("HUB_LOG_FORMAT must be json or text")
    level = environ.get("HUB_LOG_LEVEL", "INFO").strip().upper()
    if level not in logging.getLevelNamesMapping():
        raise SettingsError(f"HUB_LOG_LEVEL {level!r} is not a logging level")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if kind == "json" else TextFormatter())
    handler.addFilter(RedactingFilter())
    handler.pmihub = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "pmihub", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


class RequestIdMiddleware:
    """Gives the request the hub's own ``request_id`` (returned as ``X-Request-Id``, recorded
    in the audit trail), keeps a well-formed incoming ``X-Request-Id`` as ``client_request_id``
    for the logs only, and logs one access line (method, path without query, status,
    milliseconds) to ``pmihub.access``."""

    def __init__(self, app: ASGIApp, header: str = "x-request-id", access_log: bool = True):
        self.app = app
        self.header = header.lower()
        self.access_log = access_log
        self.log = logging.getLogger("pmihub.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = Headers(scope=scope).get(self.header)
        rid = uuid.uuid4().hex  # never the caller's: it identifies the request in the audit
        token = request_id.set(rid)
        client_token = client_request_id.set(
            given if given and _VALID_ID.fullmatch(given) else None
        )
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                name = self.header.encode()
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != name]
                headers.append((name, rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if self.access_log:
                self.log.info(
                    "%s %s %d %.1fms",
                    scope["method"],
                    scope["path"],
                    status,
                    (time.perf_counter() - started) * 1000,
                )
            request_id.reset(token)
            client_request_id.reset(client_token)


__all__ = [
    "JsonFormatter",
    "RedactingFilter",
    "RequestIdMiddleware",
    "TextFormatter",
    "configure_logging",
    "redact",
    "request_id",
]
