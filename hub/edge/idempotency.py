"""``Idempotency-Key`` (draft-ietf-httpapi-idempotency-key-header): a retried mutation changes
nothing and answers as the first did.

An embassy on a bad connection may lose the answer to ``openCase`` and send it again; with the
same ``Idempotency-Key`` header, the hub finds the first attempt and answers with what it made
(the same case, as it stands now) instead of opening a second. The key is per principal
(client and subject): another principal's same key is another key. Within 24 hours the same
key with a different request (another mutation, other arguments) is refused with
IDEMPOTENCY_KEY_REUSED and changes nothing.

What is stored (``idempotency_key``) is keyed under ``HUB_PSEUDONYM_KEY``: an HMAC of the
principal and the key, an HMAC of the mutation and its arguments, the mutation's name, the id
of what it made (a case or consent id, already stored) and when. Never the key in clear, never
the arguments, never the answer. The record is written in the mutation's own transaction
(``AuditTrail.unit``), which the audit chain's lock serialises: a retry racing the first
attempt waits for it and then finds it, so two attempts never both change anything.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, Session, SQLModel, col, delete

HEADER = "Idempotency-Key"
WINDOW = timedelta(hours=24)
MAX_KEY = 255


class IdempotencyRow(SQLModel, table=True):
    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_created", "created_at"),)

    key: str = Field(primary_key=True, max_length=64)  # HMAC(principal, key)
    request: str = Field(max_length=64)  # HMAC(mutation, arguments)
    operation: str = Field(max_length=40)  # the mutation field: openCase
    result_id: str = Field(max_length=80)  # what it made: a case or consent id
    created_at: datetime


class IdempotencyError(ValueError):
    """The header is malformed (BAD_USER_INPUT) or reused for another request."""

    def __init__(self, code: str, text_id: str, text_en: str) -> None:
        super().__init__(f"{text_id} / {text_en}")
        self.code, self.text_id, self.text_en = code, text_id, text_en


REUSED = IdempotencyError(
    "IDEMPOTENCY_KEY_REUSED",
    "Idempotency-Key ini sudah dipakai untuk permintaan lain dalam 24 jam: pakai kunci baru",
    "This Idempotency-Key was used for another request within 24 hours: use a new key",
)


def check_key(raw: str) -> str:
    """The header's value (a structured-field string, quotes optional): 1 to 255 visible
    ASCII characters."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= MAX_KEY or any(not 0x21 <= ord(c) <= 0x7E for c in value):
        raise IdempotencyError(
            "BAD_USER_INPUT",
            f"Idempotency-Key: 1 sampai {MAX_KEY} karakter ASCII tanpa spasi (mis. UUID)",
            f"Idempotency-Key: 1 to {MAX_KEY} visible ASCII characters (a UUID, say)",
        )
    return value


@dataclass(frozen=True, slots=True)
class Idempotency:
    """One request's key and what it asks, as digests."""

    key: str
    request: str
    operation: str

    @classmethod
    def of(
        cls,
        secret: bytes,
        raw_key: str,
        principal: tuple[str, str],
        operation: str,
        arguments: dict[str, Any],
    ) -> Idempotency:
        value = check_key(raw_key)
        who = "\0".join(("idempotency-key", *principal, value))
        what = json.dumps(
            {"operation": operation, "arguments": arguments},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return cls(
            key=hmac.new(secret, who.encode(), hashlib.sha256).hexdigest(),
            request=hmac.new(
                secret, b"idempotency-request\0" + what.encode(), hashlib.sha256
            ).hexdigest(),
            operation=operation,
        )

    def prior(self, session: Session, at: datetime) -> str | None:
        """The id the first attempt made (within 24 h), or None; REUSED for another request.
        Call it inside the mutation's transaction (the audit unit), before changing anything."""
        found = session.get(IdempotencyRow, self.key)
        if found is None:
            return None
        if _aware(found.created_at) <= at - WINDOW:  # forgotten: the key starts anew
            session.delete(found)
            session.flush()
            return None
        if found.request != self.request or found.operation != self.operation:
            raise REUSED
        return found.result_id

    def keep(self, session: Session, result_id: str, at: datetime) -> None:
        """Record what this attempt made, in its transaction; forget keys past 24 h."""
        session.exec(delete(IdempotencyRow).where(col(IdempotencyRow.created_at) < at - WINDOW))
        session.add(
            IdempotencyRow(
                key=self.key,
                request=self.request,
                operation=self.operation,
                result_id=result_id,
                created_at=at,
            )
        )
        session.flush()


def _aware(at: datetime) -> datetime:
    from datetime import UTC

    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


__all__ = [
    "HEADER",
    "REUSED",
    "WINDOW",
    "Idempotency",
    "IdempotencyError",
    "IdempotencyRow",
    "check_key",
]
